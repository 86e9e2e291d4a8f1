# Optional components of disfer, one block each. A block adds an INTERFACE target `disfer_<name>`
# (alias and export name `disfer::<name>`) with its own headers, appends the target to
# DISFER_EXPORT_TARGETS and the name to DISFER_COMPONENTS, and installs `disfer-<name>.cmake`,
# which the installed disferConfig.cmake includes for `find_package(disfer COMPONENTS <name>)`
# and which must set disfer_<name>_FOUND.
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
  list(APPEND DISFER_EXPORT_TARGETS disfer_png)
  list(APPEND DISFER_COMPONENTS png)
  install(FILES cmake/disfer-png.cmake DESTINATION ${_disfer_component_dir})
else()
  message(STATUS "disfer: libpng not found; the optional component 'png' is not built")
endif()
