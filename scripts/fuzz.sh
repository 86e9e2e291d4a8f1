#!/usr/bin/env bash
# Builds the libFuzzer targets (preset fuzz: clang++, ASan+UBSan) and runs each for a bounded time
# on its committed seed corpus (fuzz/corpus/<target>), plus the inputs earlier runs found
# (build/fuzz/corpus/<target>, not committed).
#   bash scripts/fuzz.sh [seconds per target, default 60] [target ...]
# Targets run DISFER_FUZZ_JOBS at a time (default: the number of cores), one core each.
# Exit status 1 when any target finds a crash, a leak, undefined behaviour, a timeout (> 10 s for
# one input), an out-of-memory (> 2 GB) or an exception other than disfer::error; the input is kept
# under build/fuzz/findings/<target>/ and printed in base64 when at most 8 KiB (replay:
# build/fuzz/fuzz/fuzz_<target> <file>; then commit it to fuzz/regressions/<target>/, which
# tests/reliability replays in ctest).
# Appends one line per target to build/fuzz/fuzz-log.tsv: date, target, seconds, executions.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
bash scripts/setup.sh
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
mapfile -t targets < <(if (($#)); then printf '%s\n' "$@"; else cat build/fuzz/fuzz/fuzzers.txt; fi)
jobs=${DISFER_FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}
((jobs > ${#targets[@]})) && jobs=${#targets[@]}
echo "=== fuzz: ${#targets[@]} targets x $seconds s, $jobs at a time"

fuzz_one() {  # target; log in build/fuzz/fuzz-<target>.log, exit status in build/fuzz/status-<target>
  local t=$1 work=build/fuzz/corpus/$1 findings=build/fuzz/findings/$1
  mkdir -p "$work" "$findings"
  local regressions=()
  [[ -d fuzz/regressions/$t ]] && regressions=("fuzz/regressions/$t")
  local rc=0
  ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "build/fuzz/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$findings/" "$work" "fuzz/corpus/$t" "${regressions[@]}" >"build/fuzz/fuzz-$t.log" 2>&1 || rc=$?
  echo "$rc" >"build/fuzz/status-$t"
}

running=0
for t in "${targets[@]}"; do
  if ((running >= jobs)); then
    wait -n || true
    running=$((running - 1))
  fi
  rm -f "build/fuzz/status-$t"
  echo "    $t: started $(date -u +%T)"
  fuzz_one "$t" &
  running=$((running + 1))
done
wait

failed=()
for t in "${targets[@]}"; do
  log=build/fuzz/fuzz-$t.log
  if [[ "$(cat "build/fuzz/status-$t" 2>/dev/null)" == 0 ]]; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    printf '%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$t" "$seconds" "${runs:-?}" >>build/fuzz/fuzz-log.tsv
    echo "    $t ok: ${runs:-?} inputs in $seconds s, corpus $(find "build/fuzz/corpus/$t" -type f | wc -l) + $(find "fuzz/corpus/$t" -type f | wc -l) seeds"
  else
    echo "    $t FINDING (log: $log):"
    grep -E 'ERROR|runtime error|disfer fuzz finding|Test unit written' "$log" | head -5 | sed 's/^/      /'
    # The input itself, so that a finding on a CI machine can be replayed from its log alone:
    #   echo <base64> | base64 -d > input; build/fuzz/fuzz/fuzz_<target> input
    for f in build/fuzz/findings/$t/*; do
      [[ -f $f ]] || continue
      if (($(stat -c %s "$f") <= 8192)); then
        echo "      input $(basename "$f") (base64): $(base64 -w0 "$f")"
      else
        echo "      input $(basename "$f"): $(stat -c %s "$f") bytes (too large to print)"
      fi
    done
    failed+=("$t")
  fi
done
if ((${#failed[@]})); then
  echo "fuzz: findings in ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: no finding in ${#targets[@]} targets x $seconds s"
