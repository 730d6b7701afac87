# Shared helpers for the project's scripts. Source it; do not run it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SHARED="$ROOT/../shared"
VENV="$ROOT/.venv"
export PATH="$HOME/.cargo/bin:$PATH"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
note() { printf '    %s\n' "$*"; }

# The wasm-bindgen version pinned in Cargo.lock: the CLI must match it exactly.
wasm_bindgen_version() {
  grep -A1 '^name = "wasm-bindgen"$' "$ROOT/Cargo.lock" | sed -n 's/^version = "\(.*\)"$/\1/p'
}

# A free TCP port on 127.0.0.1.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Starts the Cognito emulator in the background; sets EMULATOR_PID and exports COGNITO_EMULATOR_* from its info file
# (COGNITO_EMULATOR_OAUTH_URL: the startup pool's managed-login domain URL with `--oauth`, else empty).
# Usage: start_emulator INFO_FILE [extra args...]
start_emulator() {
  local info="$1"; shift
  local port; port="$(free_port)"
  rm -f "$info"
  "$VENV/bin/python" "$ROOT/tests/emulator/cognito_emulator.py" --host 127.0.0.1 --port "$port" --info "$info" "$@" \
    >"$info.log" 2>&1 &
  EMULATOR_PID=$!
  for _ in $(seq 1 150); do
    [ -s "$info" ] && break
    if ! kill -0 "$EMULATOR_PID" 2>/dev/null; then
      cat "$info.log" >&2
      echo "the Cognito emulator exited during start-up" >&2
      return 1
    fi
    sleep 0.2
  done
  [ -s "$info" ] || { cat "$info.log" >&2; echo "the Cognito emulator did not start in 30 s" >&2; return 1; }
  COGNITO_EMULATOR_INFO="$info"
  local field
  field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$info" "$1"; }
  COGNITO_EMULATOR_ENDPOINT="$(field endpoint)"
  COGNITO_EMULATOR_POOL_ID="$(field userPoolId)"
  COGNITO_EMULATOR_CLIENT_ID="$(field clientId)"
  COGNITO_EMULATOR_OAUTH_URL="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("oauth", {}).get("url", ""))' "$info")"
  export COGNITO_EMULATOR_INFO COGNITO_EMULATOR_ENDPOINT COGNITO_EMULATOR_POOL_ID COGNITO_EMULATOR_CLIENT_ID \
    COGNITO_EMULATOR_OAUTH_URL
}

stop_emulator() {
  if [ -n "${EMULATOR_PID:-}" ] && kill -0 "$EMULATOR_PID" 2>/dev/null; then
    kill "$EMULATOR_PID" 2>/dev/null || true
    wait "$EMULATOR_PID" 2>/dev/null || true
  fi
  EMULATOR_PID=""
}
