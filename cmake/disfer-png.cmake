# Installed with disfer; included by disferConfig.cmake for find_package(disfer COMPONENTS png):
# finds the component's dependency, libpng, then loads the target disfer::png.
find_package(PNG QUIET)
if(PNG_FOUND)
  if(NOT TARGET disfer::png)
    include("${CMAKE_CURRENT_LIST_DIR}/disfer-png-targets.cmake")
  endif()
  set(disfer_png_FOUND TRUE)
else()
  set(disfer_png_FOUND FALSE)
  set(disfer_NOT_FOUND_MESSAGE "disfer component 'png' needs libpng (Debian: libpng-dev)")
endif()
