#!/usr/bin/env bash
# Runs every fuzz target for a while (default 20 s each) without installing cargo-fuzz: builds the targets with
# libFuzzer's coverage flags on the stable toolchain (RUSTC_BOOTSTRAP=1), then runs each binary over
# fuzz/corpus/<target> seeded from fuzz/seeds/<target>.
#   fuzz/run.sh                          # 20 s per target
#   fuzz/run.sh 5                        # the smoke run of `npm test` (scripts/test.sh)
#   fuzz/run.sh 3600                     # the long run
#   fuzz/run.sh 600 fuzz_client_machine  # some targets only
# Overflow checks and debug assertions are on, so arithmetic overflow counts as a crash. Every target runs even
# after one crashes; each one's libFuzzer output goes to fuzz/artifacts/<target>/run.log (with the crashing
# input beside it), a table of runs and coverage ends the output, and the exit status is non-zero if any crashed.
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-20}"
shift || true
targets=(
  fuzz_base64
  fuzz_json_parse
  fuzz_jwks_parse
  fuzz_jwt_decode
  fuzz_cognito_response
  fuzz_stored_session
  fuzz_sign_in_steps
  fuzz_srp_challenge
  fuzz_client_machine
  fuzz_oauth
)
if [ "$#" -gt 0 ]; then
  targets=("$@")
fi
triple="$(rustc -vV | sed -n 's/^host: //p')"
export RUSTC_BOOTSTRAP=1
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions -Coverflow-checks"
# --target keeps RUSTFLAGS away from build scripts (they cannot link the coverage hooks).
cargo build --release --bins --target "$triple"

# A libFuzzer final statistic of the log: final_stat LOG NAME.
final_stat() { sed -n "s/^stat::$2: *//p" "$1" | tail -n 1; }

summary=()
crashed=()
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target" "artifacts/$target"
  log="artifacts/$target/run.log"
  echo "== $target ($secs s)"
  status=0
  # -timeout: an input that runs for 30 s is a hang (the slowest real one takes milliseconds).
  "target/$triple/release/$target" "corpus/$target" "seeds/$target" \
    -max_total_time="$secs" -max_len=20000 -timeout=30 -print_final_stats=1 \
    -artifact_prefix="artifacts/$target/" >"$log" 2>&1 || status=$?
  cov="$(grep -o 'cov: [0-9]* ft: [0-9]* corp: [0-9]*' "$log" | tail -n 1 || true)"
  line="$(printf '%-22s %10s runs %7s exec/s   %s' "$target" "$(final_stat "$log" number_of_executed_units)" \
    "$(final_stat "$log" average_exec_per_sec)" "${cov:-no coverage line}")"
  if [ "$status" -ne 0 ]; then
    crashed+=("$target")
    line="$line   CRASHED (exit $status)"
    echo "   CRASHED (exit $status): from $log"
    { grep -A 2 'panicked at' "$log" || tail -n 20 "$log"; grep -E '^SUMMARY|Test unit written|^Base64' "$log" || true; } |
      sed 's/^/   | /'
  fi
  echo "   $line"
  summary+=("$line")
done

echo
echo "== fuzz runs ($secs s each)"
printf '%s\n' "${summary[@]}"
if [ "${#crashed[@]}" -gt 0 ]; then
  echo "crashed: ${crashed[*]} (inputs in fuzz/artifacts/<target>/)"
  exit 1
fi
