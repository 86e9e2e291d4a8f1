# Pinned npm installs into the build tree at configure time, for tests that run node packages
# (the TF.js oracle, the Chromium layout check of the figures, the report.html check).
#
#   disfer_npm_install(DIR <dir> LOCK_DIR <dir> PACKAGES <name>@<version>=<sha256> ... MISSING <var>
#                      [WHAT <description>])
#
# Installs the packages of LOCK_DIR/package-lock.json into DIR/node_modules, pinned twice:
#   1. `npm pack <name>@<version> ...` fetches each listed tarball into DIR/tarballs and its SHA-256
#      is checked against the one given (the tarball's name as npm writes it: @scope/pkg@1.0.0 ->
#      scope-pkg-1.0.0.tgz);
#   2. `npm ci --ignore-scripts` installs them and their dependencies from the committed lockfile
#      (LOCK_DIR holds package.json and package-lock.json: lockfileVersion 3, an integrity hash for
#      every package, no registry host named); the checked tarballs are in npm's cache by then.
# A stamp (DIR/disfer-npm.stamp: the lockfile's and the tarballs' SHA-256) marks a complete
# install; an install whose stamp matches and whose listed packages are present is kept, npm is not
# run again. On failure nothing is thrown: <var> says in one line what is missing (node, npm,
# network, a checksum) without quotes, backslashes or semicolons, so that a test can print it or
# compile it into a string literal; on success <var> is empty. WHAT names the install in messages.
#
# disfer_npm_pack_checked(DIR <dir> SPECS <spec>... TARBALLS <tgz>=<sha256>... MISSING <var> [WHAT <text>]) is
# step 1 alone, for packages that are extracted rather than installed (cmake/disferJspsych.cmake).
#
# Also sets DISFER_NODE_EXECUTABLE and DISFER_NPM_EXECUTABLE (cache, find_program).
include_guard(GLOBAL)
find_program(DISFER_NODE_EXECUTABLE node)
find_program(DISFER_NPM_EXECUTABLE npm)

# The first two lines of npm's error output, joined (enough to say what went wrong).
function(_disfer_npm_first_lines text out)
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

# One line without quotes, backslashes, semicolons or backticks, at most 600 characters.
function(disfer_npm_one_line var)
  set(t "${${var}}")
  string(REGEX REPLACE "[\r\n\t]+" " " t "${t}")
  string(REPLACE "\\" "/" t "${t}")
  string(REPLACE "\"" "'" t "${t}")
  string(REPLACE ";" "," t "${t}")
  string(REPLACE "`" "'" t "${t}")
  string(SUBSTRING "${t}" 0 600 t)
  set(${var} "${t}" PARENT_SCOPE)
endfunction()

# npm pack SPECS... into DIR (which must exist), then checks each of TARBALLS (<tgz>=<sha256>, the
# tarball's name as npm pack writes it): MISSING <var> is empty when all are there with their
# SHA-256, else one line saying what failed. WHAT names the packages in that line.
function(disfer_npm_pack_checked)
  cmake_parse_arguments(ARG "" "DIR;MISSING;WHAT" "SPECS;TARBALLS" ${ARGN})
  # One retry, short back-off: offline, the configure gives up within a minute.
  execute_process(COMMAND "${DISFER_NPM_EXECUTABLE}" pack ${ARG_SPECS} --ignore-scripts --loglevel=error --no-fund
                          --no-audit --fetch-retries=1 --fetch-retry-mintimeout=2000 --fetch-retry-maxtimeout=10000
                  WORKING_DIRECTORY "${ARG_DIR}" RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err TIMEOUT 300)
  if(NOT rc EQUAL 0)
    _disfer_npm_first_lines("${err}" err)
    set(${ARG_MISSING} "'npm pack' of ${ARG_WHAT} failed (${rc}): ${err}" PARENT_SCOPE)
    return()
  endif()
  foreach(pair IN LISTS ARG_TARBALLS)
    string(REGEX REPLACE "=.*" "" tgz "${pair}")
    string(REGEX REPLACE ".*=" "" want "${pair}")
    if(NOT EXISTS "${ARG_DIR}/${tgz}")
      set(${ARG_MISSING} "npm pack wrote no ${ARG_DIR}/${tgz}" PARENT_SCOPE)
      return()
    endif()
    file(SHA256 "${ARG_DIR}/${tgz}" got)
    if(NOT got STREQUAL want)
      set(${ARG_MISSING} "${ARG_DIR}/${tgz} has SHA-256 ${got}, expected ${want}" PARENT_SCOPE)
      return()
    endif()
  endforeach()
  set(${ARG_MISSING} "" PARENT_SCOPE)
