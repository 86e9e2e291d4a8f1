# Fetches the FER-2013 model of npm @vladmandic/human (models/emotion.json + emotion.bin) at
# configure time into ${DISFER_MODEL_BUILD_DIR} and checks the files' SHA-256. Nothing of the
# package is committed. Without npm or network the build goes on and says the model is missing;
# the tests that need it skip. Sources, in order:
#   1. the files already in the build tree (when their SHA-256 match);
#   2. DISFER_MODEL_SOURCE_DIR, a folder holding emotion.json and emotion.bin (copied by hand);
#   3. `npm pack @vladmandic/human@3.3.6` (when DISFER_FETCH_MODEL is ON and npm is on PATH).
set(DISFER_MODEL_PACKAGE "@vladmandic/human" CACHE INTERNAL "")
set(DISFER_MODEL_PACKAGE_VERSION "3.3.6" CACHE INTERNAL "")
set(DISFER_MODEL_JSON_SHA256 "56f7e557eb0c863a8b9ab04ac7ccba756e93bf2c27dce135ef0e8712b80b7ad2")
set(DISFER_MODEL_BIN_SHA256 "927ac8224f356ab1e68c2bcfbfa07b0c8567047d1bcf817388ba6e38214c4987")
option(DISFER_FETCH_MODEL "Fetch the FER-2013 model with npm at configure time" ON)
set(DISFER_MODEL_SOURCE_DIR "" CACHE PATH "Folder with emotion.json and emotion.bin (skips npm)")
set(DISFER_MODEL_BUILD_DIR "${PROJECT_BINARY_DIR}/share/disfer/models")

function(_disfer_model_check dir out)
  set(ok TRUE)
  foreach(pair "emotion.json;${DISFER_MODEL_JSON_SHA256}" "emotion.bin;${DISFER_MODEL_BIN_SHA256}")
    list(GET pair 0 f)
    list(GET pair 1 want)
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

function(_disfer_model_install_from dir)
  file(MAKE_DIRECTORY "${DISFER_MODEL_BUILD_DIR}")
  file(COPY "${dir}/emotion.json" "${dir}/emotion.bin" DESTINATION "${DISFER_MODEL_BUILD_DIR}")
endfunction()

_disfer_model_check("${DISFER_MODEL_BUILD_DIR}" _have)
if(NOT _have AND DISFER_MODEL_SOURCE_DIR)
  _disfer_model_check("${DISFER_MODEL_SOURCE_DIR}" _src_ok)
  if(_src_ok)
    _disfer_model_install_from("${DISFER_MODEL_SOURCE_DIR}")
    _disfer_model_check("${DISFER_MODEL_BUILD_DIR}" _have)
  endif()
endif()
if(NOT _have AND DISFER_FETCH_MODEL)
  find_program(DISFER_NPM_EXECUTABLE npm)
  if(DISFER_NPM_EXECUTABLE)
    set(_work "${PROJECT_BINARY_DIR}/_deps/disfer-model")
    file(REMOVE_RECURSE "${_work}")
    file(MAKE_DIRECTORY "${_work}")
    message(STATUS "disfer: fetching the FER-2013 model (npm pack ${DISFER_MODEL_PACKAGE}@${DISFER_MODEL_PACKAGE_VERSION})")
    execute_process(COMMAND "${DISFER_NPM_EXECUTABLE}" pack "${DISFER_MODEL_PACKAGE}@${DISFER_MODEL_PACKAGE_VERSION}"
                            --loglevel=error --no-fund --no-audit
                    WORKING_DIRECTORY "${_work}" RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _err
                    TIMEOUT 180)
    file(GLOB _tgz "${_work}/*.tgz")
    if(_rc EQUAL 0 AND _tgz)
      file(ARCHIVE_EXTRACT INPUT "${_tgz}" DESTINATION "${_work}"
           PATTERNS package/models/emotion.json package/models/emotion.bin)
      _disfer_model_check("${_work}/package/models" _fetched)
      if(_fetched)
        _disfer_model_install_from("${_work}/package/models")
        _disfer_model_check("${DISFER_MODEL_BUILD_DIR}" _have)
      endif()
    else()
      string(STRIP "${_err}" _err)
      message(STATUS "disfer: npm pack failed (${_rc}): ${_err}")
    endif()
    file(REMOVE_RECURSE "${_work}")
  endif()
endif()
if(_have)
  message(STATUS "disfer: FER-2013 model available in ${DISFER_MODEL_BUILD_DIR}")
else()
  message(STATUS "disfer: FER-2013 model UNAVAILABLE (no npm, no network or DISFER_FETCH_MODEL=OFF); "
                 "the library builds, tests needing the model skip. Provide it by hand: "
                 "`npm pack ${DISFER_MODEL_PACKAGE}@${DISFER_MODEL_PACKAGE_VERSION}`, extract package/models/emotion.json "
                 "and emotion.bin, then configure with -DDISFER_MODEL_SOURCE_DIR=<folder> or set DISFER_MODEL_DIR at run time")
endif()
set(DISFER_MODEL_AVAILABLE ${_have})
