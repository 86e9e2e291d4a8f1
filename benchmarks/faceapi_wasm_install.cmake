# Installs face-api 1.7.15 with TensorFlow.js 4.22.0 (@tensorflow/tfjs, -backend-wasm) for
# benchmarks/faceapi_wasm_compare.mjs, pinned exactly as the face-api oracle test's install
# (cmake/disferFaceapiOracle.cmake: the same lockfile, tests/inference/reference/faceapi-oracle,
# and tarball SHA-256; cmake/disferNpm.cmake, disfer_npm_install). A complete install is kept.
#   cmake -DDIR=<install dir> [-DRESULT=<file>] -P benchmarks/faceapi_wasm_install.cmake
# RESULT (default DIR/../faceapi-wasm.missing) is written empty on success, else with one line
# saying what is missing; the script itself exits 0 after that.
cmake_minimum_required(VERSION 3.25)
if(NOT DIR)
  message(FATAL_ERROR "faceapi_wasm_install.cmake: -DDIR=<install dir> is required")
endif()
get_filename_component(DIR "${DIR}" ABSOLUTE)
if(NOT RESULT)
  set(RESULT "${DIR}/../faceapi-wasm.missing")
endif()
include("${CMAKE_CURRENT_LIST_DIR}/../cmake/disferNpm.cmake")
include("${CMAKE_CURRENT_LIST_DIR}/../cmake/disferFaceapiPackages.cmake")
disfer_npm_install(DIR "${DIR}" LOCK_DIR "${DISFER_FACEAPI_LOCK_DIR}" MISSING missing
                   WHAT "face-api 1.7.15 and TF.js 4.22.0 for the benchmarks" PACKAGES ${DISFER_FACEAPI_PACKAGES})
file(WRITE "${RESULT}" "${missing}")
if(missing)
  message(STATUS "face-api on TF.js WASM unavailable: ${missing}")
else()
  message(STATUS "face-api 1.7.15 on TF.js 4.22.0 installed in ${DIR}")
endif()
