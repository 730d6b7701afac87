#!/usr/bin/env bash
# Builds the npm package: wasm (release, size-tuned) -> wasm-bindgen (--target web) -> wasm-opt -Oz.
# Output: pkg/ (generated glue, .d.ts, .wasm); the hand-written entry points live in js/.
# `--bench` builds the benchmark variant (with the `srpBench` export) into pkg-bench/ instead.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

# One wasm per variant: `cognito_wasm` is the session core (no `flows` feature) that the default entry downloads;
# `cognito_wasm_flows` has everything and is loaded on the first call that needs it. `--bench` builds the
# benchmark variant (everything, plus the `srpBench` export) into pkg-bench/ instead.
out=pkg
bench=
if [ "${1:-}" = "--bench" ]; then
  out=pkg-bench bench=1
fi

# build_variant NAME TARGET_DIR CARGO_FEATURE_ARGS...
build_variant() {
  local name=$1 target_dir=$2
  shift 2
  step "cargo build (wasm32, release, $name${*:+, $*})"
  # std rebuilt from rust-src (rust-toolchain.toml pins the toolchain and its rust-src) with the immediate-abort
  # panic strategy: a panic is a trap, so no panic messages, locations or formatting machinery reach the wasm
  # (-6.2 KB gzip). `-Zlocation-detail=none` drops the remaining `#[track_caller]` locations (-0.7 KB).
  # RUSTC_BOOTSTRAP makes rustc treat itself as nightly, whose default symbol mangling (v0) would give the
  # wasm-bindgen closure exports long names in the wasm and the glue: legacy keeps them short. These are nightly
  # flags on the pinned stable, kept here rather than in .cargo/config.toml so that native tests, clippy and the
  # wasm-bindgen-test builds keep the ordinary std.
  RUSTC_BOOTSTRAP=1 \
    RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Csymbol-mangling-version=legacy" \
    cargo build --lib --release --target wasm32-unknown-unknown --target-dir "$target_dir" "$@" \
    -Zbuild-std=std,panic_abort

  step "wasm-bindgen ($name)"
  wasm-bindgen --target web --out-dir "$out" --out-name "$name" \
    "$target_dir/wasm32-unknown-unknown/release/cognito_wasm.wasm"

  step "wasm-opt -Oz (npm binaryen, $name)"
  # Rust's wasm32 target enables these features by default; wasm-opt must be told it may keep them.
  # `--low-memory-unused` lets constant addresses fold into loads and stores (-0.4 KB gzip): Rust's wasm puts its
  # stack first, growing down towards address 0, and its data above it, so the low 1 KB is never used.
  # `--one-caller-inline-max-function-size=20`: a function with one caller is inlined only when small. The file
  # gets 2-3 KB larger raw but 1.2 KB smaller gzip (the separate bodies compress better than their inlined copies
  # in the async state machines); 10, 20 and 50 were measured, 20 is the best.
  "$ROOT/node_modules/.bin/wasm-opt" -Oz --converge --low-memory-unused --one-caller-inline-max-function-size=20 \
    --strip-debug --strip-producers --strip-target-features \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$out/${name}_bg.wasm" -o "$out/${name}_bg.wasm"
  # The imports from the glue get short names in the .wasm and the glue alike (-1.3 KB gzip wasm, -0.9 KB glue).
  python3 scripts/minify_imports.py "$out/${name}_bg.wasm" "$out/${name}.js"
}

rm -rf "$out"
if [ -n "$bench" ]; then
  # Its own target dir, so that the variants do not overwrite each other's artefacts.
  build_variant cognito_wasm target/bench --features bench
else
  build_variant cognito_wasm target/core --no-default-features
  build_variant cognito_wasm_flows target
fi
rm -f "$out/.gitignore" "$out/package.json"

for name in cognito_wasm cognito_wasm_flows; do
  [ -f "$out/${name}_bg.wasm" ] || continue
  wasm_raw=$(stat -c %s "$out/${name}_bg.wasm")
  wasm_gz=$(gzip -9 -n -c "$out/${name}_bg.wasm" | wc -c)
  glue_gz=$(gzip -9 -n -c "$out/${name}.js" | wc -c)
  note "$name: wasm $wasm_raw B raw, $wasm_gz B gzip; its glue $glue_gz B gzip"
done
