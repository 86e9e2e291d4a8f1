# Included by disferConfig.cmake for find_package(disfer COMPONENTS inference): finds the
# component's dependency, nlohmann-json, then loads the target disfer::inference.
include(CMakeFindDependencyMacro)
find_dependency(nlohmann_json 3)
if(NOT TARGET disfer::inference)
  include("${CMAKE_CURRENT_LIST_DIR}/disfer-inference-targets.cmake")
  # The model installed with the package: <prefix>/share/disfer/models (this file is in
  # <prefix>/share/cmake/disfer), relocatable with the prefix.
  get_filename_component(_disfer_model_dir "${CMAKE_CURRENT_LIST_DIR}/../../disfer/models" ABSOLUTE)
  set_property(TARGET disfer::inference APPEND PROPERTY INTERFACE_COMPILE_DEFINITIONS
               "DISFER_MODEL_INSTALL_DIR=\"${_disfer_model_dir}\"")
  unset(_disfer_model_dir)
endif()
set(disfer_inference_FOUND TRUE)
