#!/usr/bin/env bash
# Builds the npm package: wasm (release, size-tuned) -> wasm-bindgen (--target web) -> wasm-opt -Oz.
# Output: pkg/ (generated glue, .d.ts, .wasm); the hand-written entry points live in js/.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

step "cargo build (wasm32, release)"
cargo build --lib --release --target wasm32-unknown-unknown

step "wasm-bindgen"
rm -rf pkg
wasm-bindgen --target web --out-dir pkg --out-name cognito_wasm \
  target/wasm32-unknown-unknown/release/cognito_wasm.wasm

step "wasm-opt -Oz (npm binaryen)"
# Rust's wasm32 target enables these features by default; wasm-opt must be told it may keep them.
"$ROOT/node_modules/.bin/wasm-opt" -Oz --strip-debug --strip-producers \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  pkg/cognito_wasm_bg.wasm -o pkg/cognito_wasm_bg.wasm
rm -f pkg/.gitignore pkg/package.json

wasm_raw=$(stat -c %s pkg/cognito_wasm_bg.wasm)
wasm_gz=$(gzip -9 -c pkg/cognito_wasm_bg.wasm | wc -c)
js_raw=$(cat pkg/cognito_wasm.js js/index.js | wc -c)
js_gz=$(cat pkg/cognito_wasm.js js/index.js | gzip -9 | wc -c)
note "wasm: $wasm_raw B raw, $wasm_gz B gzip; JS glue + entry: $js_raw B raw, $js_gz B gzip"
