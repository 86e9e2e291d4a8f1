# Installs TensorFlow.js 4.22.0 with its WASM backend (@tensorflow/tfjs-core, -converter,
# -backend-wasm and their dependencies) for benchmarks/tfjs_wasm_compare.mjs, pinned as the
# project's other npm installs (cmake/disferNpm.cmake, disfer_npm_install): `npm pack` of every
# package of benchmarks/tfjs-wasm/package-lock.json with its tarball's SHA-256 checked against the
# list below, then `npm ci --ignore-scripts` from that lockfile (sha512 integrity of each package).
# A complete install (stamp) is kept and npm is not run again.
#   cmake -DDIR=<install dir> [-DRESULT=<file>] -P benchmarks/tfjs_wasm_install.cmake
# RESULT (default DIR/../tfjs-wasm.missing) is written empty on success, else with one line saying
# what is missing (node, npm, network, a checksum); the script itself always exits 0 after that.
# Used by benchmarks/tfjs_wasm_compare.sh and benchmarks/compare.sh.
cmake_minimum_required(VERSION 3.25)
if(NOT DIR)
  message(FATAL_ERROR "tfjs_wasm_install.cmake: -DDIR=<install dir> is required")
endif()
get_filename_component(DIR "${DIR}" ABSOLUTE)
if(NOT RESULT)
  set(RESULT "${DIR}/../tfjs-wasm.missing")
endif()
include("${CMAKE_CURRENT_LIST_DIR}/../cmake/disferNpm.cmake")
# SHA-256 of each tarball as `npm pack <name>@<version>` writes it; the same versions as the lockfile.
disfer_npm_install(
  DIR "${DIR}" LOCK_DIR "${CMAKE_CURRENT_LIST_DIR}/tfjs-wasm" MISSING missing
  WHAT "TensorFlow.js 4.22.0 (WASM backend) for the benchmarks"
  PACKAGES "@tensorflow/tfjs-core@4.22.0=e8f8aa285ad0237b901e7d79995a1450993cf11fb1b3cc02f09de167fdaf9496"
           "@tensorflow/tfjs-converter@4.22.0=f8fcaa0d13446e5637f590f72b1595c2571779a81a927003baa0d488165b1a7a"
           "@tensorflow/tfjs-backend-wasm@4.22.0=5cd6f5e18657c12fb94f4ec3dcef485c8c1a9ca39f3ef1d261c1cb13c1a231c3"
           "@tensorflow/tfjs-backend-cpu@4.22.0=d3c32e2fe0452fe302e88dde434cd8d7b126ce21754c6c972b28e3bcb8ec0878"
           "@types/emscripten@0.0.34=08e45a59f5c88bda70b8854dd7f82b8e6f5a92908a541cff25be300ef208e9d1"
           "@types/long@4.0.2=f3ba9f3edfc7352a6918d83ff35aa806b46e939c0b456e277feecfcedbad6b98"
           "@types/offscreencanvas@2019.7.3=dd3209c9a4c3346bd9774768c030bb8c0dcc91b7d70f9d45304b20eac4769ed4"
           "@types/seedrandom@2.4.34=5447ec09d21e0894d384f11ccc40dec507d8b9b9dc4cee2e21a63a6779c5e7f3"
           "@webgpu/types@0.1.38=009afdb4a62c88a720ebaf816937accfb91cbed3f3599f5b7f78d8f0b40c5236"
           "long@4.0.0=b4bfa0f1695b39b7beb11ffe71c936528e5f34bd3969192fdc4ef1df790c95fb"
           "node-fetch@2.6.13=b405bc99b2dab2f360bb1ac378cc9eccb28135692c129ed9194d7274bc04f175"
           "seedrandom@3.0.5=f217e14961edb2a61f23b3eaee7477578021f0db15f69941a866e9f55e518544"
           "tr46@0.0.3=164ae1eb32cea353551bbc7f9358dcaae4ffabbe65ec37a92ca464a9570a2a0a"
           "webidl-conversions@3.0.1=e4dfc34b40947c2cf0038cd95fa6de21f4dac93224a7ad8e169205f5c2e22da8"
           "whatwg-url@5.0.0=b09dc471f573a876eeac3902b8c1da62af5cdbbca2c6fba4a06f119f89cb7ed3")
file(WRITE "${RESULT}" "${missing}")
if(missing)
  message(STATUS "TF.js WASM unavailable: ${missing}")
else()
  message(STATUS "TF.js 4.22.0 (WASM backend) installed in ${DIR}")
endif()
