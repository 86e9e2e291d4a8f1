# Dependencies of disfer::disfer, shared by the build and by the installed disferConfig.cmake.
# All come from Debian 12 packages: libeigen3-dev, libboost-math-dev, libxtensor-dev (+ xtl-dev,
# libxsimd-dev), librandom123-dev.
include(CMakeFindDependencyMacro)
find_dependency(Eigen3 3.3 NO_MODULE)
find_dependency(Boost 1.74 CONFIG)
find_dependency(xtensor 0.24)
# std::thread (batch distortion, inference, bootstrap, simulation); needed before glibc 2.34.
find_dependency(Threads)
# Random123 ships headers only, without a CMake or pkg-config file.
find_path(RANDOM123_INCLUDE_DIR Random123/philox.h)
if(NOT RANDOM123_INCLUDE_DIR)
  set(${CMAKE_FIND_PACKAGE_NAME}_FOUND FALSE)
  set(${CMAKE_FIND_PACKAGE_NAME}_NOT_FOUND_MESSAGE
      "Random123 headers (Random123/philox.h) not found: install Debian's librandom123-dev")
  if(NOT CMAKE_FIND_PACKAGE_NAME)
    message(FATAL_ERROR "disfer needs Random123 (Random123/philox.h): install Debian's librandom123-dev")
  endif()
endif()
