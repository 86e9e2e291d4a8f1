# The face-api oracle of disfer's second network (tests/inference/test_faceapi_expression.cpp):
# installs face-api 1.7.15 with TensorFlow.js 4.22.0 (@tensorflow/tfjs, -backend-wasm; the entry
# point dist/face-api.node-wasm.js needs no native binary) into ${DISFER_FACEAPI_ORACLE_DIR}
# (<build>/faceapi-oracle) at configure time, with disfer_npm_install (cmake/disferNpm.cmake:
# `npm pack` + SHA-256 of the listed tarballs, then `npm ci --ignore-scripts` from the committed
# tests/inference/reference/faceapi-oracle/package-lock.json). Without node, npm or network the
# build goes on; DISFER_FACEAPI_ORACLE_MISSING says what is missing and the live test skips.
# Sanitizer builds install nothing (the live test carries the label no-asan).
include(disferNpm)
set(DISFER_FACEAPI_ORACLE_DIR "${PROJECT_BINARY_DIR}/faceapi-oracle")
option(DISFER_FETCH_FACEAPI_ORACLE "Install face-api 1.7.15 and TF.js 4.22 with npm into the build tree (the live oracle test)" ON)
set(DISFER_FACEAPI_ORACLE_MISSING "")
if(DISFER_SANITIZE)
  set(DISFER_FACEAPI_ORACLE_MISSING "not installed in sanitizer builds (DISFER_SANITIZE=ON, the live oracle test is no-asan)")
elseif(NOT DISFER_FACEAPI_MODEL_AVAILABLE)
  set(DISFER_FACEAPI_ORACLE_MISSING "face-api's model is unavailable (see its message above), so face-api was not installed")
elseif(NOT DISFER_FETCH_FACEAPI_ORACLE)
  set(DISFER_FACEAPI_ORACLE_MISSING "DISFER_FETCH_FACEAPI_ORACLE is OFF, so face-api was not installed into ${DISFER_FACEAPI_ORACLE_DIR}")
else()
  include(disferFaceapiPackages)
  disfer_npm_install(
    DIR "${DISFER_FACEAPI_ORACLE_DIR}" LOCK_DIR "${DISFER_FACEAPI_LOCK_DIR}"
    WHAT "face-api 1.7.15 and TF.js 4.22.0 for the oracle test" MISSING DISFER_FACEAPI_ORACLE_MISSING
    PACKAGES ${DISFER_FACEAPI_PACKAGES})
endif()
if(DISFER_FACEAPI_ORACLE_MISSING)
  disfer_npm_one_line(DISFER_FACEAPI_ORACLE_MISSING)
  message(STATUS "disfer: face-api oracle UNAVAILABLE: ${DISFER_FACEAPI_ORACLE_MISSING}; the live oracle test skips "
                 "(the committed face-api values are still checked)")
else()
  message(STATUS "disfer: face-api 1.7.15 oracle available in ${DISFER_FACEAPI_ORACLE_DIR}")
endif()
