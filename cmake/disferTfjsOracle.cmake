# The TensorFlow.js oracle of the FER-2013 network (tests/inference/test_tfjs_oracle.cpp): installs
# TF.js 4.22.0 (@tensorflow/tfjs-core, -converter, -backend-cpu) at configure time into
# ${DISFER_TFJS_ORACLE_DIR} (<build>/tfjs-oracle), for the live oracle ctest. Included by
# tests/inference/CMakeLists.txt, so only when the inference tests are built. Pinned twice:
#   1. `npm pack` fetches the three tarballs into the build tree and their SHA-256 are checked here;
#   2. `npm ci --ignore-scripts` installs them and their dependencies from the committed
#      tests/inference/reference/tfjs-oracle/package-lock.json (lockfileVersion 3, an integrity hash
#      for every package, no registry host named).
# An existing install whose stamp matches the lockfile and the tarballs is kept (npm is not run
# again). Without node, npm or network the build goes on; DISFER_TFJS_ORACLE_MISSING then says
# what is missing and the live test skips with that message. Sanitizer builds install nothing
# (the live test carries the label no-asan).
#
# Sets DISFER_TFJS_ORACLE_DIR, DISFER_NODE_EXECUTABLE and DISFER_TFJS_ORACLE_MISSING (empty when
# TF.js is installed).
set(DISFER_TFJS_ORACLE_DIR "${PROJECT_BINARY_DIR}/tfjs-oracle")
set(_disfer_tfjs_lock_dir "${PROJECT_SOURCE_DIR}/tests/inference/reference/tfjs-oracle")
set(_disfer_tfjs_version "4.22.0")
# <name>=<SHA-256> of the npm tarballs tensorflow-<name>-4.22.0.tgz (as `npm pack` writes them).
set(_disfer_tfjs_tarballs
    "tfjs-core=e8f8aa285ad0237b901e7d79995a1450993cf11fb1b3cc02f09de167fdaf9496"
    "tfjs-converter=f8fcaa0d13446e5637f590f72b1595c2571779a81a927003baa0d488165b1a7a"
    "tfjs-backend-cpu=d3c32e2fe0452fe302e88dde434cd8d7b126ce21754c6c972b28e3bcb8ec0878")
option(DISFER_FETCH_TFJS "Install TensorFlow.js ${_disfer_tfjs_version} with npm into the build tree (the live oracle test)" ON)
find_program(DISFER_NODE_EXECUTABLE node)
find_program(DISFER_NPM_EXECUTABLE npm)

# What the stamp of a complete install says: the lockfile's and the tarballs' SHA-256.
file(SHA256 "${_disfer_tfjs_lock_dir}/package-lock.json" _disfer_tfjs_lock_sha)
set(_disfer_tfjs_sums "")
foreach(pair IN LISTS _disfer_tfjs_tarballs)
  string(REGEX REPLACE "^([^=]*)=(.*)$" "\\2  tensorflow-\\1-${_disfer_tfjs_version}.tgz\n" line "${pair}")
  string(APPEND _disfer_tfjs_sums "${line}")
endforeach()
set(_disfer_tfjs_stamp_text "package-lock.json ${_disfer_tfjs_lock_sha}\n${_disfer_tfjs_sums}")

function(_disfer_tfjs_installed out)
  set(ok FALSE)
  if(EXISTS "${DISFER_TFJS_ORACLE_DIR}/disfer-tfjs.stamp")
    file(READ "${DISFER_TFJS_ORACLE_DIR}/disfer-tfjs.stamp" stamp)
    if(stamp STREQUAL _disfer_tfjs_stamp_text)
      set(ok TRUE)
      foreach(pair IN LISTS _disfer_tfjs_tarballs)
        string(REGEX REPLACE "=.*" "" name "${pair}")
        if(NOT EXISTS "${DISFER_TFJS_ORACLE_DIR}/node_modules/@tensorflow/${name}/package.json")
          set(ok FALSE)
        endif()
      endforeach()
    endif()
  endif()
  set(${out} ${ok} PARENT_SCOPE)
endfunction()

# The first two lines of npm's error output, joined (enough to say what went wrong).
function(_disfer_tfjs_first_lines text out)
  string(STRIP "${text}" text)
  string(REPLACE ";" "," text "${text}")
  string(REGEX REPLACE "\r?\n" ";" lines "${text}")
  list(LENGTH lines n)
  if(n GREATER 2)
    list(SUBLIST lines 0 2 lines)
  endif()
  string(JOIN " / " text ${lines})
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

