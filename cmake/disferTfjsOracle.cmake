# The TensorFlow.js oracle of the FER-2013 network (tests/inference/test_tfjs_oracle.cpp): installs
# TF.js 4.22.0 (@tensorflow/tfjs-core, -converter, -backend-cpu) at configure time into
# ${DISFER_TFJS_ORACLE_DIR} (<build>/tfjs-oracle), for the live oracle ctest, with
# disfer_npm_install (cmake/disferNpm.cmake: `npm pack` + SHA-256 of the tarballs, then `npm ci
# --ignore-scripts` from the committed tests/inference/reference/tfjs-oracle/package-lock.json; a
# stamp keeps a complete install). Included by tests/inference/CMakeLists.txt, so only when the
# inference tests are built. Without node, npm or network the build goes on;
# DISFER_TFJS_ORACLE_MISSING then says what is missing and the live test skips with that message.
# Sanitizer builds install nothing (the live test carries the label no-asan).
#
# Sets DISFER_TFJS_ORACLE_DIR, DISFER_NODE_EXECUTABLE and DISFER_TFJS_ORACLE_MISSING (empty when
# TF.js is installed).
include(disferNpm)
set(DISFER_TFJS_ORACLE_DIR "${PROJECT_BINARY_DIR}/tfjs-oracle")
set(_disfer_tfjs_version "4.22.0")
option(DISFER_FETCH_TFJS "Install TensorFlow.js ${_disfer_tfjs_version} with npm into the build tree (the live oracle test)" ON)

set(DISFER_TFJS_ORACLE_MISSING "")
if(DISFER_SANITIZE)
  set(DISFER_TFJS_ORACLE_MISSING "not installed in sanitizer builds (DISFER_SANITIZE=ON, the live oracle test is no-asan)")
elseif(NOT DISFER_MODEL_AVAILABLE)
  set(DISFER_TFJS_ORACLE_MISSING "the FER-2013 model is unavailable (see the model's message above), so TF.js was not installed")
elseif(NOT DISFER_FETCH_TFJS)
  set(DISFER_TFJS_ORACLE_MISSING "DISFER_FETCH_TFJS is OFF, so TF.js was not installed into ${DISFER_TFJS_ORACLE_DIR}")
else()
  # SHA-256 of the npm tarballs tensorflow-<name>-4.22.0.tgz (as `npm pack` writes them).
  disfer_npm_install(
    DIR "${DISFER_TFJS_ORACLE_DIR}" LOCK_DIR "${PROJECT_SOURCE_DIR}/tests/inference/reference/tfjs-oracle"
    WHAT "TensorFlow.js ${_disfer_tfjs_version} for the oracle test" MISSING DISFER_TFJS_ORACLE_MISSING
    PACKAGES "@tensorflow/tfjs-core@${_disfer_tfjs_version}=e8f8aa285ad0237b901e7d79995a1450993cf11fb1b3cc02f09de167fdaf9496"
             "@tensorflow/tfjs-converter@${_disfer_tfjs_version}=f8fcaa0d13446e5637f590f72b1595c2571779a81a927003baa0d488165b1a7a"
             "@tensorflow/tfjs-backend-cpu@${_disfer_tfjs_version}=d3c32e2fe0452fe302e88dde434cd8d7b126ce21754c6c972b28e3bcb8ec0878")
endif()
if(DISFER_TFJS_ORACLE_MISSING)
  disfer_npm_one_line(DISFER_TFJS_ORACLE_MISSING)
  message(STATUS "disfer: TF.js oracle UNAVAILABLE: ${DISFER_TFJS_ORACLE_MISSING}; the live oracle test skips "
                 "(the committed TF.js values are still checked)")
else()
  message(STATUS "disfer: TF.js ${_disfer_tfjs_version} oracle available in ${DISFER_TFJS_ORACLE_DIR}")
endif()
