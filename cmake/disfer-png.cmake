# Installed with disfer; included by disferConfig.cmake for find_package(disfer COMPONENTS png).
# The target disfer::png itself is in disferTargets.cmake; this finds its dependency, libpng.
find_package(PNG QUIET)
if(PNG_FOUND AND TARGET disfer::png)
  set(disfer_png_FOUND TRUE)
else()
  set(disfer_png_FOUND FALSE)
  set(disfer_NOT_FOUND_MESSAGE "disfer component 'png' needs libpng (Debian: libpng-dev)")
endif()
