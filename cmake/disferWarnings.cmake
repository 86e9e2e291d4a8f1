# Warnings for everything the project itself compiles (tests, examples, benchmarks).
add_library(disfer_warnings INTERFACE)
target_compile_options(disfer_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow
                       $<$<BOOL:${DISFER_WARNINGS_AS_ERRORS}>:-Werror>)
