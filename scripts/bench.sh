#!/usr/bin/env bash
# Benchmarks cognito-wasm against aws-amplify v6, amazon-cognito-identity-js and aws-jwt-verify in headless Chromium.
# Prints a markdown table, writes bench/results.json and bench/RESULTS.md. Installs what is missing first.
# BENCH_SKIP_BUILD=1 benchmarks pkg/ and pkg-bench/ as they are instead of rebuilding them; BENCH_RUNS sets the runs.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

if ! bash scripts/bootstrap.sh; then
  note "WARNING: scripts/bootstrap.sh failed; continuing with what is installed"
fi
if [ ! -x bench/node_modules/.bin/esbuild ] || [ ! -d bench/node_modules/playwright-core ]; then
  step "npm dependencies of bench/"
  (cd bench && npm ci --no-audit --no-fund --loglevel=error)
fi

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  step "build the npm package (pkg/)"
  bash scripts/build.sh
  # The SRP benchmark needs the bench-only `srpBench` export, built into pkg-bench/ by `build.sh --bench`.
  if grep -q -- '--bench' scripts/build.sh; then
    step "build the benchmark package (pkg-bench/)"
    bash scripts/build.sh --bench
  else
    note "scripts/build.sh has no --bench mode yet: the cognito-wasm SRP row will read n/a"
  fi
fi

work="$(mktemp -d)"
trap 'stop_emulator; rm -rf "$work"' EXIT

# currentUser() needs a signed-in session: the benchmark signs in against the emulator with a seeded user. The
# sign-in and start-up rows reach the emulator through bench/latency-proxy.mjs, which bench/run.mjs starts itself
# (every run in a fresh browser context, so the one seeded user serves them all).
BENCH_USERNAME="bench-user"
BENCH_PASSWORD="Bench-Passw0rd!"
if [ -f tests/emulator/cognito_emulator.py ] && [ -x "$VENV/bin/python" ]; then
  step "start the Cognito emulator"
  if start_emulator "$work/emulator.json" --seed-user "$BENCH_USERNAME:$BENCH_PASSWORD:bench@example.com"; then
    export BENCH_USERNAME BENCH_PASSWORD
    note "endpoint $COGNITO_EMULATOR_ENDPOINT, pool $COGNITO_EMULATOR_POOL_ID"
  else
    note "the emulator did not start: the currentUser, sign-in and start-up rows will read n/a"
    unset COGNITO_EMULATOR_INFO
  fi
else
  note "tests/emulator/cognito_emulator.py is absent: the currentUser, sign-in and start-up rows will read n/a"
fi

step "benchmarks (headless Chromium)"
node bench/run.mjs
note "written: bench/results.json, bench/RESULTS.md"