# npm pack the three tarballs, check their SHA-256, then npm ci from the lockfile. Sets `missing`
# in the caller to why it failed (empty on success).
function(_disfer_tfjs_install)
  set(dir "${DISFER_TFJS_ORACLE_DIR}")
  set(packs "${dir}/tarballs")
  file(REMOVE_RECURSE "${dir}")
  file(MAKE_DIRECTORY "${packs}")
  set(specs "")
  foreach(pair IN LISTS _disfer_tfjs_tarballs)
    string(REGEX REPLACE "=.*" "" name "${pair}")
    list(APPEND specs "@tensorflow/${name}@${_disfer_tfjs_version}")
  endforeach()
  message(STATUS "disfer: installing TensorFlow.js ${_disfer_tfjs_version} for the oracle test (npm pack + npm ci into ${dir})")
  # One retry, short back-off: offline, the configure gives up within a minute.
  execute_process(COMMAND "${DISFER_NPM_EXECUTABLE}" pack ${specs} --ignore-scripts --loglevel=error --no-fund --no-audit
                          --fetch-retries=1 --fetch-retry-mintimeout=2000 --fetch-retry-maxtimeout=10000
                  WORKING_DIRECTORY "${packs}" RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err TIMEOUT 300)
  if(NOT rc EQUAL 0)
    _disfer_tfjs_first_lines("${err}" err)
    string(JOIN " " specs ${specs})
    set(missing "`npm pack ${specs}` failed (${rc}): ${err}" PARENT_SCOPE)
    return()
  endif()
  foreach(pair IN LISTS _disfer_tfjs_tarballs)
    string(REGEX REPLACE "=.*" "" name "${pair}")
    string(REGEX REPLACE ".*=" "" want "${pair}")
    set(tgz "${packs}/tensorflow-${name}-${_disfer_tfjs_version}.tgz")
    if(NOT EXISTS "${tgz}")
      set(missing "npm pack wrote no ${tgz}" PARENT_SCOPE)
      return()
    endif()
    file(SHA256 "${tgz}" got)
    if(NOT got STREQUAL want)
      set(missing "${tgz} has SHA-256 ${got}, expected ${want}" PARENT_SCOPE)
      return()
    endif()
  endforeach()
  # The tarballs just checked are in npm's cache now, which npm ci uses (same sha512 integrity
  # as the lockfile's).
  file(COPY "${_disfer_tfjs_lock_dir}/package.json" "${_disfer_tfjs_lock_dir}/package-lock.json" DESTINATION "${dir}")
  execute_process(COMMAND "${DISFER_NPM_EXECUTABLE}" ci --ignore-scripts --no-audit --no-fund --loglevel=error
                  WORKING_DIRECTORY "${dir}" RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err TIMEOUT 600)
  if(NOT rc EQUAL 0)
    _disfer_tfjs_first_lines("${err}" err)
    set(missing "`npm ci` in ${dir} failed (${rc}): ${err}" PARENT_SCOPE)
    return()
  endif()
  file(REMOVE_RECURSE "${packs}")
  file(WRITE "${dir}/tarballs.sha256" "${_disfer_tfjs_sums}")
  file(WRITE "${dir}/disfer-tfjs.stamp" "${_disfer_tfjs_stamp_text}")
  set(missing "" PARENT_SCOPE)
endfunction()

set(DISFER_TFJS_ORACLE_MISSING "")
_disfer_tfjs_installed(_disfer_tfjs_have)
if(DISFER_SANITIZE)
  set(DISFER_TFJS_ORACLE_MISSING "not installed in sanitizer builds (DISFER_SANITIZE=ON; the live oracle test is no-asan)")
elseif(NOT DISFER_NODE_EXECUTABLE)
  set(DISFER_TFJS_ORACLE_MISSING "node was not found on PATH at configure time (Debian: nodejs)")
elseif(_disfer_tfjs_have)
  # Installed by an earlier configure: nothing to do.
elseif(NOT DISFER_MODEL_AVAILABLE)
  set(DISFER_TFJS_ORACLE_MISSING "the FER-2013 model is unavailable (see the model's message above), so TF.js was not installed")
elseif(NOT DISFER_FETCH_TFJS)
  set(DISFER_TFJS_ORACLE_MISSING "DISFER_FETCH_TFJS is OFF, so TF.js was not installed into ${DISFER_TFJS_ORACLE_DIR}")
elseif(NOT DISFER_NPM_EXECUTABLE)
  set(DISFER_TFJS_ORACLE_MISSING "npm was not found on PATH at configure time (Debian: npm)")
else()
  _disfer_tfjs_install()
  set(DISFER_TFJS_ORACLE_MISSING "${missing}")
  if(NOT missing)
    _disfer_tfjs_installed(_disfer_tfjs_have)
    if(NOT _disfer_tfjs_have)
      set(DISFER_TFJS_ORACLE_MISSING "npm ci left no complete install in ${DISFER_TFJS_ORACLE_DIR}")
    endif()
  endif()
endif()
if(DISFER_TFJS_ORACLE_MISSING)
  # One line without quotes or backslashes (it becomes a C++ string literal in the test).
  string(REGEX REPLACE "[\r\n\t]+" " " DISFER_TFJS_ORACLE_MISSING "${DISFER_TFJS_ORACLE_MISSING}")
  string(REPLACE "\\" "/" DISFER_TFJS_ORACLE_MISSING "${DISFER_TFJS_ORACLE_MISSING}")
  string(REPLACE "\"" "'" DISFER_TFJS_ORACLE_MISSING "${DISFER_TFJS_ORACLE_MISSING}")
  string(REPLACE ";" "," DISFER_TFJS_ORACLE_MISSING "${DISFER_TFJS_ORACLE_MISSING}")
  string(REPLACE "`" "'" DISFER_TFJS_ORACLE_MISSING "${DISFER_TFJS_ORACLE_MISSING}")
  string(SUBSTRING "${DISFER_TFJS_ORACLE_MISSING}" 0 600 DISFER_TFJS_ORACLE_MISSING)
  message(STATUS "disfer: TF.js oracle UNAVAILABLE: ${DISFER_TFJS_ORACLE_MISSING}; the live oracle test skips "
                 "(the committed TF.js values are still checked)")
else()
  message(STATUS "disfer: TF.js ${_disfer_tfjs_version} oracle available in ${DISFER_TFJS_ORACLE_DIR}")
endif()
