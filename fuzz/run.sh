#!/usr/bin/env bash
# Runs every fuzz target for a short time (default 20 s each) without installing cargo-fuzz: builds
# the targets with libFuzzer's coverage flags on the stable toolchain (RUSTC_BOOTSTRAP=1), then runs
# each binary over fuzz/corpus/<target> seeded from fuzz/seeds/<target>.
#   fuzz/run.sh            # 20 s per target
#   fuzz/run.sh 3600       # the long run
# Overflow checks and debug assertions are on, so arithmetic overflow counts as a crash.
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-20}"
triple="$(rustc -vV | sed -n 's/^host: //p')"
export RUSTC_BOOTSTRAP=1
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions -Coverflow-checks"
# --target keeps RUSTFLAGS away from build scripts (they cannot link the coverage hooks).
cargo build --release --bins --target "$triple"
for target in fuzz_json_parse fuzz_jwks_parse fuzz_jwt_decode; do
  mkdir -p "corpus/$target" "artifacts/$target"
  echo "== $target ($secs s)"
  "target/$triple/release/$target" "corpus/$target" "seeds/$target" \
    -max_total_time="$secs" -max_len=20000 -artifact_prefix="artifacts/$target/"
done
