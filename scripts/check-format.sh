#!/usr/bin/env bash
# Fails when any tracked C++ file differs from .clang-format (clang-format 14, Debian 12).
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.hpp' '*.cpp' '*.h' '*.cc' 2>/dev/null || find include tests examples benchmarks -name '*.[ch]pp')
if ((${#files[@]} == 0)); then echo "no C++ files"; exit 0; fi
clang-format --dry-run -Werror "${files[@]}"
echo "format check: ${#files[@]} files clean"
