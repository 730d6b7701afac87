#!/usr/bin/env bash
# Runs every test suite: formatting, lints (native + wasm32), native tests (with the Cognito emulator),
# the emulator's own tests, a few seconds of each fuzz target (fuzz/run.sh), browser tests in headless Chromium,
# the npm package in Node, the packed package in each bundler (tests/bundlers/run.sh), and the demo in Playwright
# (scripts/e2e.sh, which starts its own emulator, API and app servers).
# Installs what is missing first (scripts/bootstrap.sh) and skips what is present.
#
# Every suite runs, even after one fails, so that one run shows every failing suite; the last line is
# `suites: N passed, M failed`, and the exit status is non-zero when M > 0. A suite that cannot run because one it
# depends on failed (the package build, for the Node, bundler and Playwright suites) counts as failed. The set-up
# steps (bootstrap, starting the emulator) still abort the run when they fail.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

bash scripts/bootstrap.sh

if [ ! -d "$SHARED" ]; then
  note "NOTE: ../shared is absent: the tests that read its vectors will print a skip message."
fi

passed=()
failed=()

# Runs one suite: suite NAME COMMAND [ARGS...]. Records whether it passed (and sets suite_status to its exit
# status); never stops the run.
suite_status=0
suite() {
  local name="$1"
  shift
  step "$name"
  suite_status=0
  "$@" || suite_status=$?
  if [ "$suite_status" -eq 0 ]; then
    passed+=("$name")
  else
    failed+=("$name")
    printf '\033[1;31m    FAILED (exit %d): %s\033[0m\n' "$suite_status" "$name"
  fi
}

# Counts a suite as failed without running it: not_run NAME REASON.
not_run() {
  step "$1"
  printf '\033[1;31m    FAILED (not run: %s): %s\033[0m\n' "$2" "$1"
  failed+=("$1")
}

# tests/amplify/ has its own dependencies (aws-amplify v6, esbuild): installed from its lock file when missing.
amplify_suite() {
  if [ ! -d tests/amplify/node_modules ]; then
    (cd tests/amplify && npm ci --no-audit --no-fund --loglevel=error) || return 1
  fi
  node --test tests/amplify/
}

work="$(mktemp -d)"
trap 'stop_emulator; rm -rf "$work"' EXIT

# The fuzz crate is a workspace of its own: `cargo fmt` at the root does not reach it.
fmt_check() { cargo fmt --check && (cd fuzz && cargo fmt --check); }
suite "cargo fmt --check" fmt_check
# Each target twice: everything, and the session core the default entry downloads (no `flows` feature).
clippy_both() {
  cargo clippy --all-targets "$@" -- -D warnings && cargo clippy --lib --no-default-features "$@" -- -D warnings
}
suite "cargo clippy (native)" clippy_both
suite "cargo clippy (wasm32)" clippy_both --target wasm32-unknown-unknown
suite "Cognito emulator's own tests (pytest)" "$VENV/bin/python" -m pytest tests/emulator -q
# Builds the fuzz targets as fuzz/run.sh does (stable toolchain, RUSTC_BOOTSTRAP=1, no cargo-fuzz) and runs each for
# 5 s over its seeds: a crash fails the suite (the input is kept in fuzz/artifacts/<target>/). The long run is
# `bash fuzz/run.sh 3600`.
suite "fuzz smoke" bash fuzz/run.sh 5

step "start the Cognito emulator"
# --https-port: aws-amplify's managed login puts https:// before the domain (tests/amplify/redirect.test.mjs).
start_emulator "$work/emulator.json" --https-port 0
note "endpoint $COGNITO_EMULATOR_ENDPOINT, pool $COGNITO_EMULATOR_POOL_ID, client $COGNITO_EMULATOR_CLIENT_ID"

suite "cargo test (native, with the emulator)" cargo test
suite "wasm-bindgen-test in headless Chromium (with the emulator)" \
  cargo test --target wasm32-unknown-unknown --lib --test browser_e2e

suite "build the npm package" bash scripts/build.sh
if [ "$suite_status" -eq 0 ]; then
  suite "the npm package in Node 20" node --test tests/node/
  suite "the packed package in Vite, webpack, Rollup and esbuild (headless Chromium, with the emulator)" \
    bash tests/bundlers/run.sh
  suite "cognito-wasm/amplify against aws-amplify v6 (Node, and Chromium for the session takeover)" amplify_suite
  stop_emulator
  suite "the demo in headless Chromium (Playwright over the Vite build)" bash scripts/e2e.sh
else
  stop_emulator
  not_run "the npm package in Node 20" "the package build failed"
  not_run "the packed package in Vite, webpack, Rollup and esbuild (headless Chromium, with the emulator)" \
    "the package build failed"
  not_run "cognito-wasm/amplify against aws-amplify v6 (Node, and Chromium for the session takeover)" "the package build failed"
  not_run "the demo in headless Chromium (Playwright over the Vite build)" "the package build failed"
fi

if [ "${#failed[@]}" -gt 0 ]; then
  printf '\nfailed suites:\n'
  printf '  - %s\n' "${failed[@]}"
fi
printf '\nsuites: %d passed, %d failed\n' "${#passed[@]}" "${#failed[@]}"
[ "${#failed[@]}" -eq 0 ] || exit 1
