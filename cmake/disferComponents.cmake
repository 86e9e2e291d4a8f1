# Optional components of disfer, one block each. A block adds an INTERFACE target `disfer_<name>`
# (alias and export name `disfer::<name>`) with its own headers, appends the name to
# DISFER_COMPONENTS (the top-level CMakeLists.txt installs the target in the export file
# disfer-<name>-targets.cmake), and installs `disfer-<name>.cmake`, which the installed
# disferConfig.cmake includes for `find_package(disfer COMPONENTS <name>)`: it finds the
# component's dependencies, includes disfer-<name>-targets.cmake and sets disfer_<name>_FOUND.
set(_disfer_component_dir "${CMAKE_INSTALL_DATADIR}/cmake/disfer")

# --- png: grayscale PNG reading and writing (libpng, Debian libpng-dev) -----------------------
find_package(PNG)
if(PNG_FOUND)
  add_library(disfer_png INTERFACE)
  add_library(disfer::png ALIAS disfer_png)
  target_sources(disfer_png INTERFACE FILE_SET HEADERS BASE_DIRS include
                 FILES include/disfer/io/png.hpp include/disfer/png.hpp)
  target_link_libraries(disfer_png INTERFACE disfer PNG::PNG)
  set_target_properties(disfer_png PROPERTIES EXPORT_NAME png)
  if(DISFER_VERIFY_HEADERS)
    set_target_properties(disfer_png PROPERTIES VERIFY_INTERFACE_HEADER_SETS ON)
  endif()
  list(APPEND DISFER_COMPONENTS png)
  install(FILES cmake/disfer-png.cmake DESTINATION ${_disfer_component_dir})
else()
  message(STATUS "disfer: libpng not found; the optional component 'png' is not built")
endif()

# --- component "inference" (disfer::inference): TensorFlow.js graph runner, FER-2013 model -----
option(DISFER_WITH_INFERENCE "Build the optional inference component (needs nlohmann-json)" ON)
if(DISFER_WITH_INFERENCE)
  find_package(nlohmann_json 3 QUIET)
  if(NOT nlohmann_json_FOUND)
    message(STATUS "disfer: nlohmann-json not found (Debian: nlohmann-json3-dev); component 'inference' disabled")
  else()
    file(GLOB_RECURSE DISFER_INFERENCE_HEADERS CONFIGURE_DEPENDS RELATIVE "${PROJECT_SOURCE_DIR}"
         "${PROJECT_SOURCE_DIR}/include/disfer/inference/*.hpp")
    list(APPEND DISFER_INFERENCE_HEADERS include/disfer/inference.hpp)
    add_library(disfer_inference INTERFACE)
    add_library(disfer::inference ALIAS disfer_inference)
    target_sources(disfer_inference INTERFACE FILE_SET HEADERS BASE_DIRS include FILES ${DISFER_INFERENCE_HEADERS})
    target_link_libraries(disfer_inference INTERFACE disfer nlohmann_json::nlohmann_json)
    # The network's headers refuse to compile without it (the model search needs this target's
    # definitions): a program that links only disfer::disfer fails at build time, not at run time.
    target_compile_definitions(disfer_inference INTERFACE DISFER_INFERENCE_COMPONENT=1)
    set_target_properties(disfer_inference PROPERTIES EXPORT_NAME inference)
    if(DISFER_VERIFY_HEADERS)
      set_target_properties(disfer_inference PROPERTIES VERIFY_INTERFACE_HEADER_SETS ON)
    endif()
    # The FER-2013 model (npm @vladmandic/human, models/emotion.*): fetched into the build tree,
    # installed under share/disfer/models. The build tree's folder is compiled in for programs
    # built here; the installed disfer-inference.cmake adds the install prefix's folder.
    include(disferModel)
    target_compile_definitions(disfer_inference INTERFACE
      "$<BUILD_INTERFACE:DISFER_MODEL_BUILD_DIR=\"${DISFER_MODEL_BUILD_DIR}\">")
    install(FILES "${DISFER_MODEL_BUILD_DIR}/emotion.json" "${DISFER_MODEL_BUILD_DIR}/emotion.bin"
            DESTINATION "${CMAKE_INSTALL_DATADIR}/disfer/models" OPTIONAL)
    # The second network (face-api's FaceExpressionNet, npm @vladmandic/face-api): the same folders.
    include(disferFaceapiModel)
    install(FILES "${DISFER_MODEL_BUILD_DIR}/face_expression_model-weights_manifest.json"
                  "${DISFER_MODEL_BUILD_DIR}/face_expression_model.bin"
            DESTINATION "${CMAKE_INSTALL_DATADIR}/disfer/models" OPTIONAL)
    install(FILES cmake/disfer-inference.cmake DESTINATION "${CMAKE_INSTALL_DATADIR}/cmake/disfer")
    list(APPEND DISFER_COMPONENTS inference)
  endif()
endif()
# --- end of component "inference" --------------------------------------------------------------
