#!/usr/bin/env bash
# Prints where the shipped wasm's bytes go (a markdown table), from the release build that scripts/build.sh made:
# the same wasm-bindgen and wasm-opt steps, with function names kept. The session core by default;
# `SIZE_TARGET=. SIZE_WASM=cognito_wasm_flows` for the flows module.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
[ -f pkg/cognito_wasm_bg.wasm ] || bash scripts/build.sh
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
wasm-bindgen --target web --keep-debug --out-dir "$work" --out-name named \
  "target/${SIZE_TARGET:-core}/wasm32-unknown-unknown/release/cognito_wasm.wasm"
"$ROOT/node_modules/.bin/wasm-opt" -Oz --converge --low-memory-unused --one-caller-inline-max-function-size=20 --debuginfo \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$work/named_bg.wasm" -o "$work/named.wasm"
python3 scripts/wasm_attribution.py "$work/named.wasm" "pkg/${SIZE_WASM:-cognito_wasm}_bg.wasm"
