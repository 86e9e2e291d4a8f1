#!/bin/sh
# Builds the consumer with nothing but pkg-config's flags for the installed disfer, then runs it.
set -eu
prefix=$1 cxx=$2 source=$3 out=$4
mkdir -p "$out"
PKG_CONFIG_PATH="$prefix/share/pkgconfig" pkg-config --exists --print-errors disfer
flags=$(PKG_CONFIG_PATH="$prefix/share/pkgconfig" pkg-config --cflags disfer)
echo "pkg-config --cflags disfer: $flags"
# shellcheck disable=SC2086
"$cxx" $flags -O1 "$source" -o "$out/consumer"
"$out/consumer"
