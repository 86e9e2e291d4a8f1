# ctest script: configure a clang++ build of this source tree with only the core and image tests,
# build it, run both test executables there, and compare the regression digests of the clang++
# build with those of the host (g++) build byte for byte.
# Variables: SOURCE_DIR, BINARY_DIR, CLANGXX, HOST_TEST (the host test_image), SHARED_DIR.
cmake_minimum_required(VERSION 3.23)

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "command failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
endfunction()

set(ENV{DISFER_IMAGE_DIGEST_DUMP} "${BINARY_DIR}/digests-host.txt")
file(MAKE_DIRECTORY "${BINARY_DIR}")
run("${HOST_TEST}" "[digests]")

run("${CMAKE_COMMAND}" -S "${SOURCE_DIR}" -B "${BINARY_DIR}" -DCMAKE_CXX_COMPILER=${CLANGXX}
    -DCMAKE_BUILD_TYPE=Release -DDISFER_TEST_MODULES=core,image -DDISFER_TEST_SUBBUILD=ON
    -DDISFER_BUILD_EXAMPLES=OFF -DDISFER_BUILD_BENCHMARKS=OFF -DDISFER_VERIFY_HEADERS=OFF
    -DDISFER_WARNINGS_AS_ERRORS=ON -DDISFER_SHARED_DIR=${SHARED_DIR})
run("${CMAKE_COMMAND}" --build "${BINARY_DIR}" --target test_core test_image -j 2)

# Every core and image test in the clang++ build (a skipped case exits with 77 and counts as a pass).
foreach(module core image)
  set(exe "${BINARY_DIR}/tests/${module}/test_${module}")
  execute_process(COMMAND "${exe}" RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT (rc EQUAL 0 OR rc EQUAL 77))
    message(FATAL_ERROR "clang++ build: test_${module} failed (${rc})\n${out}\n${err}")
  endif()
endforeach()

set(ENV{DISFER_IMAGE_DIGEST_DUMP} "${BINARY_DIR}/digests-clang.txt")
run("${BINARY_DIR}/tests/image/test_image" "[digests]")
file(READ "${BINARY_DIR}/digests-host.txt" host)
file(READ "${BINARY_DIR}/digests-clang.txt" clang)
string(LENGTH "${host}" n)
if(n EQUAL 0)
  message(FATAL_ERROR "no digests were written")
endif()
if(NOT host STREQUAL clang)
  message(FATAL_ERROR "g++ and clang++ builds differ:\n--- g++\n${host}\n--- clang++\n${clang}")
endif()
message(STATUS "g++ and clang++ builds give identical digests")
