# jsPsych 8.3 for the experiments make_experiment writes (issue 21): the core and six plugins, the
# browser builds of the npm packages, vendored at configure time into ${DISFER_JSPSYCH_DIR}
# (<build>/share/disfer/jspsych) and installed to <prefix>/share/disfer/jspsych. Nothing of them is
# committed. Each tarball comes from `npm pack <name>@<version>` and its SHA-256 is checked against
# the one below before anything is extracted; jsPsych's MIT licence text (share/experiment/
# LICENSE-jspsych.txt, committed) is written beside the files. A stamp beside the folder
# (share/disfer/jspsych.stamp: the tarballs' SHA-256 and those of the vendored files) marks a
# complete extraction; a folder whose stamp and files match is kept and npm is not run again. The
# folder holds the vendored files only, so that make_experiment copies it whole.
#
#   jspsych.js, jspsych.css                       jspsych@8.3.0 dist/index.browser.min.js, css/jspsych.css
#   plugin-<name>.js                              @jspsych/plugin-<name> dist/index.browser.min.js
#   plugin-pipe.js                                @jspsych-contrib/plugin-pipe@0.5.0 (DataPipe)
#   LICENSE-jspsych.txt                           MIT
#
# Without npm or network (or with DISFER_FETCH_JSPSYCH=OFF) the build goes on:
# DISFER_JSPSYCH_MISSING then says in one line what is missing (make_experiment refuses with it, the
# experiment tests skip naming it); empty when the files are there.
#
# Sets DISFER_JSPSYCH_DIR, DISFER_JSPSYCH_FILES (the file names, LICENSE-jspsych.txt included),
# DISFER_JSPSYCH_MISSING and DISFER_EXPERIMENT_TEMPLATE_DIR (share/experiment of the source tree).
include_guard(GLOBAL)
include(disferNpm)
option(DISFER_FETCH_JSPSYCH "Fetch jsPsych 8.3 with npm at configure time (the experiments of make_experiment)" ON)
set(DISFER_JSPSYCH_DIR "${PROJECT_BINARY_DIR}/share/disfer/jspsych")
set(_disfer_jspsych_stamp "${PROJECT_BINARY_DIR}/share/disfer/jspsych.stamp")
set(DISFER_EXPERIMENT_TEMPLATE_DIR "${PROJECT_SOURCE_DIR}/share/experiment")

# <tarball as npm pack names it>|<package spec>|<SHA-256>|<file in the tarball>=<vendored name>,...
set(_disfer_jspsych_packages
  "jspsych-8.3.0.tgz|jspsych@8.3.0|cf45b01d6e821e5ec12aac714dfda0f2db9d5a49517eb90bc556edf0ffab9cd5|package/dist/index.browser.min.js=jspsych.js,package/css/jspsych.css=jspsych.css"
  "jspsych-plugin-preload-2.1.0.tgz|@jspsych/plugin-preload@2.1.0|5911a3ca2872b026958a202dffc5e4f515074e673cb5fb377f4e33d67f33cf65|package/dist/index.browser.min.js=plugin-preload.js"
  "jspsych-plugin-instructions-2.1.0.tgz|@jspsych/plugin-instructions@2.1.0|4801ca726ed2d5cc595abd0db322e478299cc666b7eaf18fbd59306255291cc7|package/dist/index.browser.min.js=plugin-instructions.js"
  "jspsych-plugin-html-button-response-2.1.0.tgz|@jspsych/plugin-html-button-response@2.1.0|66beeac80663ea3cefd2570a2d5774551752eaf6b58b37ec209087d5cd681c6f|package/dist/index.browser.min.js=plugin-html-button-response.js"
  "jspsych-plugin-image-button-response-2.2.0.tgz|@jspsych/plugin-image-button-response@2.2.0|17bfd8317225458bee3a74ac6a99fb89d27074f911993397d5c5838e0d808132|package/dist/index.browser.min.js=plugin-image-button-response.js"
  "jspsych-plugin-call-function-2.1.0.tgz|@jspsych/plugin-call-function@2.1.0|ca251c36469148fa19655eb1215f50cdec2162628a5a1a928c78f5b7ac4292ed|package/dist/index.browser.min.js=plugin-call-function.js"
  "jspsych-contrib-plugin-pipe-0.5.0.tgz|@jspsych-contrib/plugin-pipe@0.5.0|4b2b6798702b43ef2297d2e9508b7f212736cb474699840ebacf3a5a9acc0775|package/dist/index.browser.min.js=plugin-pipe.js")

set(DISFER_JSPSYCH_FILES "")
set(_disfer_jspsych_specs "")
set(_disfer_jspsych_sums "")
foreach(_entry IN LISTS _disfer_jspsych_packages)
  string(REPLACE "|" ";" _fields "${_entry}")
  list(GET _fields 0 _tgz)
  list(GET _fields 1 _spec)
  list(GET _fields 2 _sha)
  list(GET _fields 3 _map)
  list(APPEND _disfer_jspsych_specs "${_spec}")
  string(APPEND _disfer_jspsych_sums "${_sha}  ${_tgz}\n")
  string(REPLACE "," ";" _map "${_map}")
  foreach(_pair IN LISTS _map)
    string(REGEX REPLACE ".*=" "" _name "${_pair}")
    list(APPEND DISFER_JSPSYCH_FILES "${_name}")
  endforeach()
endforeach()
list(APPEND DISFER_JSPSYCH_FILES LICENSE-jspsych.txt)

