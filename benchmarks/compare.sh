#!/usr/bin/env bash
# disfer against its references in one run, as one markdown table of ratios:
#   - the FER-2013 network (bench_inference) against TF.js 4.22 WASM-SIMD at batch 1 and 256, its
#     GFLOP/s as a share of the measured FP32 FMA peak, 2 threads against 1; the second network
#     (face-api's FaceExpressionNet) against face-api 1.7.15 itself on TF.js 4.22 WASM-SIMD;
#   - blur (48x48 and 1024x1024, sigma 0.8/1.1/1.4), noise and salt-and-pepper (bench_image)
#     against OpenCV;
#   - Fleiss' kappa on 10^6 and 10^7 items (bench_agreement) against the plain-sum floor and
#     statsmodels (bench_agreement_statsmodels.py);
# one column for the default build (automatic SIMD dispatch) and one per SIMD path this CPU has,
# forced with DISFER_SIMD=portable|sse2|avx2|avx512.
#
#   bash benchmarks/compare.sh [--quick] [--build-dir DIR] [--jobs N]
#
# Configures the `bench` preset into DIR (default build/bench) if it is not configured yet, builds
# only bench_inference, bench_image, bench_agreement and simd_paths, installs the pinned TF.js
# (tfjs_wasm_install.cmake) and face-api (faceapi_wasm_install.cmake) when node and npm are on PATH, runs statsmodels when python3 has it;
# a reference that cannot run gives "n/a" cells with the reason under the table. The Google
# Benchmark JSON, logs and the table (table.md) stay in DIR/compare. --quick: short minimum times,
# one repetition (a smoke run; the network's benchmark keeps its own 2 s minimum); otherwise 3
# repetitions and their medians. --jobs: build parallelism (default 2).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"

quick=0
build_dir="$root/build/bench"
jobs=2
usage() { sed -n '/^#   bash/p' "$0" | sed 's/^#   //' >&2; }
while (($# > 0)); do
  case "$1" in
    --quick) quick=1 ;;
    --build-dir)
      (($# >= 2)) || { usage; exit 2; }
      build_dir="$2"
      shift
      ;;
    --build-dir=*) build_dir="${1#--build-dir=}" ;;
    --jobs)
      (($# >= 2)) || { usage; exit 2; }
      jobs="$2"
      shift
      ;;
    -h | --help) usage; exit 0 ;;
    *) echo "compare.sh: unknown argument '$1'" >&2; usage; exit 2 ;;
  esac
  shift
done
mkdir -p "$build_dir"
build_dir="$(cd "$build_dir" && pwd)"
results="$build_dir/compare"
bin="$build_dir/benchmarks"
say() { echo "compare.sh: $*" >&2; }

# 1. Configure (once) and build the four programs.
if [[ ! -f $build_dir/CMakeCache.txt ]]; then
  say "configuring the bench preset into $build_dir"
  (cd "$root" && cmake --preset bench -B "$build_dir" >"$build_dir/compare-configure.log") ||
    { say "configure failed, see $build_dir/compare-configure.log"; exit 1; }
else
  # Regenerate first: make reads its target list before it reruns CMake, so a target added since
  # the last configure would be unknown to this build.
  cmake -S "$root" -B "$build_dir" >"$build_dir/compare-configure.log" ||
    { say "configure failed, see $build_dir/compare-configure.log"; exit 1; }
fi
targets=(bench_image bench_agreement simd_paths)
target_list="$(cmake --build "$build_dir" --target help 2>/dev/null || true)"
if grep -q 'bench_inference' <<<"$target_list"; then
  targets+=(bench_inference)
fi
say "building ${targets[*]} (-j$jobs)"
cmake --build "$build_dir" --target "${targets[@]}" -j"$jobs" >"$build_dir/compare-build.log" 2>&1 ||
  { say "build failed, see $build_dir/compare-build.log"; exit 1; }

rm -rf "$results"
mkdir -p "$results"

# 2. The machine, the compiler, the commit.
cache_value() { sed -n "s/^$1:[A-Z]*=//p" "$build_dir/CMakeCache.txt" | head -n 1; }
lscpu_field() { LC_ALL=C lscpu | sed -n "s/^$1:[[:space:]]*//p" | head -n 1; }
has_flag() { grep -m1 '^flags' /proc/cpuinfo | grep -qw "$1" && echo yes || echo no; }
cxx="$(cache_value CMAKE_CXX_COMPILER)"
commit="$(git -C "$root" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)"
if [[ $commit != unknown ]] && [[ -n "$(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null)" ]]; then
  commit="$commit (with uncommitted changes)"
