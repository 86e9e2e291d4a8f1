# cmake -DSOURCE=<project> -DBINARY=<dir> -DPREFIX=<install prefix> -DCASE=<case> [-DBUILD=ON]
#       -DEXPECT=<regex> [-DREJECT=<regex>] [-DARGS=<extra configure args, ;-separated>] -P check_consumer.cmake
# Configures (and with BUILD, builds) SOURCE, then requires EXPECT in the combined output (and not
# REJECT). Used by the package tests of component misuse and of the build-type warning.
file(REMOVE_RECURSE "${BINARY}")
execute_process(COMMAND "${CMAKE_COMMAND}" -S "${SOURCE}" -B "${BINARY}" "-DCMAKE_PREFIX_PATH=${PREFIX}" "-DCASE=${CASE}"
                        ${ARGS}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(all "${out}${err}")
if(BUILD AND rc EQUAL 0)
  execute_process(COMMAND "${CMAKE_COMMAND}" --build "${BINARY}" RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  string(APPEND all "${out}${err}")
endif()
string(REGEX REPLACE "[ \t\r\n]+" " " flat "${all}")  # CMake wraps long messages
message("${all}")
if(NOT flat MATCHES "${EXPECT}")
  message(FATAL_ERROR "check_consumer (${CASE}): expected /${EXPECT}/ in the output above (exit ${rc})")
endif()
if(REJECT AND flat MATCHES "${REJECT}")
  message(FATAL_ERROR "check_consumer (${CASE}): /${REJECT}/ must not appear in the output above")
endif()
message("check_consumer (${CASE}): ok")
