# The pinned npm packages of face-api's model fetch, oracle and benchmark (one list for all): face-api 1.7.15
# with TensorFlow.js 4.22.0 and its WASM backend, each with the SHA-256 of its tarball as `npm pack`
# writes it; the rest comes from the committed lockfile in DISFER_FACEAPI_LOCK_DIR (sha512 each).
set(DISFER_FACEAPI_LOCK_DIR "${CMAKE_CURRENT_LIST_DIR}/../tests/inference/reference/faceapi-oracle")
set(DISFER_FACEAPI_TARBALL_SHA256 "0d77fffeef362ef9c0939cf6c567f3a2e8e177f114fa257a3270cbd2e509b031")
set(DISFER_FACEAPI_PACKAGES
    "@vladmandic/face-api@1.7.15=${DISFER_FACEAPI_TARBALL_SHA256}"
    "@tensorflow/tfjs@4.22.0=56505c191e24116787477b3bb5bb1cc0cf1c2bdce8112b9c402a8a2d31cf2f00"
    "@tensorflow/tfjs-backend-wasm@4.22.0=5cd6f5e18657c12fb94f4ec3dcef485c8c1a9ca39f3ef1d261c1cb13c1a231c3")