# The stamp: the tarballs' checksums, then one line per vendored file with its SHA-256.
function(_disfer_jspsych_file_sums dir out)
  set(text "")
  foreach(name IN LISTS DISFER_JSPSYCH_FILES)
    if(NOT EXISTS "${dir}/${name}")
      set(${out} "" PARENT_SCOPE)
      return()
    endif()
    file(SHA256 "${dir}/${name}" sha)
    string(APPEND text "${sha}  ${name}\n")
  endforeach()
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

function(_disfer_jspsych_vendor out_missing)
  set(dir "${DISFER_JSPSYCH_DIR}")
  set(license "${DISFER_EXPERIMENT_TEMPLATE_DIR}/LICENSE-jspsych.txt")
  # Extracted by an earlier configure, untouched since?
  if(EXISTS "${_disfer_jspsych_stamp}")
    file(READ "${_disfer_jspsych_stamp}" stamp)
    _disfer_jspsych_file_sums("${dir}" files)
    if(files AND stamp STREQUAL "${_disfer_jspsych_sums}${files}")
      # The committed licence text may have been edited since.
      file(SHA256 "${license}" license_sha)
      file(SHA256 "${dir}/LICENSE-jspsych.txt" have_license_sha)
      if(license_sha STREQUAL have_license_sha)
        set(${out_missing} "" PARENT_SCOPE)
        return()
      endif()
    endif()
  endif()
  if(NOT DISFER_FETCH_JSPSYCH)
    set(${out_missing} "DISFER_FETCH_JSPSYCH is OFF, so jsPsych 8.3 was not fetched into ${dir}" PARENT_SCOPE)
    return()
  endif()
  if(NOT DISFER_NPM_EXECUTABLE)
    set(${out_missing} "npm was not found on PATH at configure time, so jsPsych 8.3 was not fetched (Debian: npm)"
        PARENT_SCOPE)
    return()
  endif()
  set(work "${PROJECT_BINARY_DIR}/_deps/disfer-jspsych")
  file(REMOVE_RECURSE "${dir}" "${work}" "${_disfer_jspsych_stamp}")
  file(MAKE_DIRECTORY "${work}" "${dir}")
  string(JOIN " " spec_text ${_disfer_jspsych_specs})
  message(STATUS "disfer: fetching jsPsych 8.3 for make_experiment (npm pack ${spec_text})")
  set(tarballs "")
  foreach(entry IN LISTS _disfer_jspsych_packages)
    string(REPLACE "|" ";" fields "${entry}")
    list(GET fields 0 tgz)
    list(GET fields 2 sha)
    list(APPEND tarballs "${tgz}=${sha}")
  endforeach()
  disfer_npm_pack_checked(DIR "${work}" WHAT "jsPsych 8.3" SPECS ${_disfer_jspsych_specs} TARBALLS ${tarballs}
                          MISSING missing)
  foreach(entry IN LISTS _disfer_jspsych_packages)
    if(missing)
      break()
    endif()
    string(REPLACE "|" ";" fields "${entry}")
    list(GET fields 0 tgz)
    list(GET fields 3 map)
    string(REPLACE "," ";" map "${map}")
    set(patterns "")
    foreach(pair IN LISTS map)
      string(REGEX REPLACE "=.*" "" member "${pair}")
      list(APPEND patterns "${member}")
    endforeach()
    set(into "${work}/x/${tgz}")
    file(ARCHIVE_EXTRACT INPUT "${work}/${tgz}" DESTINATION "${into}" PATTERNS ${patterns})
    foreach(pair IN LISTS map)
      string(REGEX REPLACE "=.*" "" member "${pair}")
      string(REGEX REPLACE ".*=" "" name "${pair}")
      if(NOT EXISTS "${into}/${member}")
        set(missing "${tgz} has no ${member}")
        break()
      endif()
      file(COPY_FILE "${into}/${member}" "${dir}/${name}")
    endforeach()
  endforeach()
  file(REMOVE_RECURSE "${work}")
  if(missing)
    file(REMOVE_RECURSE "${dir}")
    disfer_npm_one_line(missing)
    set(${out_missing} "${missing}" PARENT_SCOPE)
    return()
  endif()
  file(COPY_FILE "${license}" "${dir}/LICENSE-jspsych.txt")
  _disfer_jspsych_file_sums("${dir}" files)
  file(WRITE "${_disfer_jspsych_stamp}" "${_disfer_jspsych_sums}${files}")
  set(${out_missing} "" PARENT_SCOPE)
endfunction()

_disfer_jspsych_vendor(DISFER_JSPSYCH_MISSING)
if(DISFER_JSPSYCH_MISSING)
  message(STATUS "disfer: jsPsych UNAVAILABLE: ${DISFER_JSPSYCH_MISSING}; make_experiment refuses, its tests skip")
else()
  message(STATUS "disfer: jsPsych 8.3 for make_experiment in ${DISFER_JSPSYCH_DIR}")
  install(DIRECTORY "${DISFER_JSPSYCH_DIR}/" DESTINATION "${CMAKE_INSTALL_DATADIR}/disfer/jspsych")
endif()
# The experiment's templates (index.html, disfer-experiment.js, texts/*.html), which make_experiment
# copies; the licence text is installed beside the vendored files only.
install(DIRECTORY "${DISFER_EXPERIMENT_TEMPLATE_DIR}/" DESTINATION "${CMAKE_INSTALL_DATADIR}/disfer/experiment"
        PATTERN LICENSE-jspsych.txt EXCLUDE)
