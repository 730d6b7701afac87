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
# std rebuilt from rust-src (rust-toolchain.toml pins the toolchain and its rust-src) with the immediate-abort
# panic strategy: a panic is a trap, so no panic messages, locations or formatting machinery reach the wasm
# (-6.2 KB gzip). `-Zlocation-detail=none` drops the remaining `#[track_caller]` locations (-0.7 KB). RUSTC_BOOTSTRAP
# makes rustc treat itself as nightly, whose default symbol mangling (v0) would give the wasm-bindgen closure exports
# long names in the wasm and the glue: legacy keeps them short. These are nightly flags on the pinned stable, kept
# here rather than in .cargo/config.toml so that native tests, clippy and the wasm-bindgen-test builds keep the
# ordinary std.
RUSTC_BOOTSTRAP=1 \
  RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Csymbol-mangling-version=legacy" \
  cargo build --lib --release --target wasm32-unknown-unknown --target-dir "$target_dir" "${features[@]}" \
  -Zbuild-std=std,panic_abort

step "wasm-bindgen"
rm -rf "$out"
wasm-bindgen --target web --out-dir "$out" --out-name cognito_wasm \
  "$target_dir/wasm32-unknown-unknown/release/cognito_wasm.wasm"

step "wasm-opt -Oz (npm binaryen)"
# Rust's wasm32 target enables these features by default; wasm-opt must be told it may keep them.
"$ROOT/node_modules/.bin/wasm-opt" -Oz --converge --strip-debug --strip-producers --strip-target-features \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$out/cognito_wasm_bg.wasm" -o "$out/cognito_wasm_bg.wasm"
# The imports from the glue get short names in the .wasm and the glue alike (-1.3 KB gzip wasm, -0.9 KB glue).
python3 scripts/minify_imports.py "$out/cognito_wasm_bg.wasm" "$out/cognito_wasm.js"
rm -f "$out/.gitignore" "$out/package.json"

wasm_raw=$(stat -c %s "$out/cognito_wasm_bg.wasm")
wasm_gz=$(gzip -9 -c "$out/cognito_wasm_bg.wasm" | wc -c)
js_raw=$(cat "$out/cognito_wasm.js" js/index.js js/auth.js | wc -c)
js_gz=$(cat "$out/cognito_wasm.js" js/index.js js/auth.js | gzip -9 | wc -c)
note "wasm: $wasm_raw B raw, $wasm_gz B gzip; JS glue + entry: $js_raw B raw, $js_gz B gzip"