fi
flags="$(cache_value CMAKE_CXX_FLAGS) $(cache_value CMAKE_CXX_FLAGS_RELEASE)"
flags="$(xargs <<<"$flags")"  # trimmed
opencv="not found at configure time"
opencv_dir="$(cache_value OpenCV_DIR)"
if [[ -n $opencv_dir && -f $opencv_dir/OpenCVConfig-version.cmake ]]; then
  opencv="$(sed -n 's/^set(OpenCV_VERSION \([0-9.]*\)).*/\1/p' "$opencv_dir/OpenCVConfig-version.cmake" | head -n 1)"
fi
shown_dir="$build_dir"  # relative to the repository when inside it
[[ $build_dir == "$root"/* ]] && shown_dir="${build_dir#"$root"/}"
cpu_id="family $(lscpu_field 'CPU family'), model $(lscpu_field 'Model')"
mapfile -t available < <("$bin/simd_paths" --available)
best="${available[${#available[@]} - 1]}"
if ((quick)); then
  mode="quick smoke run: --benchmark_min_time=0.05, one repetition (the network's benchmark keeps its 2 s minimum; statsmodels best of 2; TF.js 30 + 256 images)"
  bench_flags=(--benchmark_min_time=0.05)
  ref_flags=(--quick)
else
  mode="3 repetitions, medians (--benchmark_min_time=0.5; statsmodels best of 3; TF.js 200 + 768 images)"
  bench_flags=(--benchmark_min_time=0.5 --benchmark_repetitions=3 --benchmark_report_aggregates_only=true)
  ref_flags=()
fi
{
  echo "Measured by \`bash benchmarks/compare.sh$( ((quick)) && echo ' --quick')\` on $(date -u '+%Y-%m-%d %H:%M') UTC, commit $commit."
  echo
  echo "- Machine: $(lscpu_field 'Model name') ($cpu_id), $(lscpu_field 'CPU(s)') logical CPUs ($(lscpu_field 'Core(s) per socket') cores per socket x $(lscpu_field 'Socket(s)') socket(s), $(lscpu_field 'Thread(s) per core') thread(s) per core); avx2: $(has_flag avx2), avx512f: $(has_flag avx512f); $(lscpu_field 'Hypervisor vendor' | sed 's/^\(.\)/hypervisor \1/;s/^$/no hypervisor/'); load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- Compiler: $("$cxx" --version | head -n 1); build type $(cache_value CMAKE_BUILD_TYPE), flags \`$flags\` ($shown_dir)"
  echo "- References: OpenCV $opencv (in bench_image, cv::setNumThreads(1)); TF.js 4.22.0 WASM backend, for face-api 1.7.15 too (node $(node --version 2>/dev/null || echo 'not found')); statsmodels (bench_agreement_statsmodels.py)"
  echo "- Columns: 'default' = automatic dispatch (this CPU: $best); 'DISFER_SIMD=p' forces path p for every dispatched kernel (network convolutions, depthwise and pooling; blur, noise, salt-and-pepper, Philox, Fleiss' kappa) and the FMA-peak benchmark; 'portable' runs the network's convolutions with Eigen's GEMM. The references are measured once."
  echo "- Mode: $mode"
} >"$results/header.md"

# 3. The references.
models="$build_dir/share/disfer/models"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "node or npm not found on PATH (Debian: nodejs npm)" >"$results/tfjs.skipped"
elif [[ ! -f $models/emotion.json ]]; then
  echo "the FER-2013 model is not in $models (fetched at configure time)" >"$results/tfjs.skipped"
else
  say "TF.js WASM (pinned install into $build_dir/tfjs-wasm)"
  set +e
  bash "$here/tfjs_wasm_compare.sh" "$models" "$build_dir" "${ref_flags[@]}" --json="$results/tfjs.json" \
    >"$results/tfjs.log" 2>&1
  rc=$?
  set -e
  if ((rc != 0)); then
    rm -f "$results/tfjs.json"
    if ((rc == 77)); then
      sed -n 's/^skipped: TF.js WASM: //p' "$results/tfjs.log" | head -n 1 >"$results/tfjs.skipped"
    else
      echo "tfjs_wasm_compare.sh failed (exit $rc), see $results/tfjs.log" >"$results/tfjs.skipped"
    fi
  fi
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "node or npm not found on PATH (Debian: nodejs npm)" >"$results/faceapi.skipped"
else
  say "face-api on TF.js WASM (pinned install into $build_dir/faceapi-wasm)"
  set +e
  bash "$here/faceapi_wasm_compare.sh" "$build_dir" "${ref_flags[@]}" --json="$results/faceapi.json" \
    >"$results/faceapi.log" 2>&1
  rc=$?
  set -e
  if ((rc != 0)); then
    rm -f "$results/faceapi.json"
    if ((rc == 77)); then
      sed -n 's/^skipped: face-api on TF.js WASM: //p' "$results/faceapi.log" | head -n 1 >"$results/faceapi.skipped"
    else
      echo "faceapi_wasm_compare.sh failed (exit $rc), see $results/faceapi.log" >"$results/faceapi.skipped"
    fi
  fi
fi
python=""
for p in /usr/bin/python3 python3; do
  if command -v "$p" >/dev/null && "$p" -c 'import statsmodels, numpy' 2>/dev/null; then
    python="$p"
    break
  fi
done
if [[ -z $python ]]; then
  echo "no python3 with statsmodels and numpy (Debian: python3-statsmodels)" >"$results/statsmodels.skipped"
else
  say "statsmodels ($python)"
  "$python" "$here/bench_agreement_statsmodels.py" "${ref_flags[@]}" --json "$results/statsmodels.json" \
    >"$results/statsmodels.log" 2>&1 ||
    { rm -f "$results/statsmodels.json"
      echo "bench_agreement_statsmodels.py failed, see $results/statsmodels.log" >"$results/statsmodels.skipped"; }
fi

# 4. disfer, once per column.
declare -A filters=(
  [bench_inference]='^BM_(fer2013_xception|faceapi_expression)/batch:(1/threads:1|256/threads:[12])/|^BM_fp32_fma_peak'
  [bench_image]='^(disfer|opencv)_(blur|noise|salt_and_pepper)/(48|1024)/'
  [bench_agreement]='^fleiss_kappa_int64(_nonnull_se)?/rows:[0-9]+/portable:0/|^plain_sum_int64/'
)
run_column() {  # folder, DISFER_SIMD value ("" = unset)
  local folder=$1 simd=$2 dir="$results/$1" b rc
  mkdir -p "$dir"
  for b in bench_inference bench_image bench_agreement; do
    if [[ ! -x $bin/$b ]]; then
      echo "$b was not built (the inference component needs nlohmann-json and the model)" >"$dir/$b.skipped"
      continue
    fi
    say "$folder: $b"
    set +e
    if [[ -z $simd ]]; then
      env -u DISFER_SIMD "$bin/$b" --benchmark_filter="${filters[$b]}" --benchmark_out="$dir/$b.json" \
        --benchmark_out_format=json "${bench_flags[@]}" >"$dir/$b.log" 2>&1
    else
      DISFER_SIMD="$simd" "$bin/$b" --benchmark_filter="${filters[$b]}" --benchmark_out="$dir/$b.json" \
        --benchmark_out_format=json "${bench_flags[@]}" >"$dir/$b.log" 2>&1
    fi
    rc=$?
    set -e
    if ((rc != 0)); then
      rm -f "$dir/$b.json"
      echo "$b failed (exit $rc), see $dir/$b.log" >"$dir/$b.skipped"
    fi
  done
}
: >"$results/columns.tsv"
: >"$results/notes.md"
run_column default ""
printf 'default\tdefault (%s)\n' "$best" >>"$results/columns.tsv"
for p in portable sse2 avx2 avx512; do
  if ! printf '%s\n' "${available[@]}" | grep -qx "$p"; then
    echo "- DISFER_SIMD=$p: not run, this CPU lacks it (the library would refuse it: simd_path_name() throws)." >>"$results/notes.md"
    continue
  fi
  current="$(DISFER_SIMD="$p" "$bin/simd_paths" --current 2>&1)" || true
  if [[ $current != "$p" ]]; then
    echo "- DISFER_SIMD=$p: not run, refused: $current" >>"$results/notes.md"
    continue
  fi
  run_column "$p" "$p"
  printf '%s\tDISFER_SIMD=%s\n' "$p" "$p" >>"$results/columns.tsv"
done

# 5. The table.
python3 "$here/compare_table.py" "$results" --out "$results/table.md"
say "table written to $results/table.md"
