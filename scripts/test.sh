#!/usr/bin/env bash
# Runs every test suite: formatting, lints (native + wasm32), native tests (with the Cognito emulator),
# the emulator's own tests, browser tests in headless Chromium, the npm package in Node, and the demo in Playwright
# (scripts/e2e.sh, which starts its own emulator, API and app servers).
# Installs what is missing first (scripts/bootstrap.sh) and skips what is present.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

bash scripts/bootstrap.sh

if [ ! -d "$SHARED" ]; then
  note "NOTE: ../shared is absent: the tests that read its vectors will print a skip message."
fi

suites_passed=0
suite_done() { suites_passed=$((suites_passed + 1)); }

work="$(mktemp -d)"
trap 'stop_emulator; rm -rf "$work"' EXIT

step "cargo fmt --check"
cargo fmt --check
suite_done

step "cargo clippy (native)"
cargo clippy --all-targets -- -D warnings
suite_done

step "cargo clippy (wasm32)"
cargo clippy --all-targets --target wasm32-unknown-unknown -- -D warnings
suite_done

step "Cognito emulator's own tests (pytest)"
"$VENV/bin/python" -m pytest tests/emulator -q
suite_done

step "start the Cognito emulator"
start_emulator "$work/emulator.json"
note "endpoint $COGNITO_EMULATOR_ENDPOINT, pool $COGNITO_EMULATOR_POOL_ID, client $COGNITO_EMULATOR_CLIENT_ID"

step "cargo test (native, with the emulator)"
cargo test
suite_done

step "wasm-bindgen-test in headless Chromium (with the emulator)"
cargo test --target wasm32-unknown-unknown --lib --test browser_e2e
suite_done

step "build the npm package"
bash scripts/build.sh
suite_done

step "the npm package in Node 20"
node --test tests/node/
suite_done

step "the demo in headless Chromium (Playwright over the Vite build)"
stop_emulator
bash scripts/e2e.sh
suite_done

printf '\nsuites: %d passed, 0 failed\n' "$suites_passed"
