#!/usr/bin/env bash
# The demo (`npm run demo`): installs what is missing, builds the package and the app, starts the Cognito emulator
# with two seeded users, the demo API and the app, prints where to go, and stays up until Ctrl-C.
#
# Against a real user pool instead of the emulator:
#   COGNITO_USER_POOL_ID=us-east-1_XXXX COGNITO_CLIENT_ID=XXXX npm run demo
# (the app client must have no secret and allow USER_SRP_AUTH; the pool's API answers browsers from any origin).
# Add COGNITO_OAUTH_DOMAIN=mydomain.auth.us-east-1.amazoncognito.com for managed login (the app's URL must be one of
# the client's callback and sign-out URLs).
# Ports: DEMO_APP_PORT (default 5173) and DEMO_API_PORT (default 8787); a busy port is replaced by a free one.
# DEMO_REUSE_BUILD=1 skips the bootstrap and the package build when pkg/ exists (a quick restart).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

DEMO_HOST="${DEMO_HOST:-127.0.0.1}"
DEMO_USER="demo" DEMO_PASSWORD="Passw0rd!" DEMO_EMAIL="demo@example.com"
ADMIN_USER="admin" ADMIN_PASSWORD="Passw0rd!" ADMIN_EMAIL="admin@example.com"

work="$(mktemp -d)"
pids=()
cleanup() {
  trap - EXIT INT TERM
  printf '\nstopping the demo\n'
  local pid
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  stop_emulator
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# PORT if it is free on DEMO_HOST, else a free one.
port_or_free() {
  if python3 -c 'import socket,sys; s=socket.socket(); s.bind((sys.argv[1], int(sys.argv[2]))); s.close()' \
    "$DEMO_HOST" "$1" 2>/dev/null; then
    echo "$1"
  else
    free_port
  fi
}

wait_http() { # URL LOG
  for _ in $(seq 1 75); do
    curl -s -o /dev/null "$1" && return 0
    sleep 0.2
  done
  cat "$2" >&2
  echo "nothing answers at $1" >&2
  return 1
}

if [ "${DEMO_REUSE_BUILD:-0}" = 1 ] && [ -f pkg/cognito_wasm_bg.wasm ]; then
  note "DEMO_REUSE_BUILD=1: using the package in pkg/ as it is"
else
  bash scripts/bootstrap.sh
  step "build the npm package"
  bash scripts/build.sh
fi

step "build the app (vite build)"
(cd www && node_modules/.bin/vite build --logLevel warn)

api_port="$(port_or_free "${DEMO_API_PORT:-8787}")"
app_port="$(port_or_free "${DEMO_APP_PORT:-5173}")"
api_url="http://$DEMO_HOST:$api_port"
app_url="http://$DEMO_HOST:$app_port/"

if [ -n "${COGNITO_USER_POOL_ID:-}" ] && [ -n "${COGNITO_CLIENT_ID:-}" ]; then
  step "using the user pool $COGNITO_USER_POOL_ID"
  pool_id="$COGNITO_USER_POOL_ID" client_id="$COGNITO_CLIENT_ID" endpoint="${COGNITO_ENDPOINT:-}"
  oauth_domain="${COGNITO_OAUTH_DOMAIN:-}"
  emulated=0
else
  step "start the Cognito emulator"
  # Email codes and passkeys as first factors (the sign-in page offers both); passkeys work at http://localhost:….
  # Managed login (the hosted sign-in and a stand-in Google) comes back to the app's page, at either address.
  local_url="http://localhost:$app_port/"
  start_emulator "$work/emulator.json" --first-factors PASSWORD,EMAIL_OTP,WEB_AUTHN --webauthn-rp localhost \
    --seed-user "$DEMO_USER:$DEMO_PASSWORD:$DEMO_EMAIL" \
    --seed-admin "$ADMIN_USER:$ADMIN_PASSWORD:$ADMIN_EMAIL" \
    --oauth "{\"domain\": \"lumen\", \"callbackUrls\": [\"$app_url\", \"$local_url\"], \"logoutUrls\": [\"$app_url\", \"$local_url\"], \"identityProviders\": [\"COGNITO\", \"Google\"]}"
  pool_id="$COGNITO_EMULATOR_POOL_ID" client_id="$COGNITO_EMULATOR_CLIENT_ID" endpoint="$COGNITO_EMULATOR_ENDPOINT"
  oauth_domain="$COGNITO_EMULATOR_OAUTH_URL"
  emulated=1
fi

step "start the demo API and the app"

COGNITO_USER_POOL_ID="$pool_id" COGNITO_CLIENT_ID="$client_id" COGNITO_ENDPOINT="$endpoint" \
  API_HOST="$DEMO_HOST" API_PORT="$api_port" APP_ORIGIN="http://$DEMO_HOST:$app_port" \
  node www/server/api.mjs &
pids+=($!)
COGNITO_USER_POOL_ID="$pool_id" COGNITO_CLIENT_ID="$client_id" COGNITO_ENDPOINT="$endpoint" \
  COGNITO_OAUTH_DOMAIN="$oauth_domain" API_URL="$api_url" APP_HOST="$DEMO_HOST" APP_PORT="$app_port" \
  node www/server/static.mjs &
pids+=($!)
wait_http "$api_url/api/public" /dev/null
wait_http "$app_url" /dev/null

printf '\n\033[1mLumen, the cognito-wasm demo, is up:\033[0m  %s\n\n' "$app_url"
note "demo API:   $api_url  (/api/public, /api/feed, /api/protected, /api/admin)"
if [ "$emulated" = 1 ]; then
  note "emulator:   $endpoint  (pool $pool_id, client $client_id)"
  note "sign in as: $DEMO_USER / $DEMO_PASSWORD      (a normal user)"
  note "        or: $ADMIN_USER / $ADMIN_PASSWORD     (in the admin group)"
  note "or create an account: the emulator accepts any confirmation code."
  note "passkeys (Security page, then 'Sign in with a passkey') need the app at http://localhost:$app_port/;"
  note "'Email me a code' shows its code in the x-emulator-confirmation-code header of the reply (dev tools, Network)."
  note "'Continue with Google (emulated)' and 'Use the hosted sign-in' go through the emulator's managed login"
  note "  ($oauth_domain): the stand-in Google takes any email address and makes a google_… user."
else
  note "user pool:  $pool_id  (client $client_id)"
fi
printf '\nPress Ctrl-C to stop.\n'

# Stay up until Ctrl-C, or until one of the servers dies.
while true; do
  for pid in "${pids[@]}" ${EMULATOR_PID:+"$EMULATOR_PID"}; do
    if ! kill -0 "$pid" 2>/dev/null; then
      # On Ctrl-C the servers may stop before this shell runs its INT trap: give the trap a moment to win.
      sleep 0.5
      echo "a demo process ($pid) stopped unexpectedly; shutting down" >&2
      exit 1
    fi
  done
  sleep 1
done
