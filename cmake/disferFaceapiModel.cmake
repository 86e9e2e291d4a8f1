# Fetches face-api's FaceExpressionNet weights (npm @vladmandic/face-api@1.7.15,
# model/face_expression_model-weights_manifest.json + face_expression_model.bin) at configure time
# into ${DISFER_MODEL_BUILD_DIR}, beside the FER-2013 model, checking the tarball's and both files'
# SHA-256. Nothing of the package is committed. Optional like the other model: without npm or
# network the build goes on, says the model is missing, and the tests that need it skip. Sources,
# in order: the files already in the build tree; DISFER_FACEAPI_MODEL_SOURCE_DIR (a folder holding
# both files); `npm pack @vladmandic/face-api@1.7.15` (when DISFER_FETCH_MODEL is ON).
# Sets DISFER_FACEAPI_MODEL_AVAILABLE.
include(disferNpm)
include(disferFaceapiPackages)
set(DISFER_FACEAPI_PACKAGE "@vladmandic/face-api@1.7.15" CACHE INTERNAL "")
set(_disfer_faceapi_tgz "vladmandic-face-api-1.7.15.tgz=${DISFER_FACEAPI_TARBALL_SHA256}")
set(_disfer_faceapi_files
    "face_expression_model-weights_manifest.json=5b349c17c7836da506e03422cd6461c74085d8bb2713ad4114647dc5d28174c8"
    "face_expression_model.bin=9a9840f2cf1f4c7eab95f197512569345c00d2426754d4608b92af30e0300f3d")
set(DISFER_FACEAPI_MODEL_SOURCE_DIR "" CACHE PATH
    "Folder with face_expression_model-weights_manifest.json and face_expression_model.bin (skips npm)")

function(_disfer_faceapi_check dir out)
  set(ok TRUE)
  foreach(pair IN LISTS _disfer_faceapi_files)
    string(REGEX REPLACE "=.*" "" f "${pair}")
    string(REGEX REPLACE ".*=" "" want "${pair}")
    if(NOT EXISTS "${dir}/${f}")
      set(ok FALSE)
    else()
      file(SHA256 "${dir}/${f}" got)
      if(NOT got STREQUAL want)
        message(WARNING "disfer: ${dir}/${f} has SHA-256 ${got}, expected ${want}; ignored")
        set(ok FALSE)
      endif()
    endif()
  endforeach()
  set(${out} ${ok} PARENT_SCOPE)
endfunction()

function(_disfer_faceapi_install_from dir)
  file(MAKE_DIRECTORY "${DISFER_MODEL_BUILD_DIR}")
  file(COPY "${dir}/face_expression_model-weights_manifest.json" "${dir}/face_expression_model.bin"
       DESTINATION "${DISFER_MODEL_BUILD_DIR}")
endfunction()

_disfer_faceapi_check("${DISFER_MODEL_BUILD_DIR}" _have)
if(NOT _have AND DISFER_FACEAPI_MODEL_SOURCE_DIR)
  _disfer_faceapi_check("${DISFER_FACEAPI_MODEL_SOURCE_DIR}" _src_ok)
  if(_src_ok)
    _disfer_faceapi_install_from("${DISFER_FACEAPI_MODEL_SOURCE_DIR}")
    _disfer_faceapi_check("${DISFER_MODEL_BUILD_DIR}" _have)
  endif()
endif()
set(_why "DISFER_FETCH_MODEL is OFF")
if(NOT _have AND DISFER_FETCH_MODEL)
  set(_why "npm was not found")
  if(DISFER_NPM_EXECUTABLE)
    set(_work "${PROJECT_BINARY_DIR}/_deps/disfer-faceapi-model")
    file(REMOVE_RECURSE "${_work}")
    file(MAKE_DIRECTORY "${_work}")
    message(STATUS "disfer: fetching face-api's FaceExpressionNet (npm pack ${DISFER_FACEAPI_PACKAGE})")
    disfer_npm_pack_checked(DIR "${_work}" SPECS "${DISFER_FACEAPI_PACKAGE}" TARBALLS "${_disfer_faceapi_tgz}"
                            MISSING _why WHAT "${DISFER_FACEAPI_PACKAGE}")
    if(NOT _why)
      string(REGEX REPLACE "=.*" "" _tgz "${_disfer_faceapi_tgz}")
      file(ARCHIVE_EXTRACT INPUT "${_work}/${_tgz}" DESTINATION "${_work}"
           PATTERNS package/model/face_expression_model-weights_manifest.json package/model/face_expression_model.bin)
      _disfer_faceapi_check("${_work}/package/model" _fetched)
      if(_fetched)
        _disfer_faceapi_install_from("${_work}/package/model")
        _disfer_faceapi_check("${DISFER_MODEL_BUILD_DIR}" _have)
      else()
        set(_why "the files extracted from ${_tgz} do not have their expected SHA-256")
      endif()
    endif()
    file(REMOVE_RECURSE "${_work}")
  endif()
endif()
if(_have)
  message(STATUS "disfer: face-api FaceExpressionNet available in ${DISFER_MODEL_BUILD_DIR}")
else()
  message(STATUS "disfer: face-api FaceExpressionNet UNAVAILABLE (${_why}); the library builds, tests needing it "
                 "skip. Provide it by hand: `npm pack ${DISFER_FACEAPI_PACKAGE}`, extract "
                 "package/model/face_expression_model-weights_manifest.json and face_expression_model.bin, then "
                 "configure with -DDISFER_FACEAPI_MODEL_SOURCE_DIR=<folder> or set DISFER_MODEL_DIR at run time")
endif()
set(DISFER_FACEAPI_MODEL_AVAILABLE ${_have})
