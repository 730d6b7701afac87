#!/usr/bin/env bash
# Runs the test Cognito emulator in the foreground (Ctrl-C stops it) with the demo's two users, unless you pass
# your own --seed-user / --seed-admin. Prints one JSON line: {"endpoint", "region", "userPoolId", "clientId", "seedUsers"}.
#   bash scripts/emulator.sh                      # http://127.0.0.1:9329, demo / Passw0rd! and admin / Passw0rd! (admin group)
#   EMULATOR_PORT=0 bash scripts/emulator.sh --info /tmp/emulator.json --verbose
# Every option: .venv/bin/python tests/emulator/cognito_emulator.py --help   (see tests/emulator/README.md)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [ ! -x "$VENV/bin/python" ]; then
  echo "no $VENV: run scripts/bootstrap.sh (or: python3 -m venv .venv && .venv/bin/pip install -r tests/emulator/requirements.txt)" >&2
  exit 1
fi

seeds=()
case " $* " in
  *" --seed-user"*|*" --seed-admin"*) ;;
  *) seeds=(--seed-user "demo:Passw0rd!:demo@example.com" --seed-admin "admin:Passw0rd!:admin@example.com") ;;
esac

exec "$VENV/bin/python" "$ROOT/tests/emulator/cognito_emulator.py" \
  --host "${EMULATOR_HOST:-127.0.0.1}" --port "${EMULATOR_PORT:-9329}" "${seeds[@]}" "$@"
