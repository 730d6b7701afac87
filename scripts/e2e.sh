#!/usr/bin/env bash
# End-to-end tests of the demo app in headless Chromium (Playwright, through playwright-core and the system
# Chromium): builds the app, starts the Cognito emulator, the demo API and a static server on free ports, runs
# `node --test tests/e2e/`, and stops everything. Screenshots go to test-results/screenshots/.
# Expects the npm package to be built (scripts/build.sh); builds it when pkg/ is missing.
# `bash scripts/e2e.sh tests/e2e/X.test.mjs ...` runs only those files.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

DEMO_USER="demo" DEMO_PASSWORD="Passw0rd!"
ADMIN_USER="admin" ADMIN_PASSWORD="Passw0rd!"

work="$(mktemp -d)"
pids=()
cleanup() {
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

# Waits until URL answers (any HTTP status), or fails after 15 s showing LOG.
wait_http() { # URL LOG
  for _ in $(seq 1 75); do
    curl -s -o /dev/null "$1" && return 0
    sleep 0.2
  done
  cat "$2" >&2
  echo "nothing answers at $1" >&2
  return 1
}

if [ ! -f pkg/cognito_wasm_bg.wasm ]; then
  step "build the npm package (pkg/ is missing)"
  bash scripts/build.sh
fi

for dir in "$ROOT" "$ROOT/www"; do
  if [ ! -d "$dir/node_modules" ]; then
    step "npm dependencies of ${dir#"$ROOT"} (missing)"
    (cd "$dir" && if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; else npm install --no-audit --no-fund --loglevel=error; fi)
  fi
done

step "vite build (www)"
(cd www && node_modules/.bin/vite build --logLevel warn)

step "start the Cognito emulator, the demo API and the app"
api_port="$(free_port)"
app_port="$(free_port)"
export E2E_API_URL="http://127.0.0.1:$api_port"
export E2E_APP_URL="http://127.0.0.1:$app_port/"
# Managed login for the app: the browser comes back to the app's page after sign-in and after sign-out.
start_emulator "$work/emulator.json" \
  --seed-user "$DEMO_USER:$DEMO_PASSWORD:demo@example.com" \
  --seed-admin "$ADMIN_USER:$ADMIN_PASSWORD:admin@example.com" \
  --oauth "{\"domain\": \"lumen\", \"callbackUrls\": [\"$E2E_APP_URL\"], \"logoutUrls\": [\"$E2E_APP_URL\"], \"identityProviders\": [\"COGNITO\", \"Google\"]}"

COGNITO_USER_POOL_ID="$COGNITO_EMULATOR_POOL_ID" COGNITO_CLIENT_ID="$COGNITO_EMULATOR_CLIENT_ID" \
  COGNITO_ENDPOINT="$COGNITO_EMULATOR_ENDPOINT" API_PORT="$api_port" APP_ORIGIN="http://127.0.0.1:$app_port" \
  node www/server/api.mjs >"$work/api.log" 2>&1 &
pids+=($!)
COGNITO_USER_POOL_ID="$COGNITO_EMULATOR_POOL_ID" COGNITO_CLIENT_ID="$COGNITO_EMULATOR_CLIENT_ID" \
  COGNITO_ENDPOINT="$COGNITO_EMULATOR_ENDPOINT" COGNITO_OAUTH_DOMAIN="$COGNITO_EMULATOR_OAUTH_URL" \
  API_URL="$E2E_API_URL" APP_PORT="$app_port" node www/server/static.mjs >"$work/app.log" 2>&1 &
pids+=($!)
wait_http "$E2E_API_URL/api/public" "$work/api.log"
wait_http "$E2E_APP_URL" "$work/app.log"
note "emulator $COGNITO_EMULATOR_ENDPOINT, API $E2E_API_URL, app $E2E_APP_URL"

step "Playwright end-to-end tests (node --test tests/e2e/)"
status=0
E2E_USER="$DEMO_USER" E2E_USER_PASSWORD="$DEMO_PASSWORD" E2E_ADMIN="$ADMIN_USER" E2E_ADMIN_PASSWORD="$ADMIN_PASSWORD" \
  node --test --test-concurrency=1 --test-timeout=180000 "${@:-tests/e2e/}" || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- API log (last 40 lines)" >&2
  tail -n 40 "$work/api.log" >&2 || true
  echo "--- emulator log (last 40 lines)" >&2
  tail -n 40 "$work/emulator.json.log" >&2 || true
fi
note "screenshots: test-results/screenshots/"
exit "$status"
