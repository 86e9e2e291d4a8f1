# Included by disferConfig.cmake for find_package(disfer COMPONENTS inference).
include(CMakeFindDependencyMacro)
find_dependency(nlohmann_json 3)
if(TARGET disfer::inference)
  # The model installed with the package: <prefix>/share/disfer/models (this file is in
  # <prefix>/share/cmake/disfer), relocatable with the prefix.
  get_filename_component(_disfer_model_dir "${CMAKE_CURRENT_LIST_DIR}/../../disfer/models" ABSOLUTE)
  set_property(TARGET disfer::inference APPEND PROPERTY INTERFACE_COMPILE_DEFINITIONS
               "DISFER_MODEL_INSTALL_DIR=\"${_disfer_model_dir}\"")
  set(disfer_inference_FOUND TRUE)
  unset(_disfer_model_dir)
else()
  set(disfer_inference_FOUND FALSE)
endif()
