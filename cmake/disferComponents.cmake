# Optional components of disfer. Each block is self-contained: it adds one INTERFACE target,
# appends it to DISFER_EXPORT_TARGETS and its name to DISFER_COMPONENTS, and installs the
# disfer-<component>.cmake file that find_package(disfer COMPONENTS <component>) includes.

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
    install(FILES cmake/disfer-inference.cmake DESTINATION "${CMAKE_INSTALL_DATADIR}/cmake/disfer")
    list(APPEND DISFER_EXPORT_TARGETS disfer_inference)
    list(APPEND DISFER_COMPONENTS inference)
  endif()
endif()
# --- end of component "inference" --------------------------------------------------------------
