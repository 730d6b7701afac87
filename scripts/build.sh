#!/usr/bin/env bash
# Builds the npm package: wasm (release, size-tuned) -> wasm-bindgen (--target web) -> wasm-opt -Oz.
# Output: pkg/ (generated glue, .d.ts, .wasm); the hand-written entry points live in js/.
# `--bench` builds the benchmark variant (with the `srpBench` export) into pkg-bench/ instead.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

out=pkg features=()
if [ "${1:-}" = "--bench" ]; then
  out=pkg-bench features=(--features bench)
fi

step "cargo build (wasm32, release${features[*]:+, ${features[*]}})"
# The bench variant gets its own target dir so the two builds do not overwrite each other's artefacts.
target_dir="target"
[ "$out" = pkg ] || target_dir="target/bench"
cargo build --lib --release --target wasm32-unknown-unknown --target-dir "$target_dir" "${features[@]}"

step "wasm-bindgen"
rm -rf "$out"
wasm-bindgen --target web --out-dir "$out" --out-name cognito_wasm \
  "$target_dir/wasm32-unknown-unknown/release/cognito_wasm.wasm"

step "wasm-opt -Oz (npm binaryen)"
# Rust's wasm32 target enables these features by default; wasm-opt must be told it may keep them.
"$ROOT/node_modules/.bin/wasm-opt" -Oz --strip-debug --strip-producers \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$out/cognito_wasm_bg.wasm" -o "$out/cognito_wasm_bg.wasm"
rm -f "$out/.gitignore" "$out/package.json"

wasm_raw=$(stat -c %s "$out/cognito_wasm_bg.wasm")
wasm_gz=$(gzip -9 -c "$out/cognito_wasm_bg.wasm" | wc -c)
js_raw=$(cat "$out/cognito_wasm.js" js/index.js js/auth.js | wc -c)
js_gz=$(cat "$out/cognito_wasm.js" js/index.js js/auth.js | gzip -9 | wc -c)
note "wasm: $wasm_raw B raw, $wasm_gz B gzip; JS glue + entry: $js_raw B raw, $js_gz B gzip"