endfunction()

function(disfer_npm_install)
  cmake_parse_arguments(ARG "" "DIR;LOCK_DIR;MISSING;WHAT" "PACKAGES" ${ARGN})
  if(NOT ARG_DIR OR NOT ARG_LOCK_DIR OR NOT ARG_MISSING OR NOT ARG_PACKAGES)
    message(FATAL_ERROR "disfer_npm_install: DIR, LOCK_DIR, PACKAGES and MISSING are required")
  endif()
  if(NOT ARG_WHAT)
    set(ARG_WHAT "${ARG_PACKAGES}")
  endif()
  set(dir "${ARG_DIR}")
  # Parse name@version=sha256; the tarball name npm pack writes; the stamp text.
  set(names "")
  set(specs "")
  set(tarballs "")
  set(sums "")
  foreach(entry IN LISTS ARG_PACKAGES)
    if(NOT entry MATCHES "^(@?[^@=]+)@([^@=]+)=([0-9a-f]+)$")
      message(FATAL_ERROR "disfer_npm_install: '${entry}' is not <name>@<version>=<sha256>")
    endif()
    set(name "${CMAKE_MATCH_1}")
    set(version "${CMAKE_MATCH_2}")
    set(sha "${CMAKE_MATCH_3}")
    string(REGEX REPLACE "^@" "" tgz "${name}")
    string(REPLACE "/" "-" tgz "${tgz}")
    set(tgz "${tgz}-${version}.tgz")
    list(APPEND names "${name}")
    list(APPEND specs "${name}@${version}")
    list(APPEND tarballs "${tgz}=${sha}")
    string(APPEND sums "${sha}  ${tgz}\n")
  endforeach()
  file(SHA256 "${ARG_LOCK_DIR}/package-lock.json" lock_sha)
  set(stamp_text "package-lock.json ${lock_sha}\n${sums}")

  # Installed by an earlier configure?
  set(have FALSE)
  if(EXISTS "${dir}/disfer-npm.stamp")
    file(READ "${dir}/disfer-npm.stamp" stamp)
    if(stamp STREQUAL stamp_text)
      set(have TRUE)
      foreach(name IN LISTS names)
        if(NOT EXISTS "${dir}/node_modules/${name}/package.json")
          set(have FALSE)
        endif()
      endforeach()
    endif()
  endif()
  if(have)
    set(${ARG_MISSING} "" PARENT_SCOPE)
    return()
  endif()
  if(NOT DISFER_NODE_EXECUTABLE)
    set(${ARG_MISSING} "node was not found on PATH at configure time (Debian: nodejs)" PARENT_SCOPE)
    return()
  endif()
  if(NOT DISFER_NPM_EXECUTABLE)
    set(${ARG_MISSING} "npm was not found on PATH at configure time (Debian: npm)" PARENT_SCOPE)
    return()
  endif()

  set(packs "${dir}/tarballs")
  file(REMOVE_RECURSE "${dir}")
  file(MAKE_DIRECTORY "${packs}")
  string(JOIN " " spec_text ${specs})
  message(STATUS "disfer: installing ${ARG_WHAT} (npm pack ${spec_text} + npm ci into ${dir})")
  disfer_npm_pack_checked(DIR "${packs}" WHAT "${spec_text}" SPECS ${specs} TARBALLS ${tarballs} MISSING missing)
  if(NOT missing)
    file(COPY "${ARG_LOCK_DIR}/package.json" "${ARG_LOCK_DIR}/package-lock.json" DESTINATION "${dir}")
    execute_process(COMMAND "${DISFER_NPM_EXECUTABLE}" ci --ignore-scripts --no-audit --no-fund --loglevel=error
                    WORKING_DIRECTORY "${dir}" RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err TIMEOUT 600)
    if(NOT rc EQUAL 0)
      _disfer_npm_first_lines("${err}" err)
      set(missing "'npm ci' in ${dir} failed (${rc}): ${err}")
    endif()
  endif()
  if(NOT missing)
    foreach(name IN LISTS names)
      if(NOT EXISTS "${dir}/node_modules/${name}/package.json")
        set(missing "npm ci left no ${dir}/node_modules/${name}")
      endif()
    endforeach()
  endif()
  if(missing)
    disfer_npm_one_line(missing)
    set(${ARG_MISSING} "${missing}" PARENT_SCOPE)
    return()
  endif()
  file(REMOVE_RECURSE "${packs}")
  file(WRITE "${dir}/tarballs.sha256" "${sums}")
  file(WRITE "${dir}/disfer-npm.stamp" "${stamp_text}")
  set(${ARG_MISSING} "" PARENT_SCOPE)
endfunction()
