#!/usr/bin/env bash
# The package in every bundler: packs it (`npm pack`, as it is published), unpacks the tarball into
# tests/bundlers/node_modules/cognito-wasm (what `npm install` does with a package that has no dependencies), and runs
# bundlers.test.mjs, which builds the app in app/ with Vite, webpack, Rollup and esbuild (the `build:*` scripts of
# package.json), serves each build (and Vite's dev server) and loads it in headless Chromium against the Cognito
# emulator. Expects the package built (scripts/build.sh) and the emulator started (COGNITO_EMULATOR_INFO), as
# scripts/test.sh does; without them the tests skip (fail under CI=true).
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
here="$ROOT/tests/bundlers"

if [ ! -d "$here/node_modules/vite" ]; then
  step "npm dependencies of tests/bundlers (missing)"
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$ROOT" && npm pack --silent --pack-destination "$work" >/dev/null)
rm -rf "$here/node_modules/cognito-wasm"
mkdir -p "$here/node_modules/cognito-wasm"
tar -xzf "$work"/cognito-wasm-*.tgz -C "$here/node_modules/cognito-wasm" --strip-components=1

node --test --test-concurrency=1 --test-timeout=300000 "$here/bundlers.test.mjs"
