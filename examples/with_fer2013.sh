#!/bin/sh
# Runs a command on FER-2013's pixels, chosen at test run time (the ctests of examples/CMakeLists.txt
# that need a real fer2013.csv):
#   sh with_fer2013.sh <default fer2013.csv> <command> [arguments...]
# The file is $DISFER_FER2013 when set (an error if it is not a file), else <default> (the team's
# ../shared/data/fer2013-sample.csv) when it exists; else the test is skipped (exit 77, which the
# ctests declare as SKIP_RETURN_CODE) with a message naming the variable. Every argument equal to
# @FER2013@ is replaced by the file.
default=$1
shift
if [ -n "${DISFER_FER2013:-}" ]; then
  if [ ! -f "$DISFER_FER2013" ]; then
    echo "DISFER_FER2013=$DISFER_FER2013 is not a readable file (unset it to skip the FER-2013 tests)" >&2
    exit 1
  fi
  fer=$DISFER_FER2013
elif [ -f "$default" ]; then
  fer=$default
else
  echo "needs FER-2013's pixels: set DISFER_FER2013=/path/fer2013.csv (not present: DISFER_FER2013 is unset and $default does not exist)"
  exit 77
fi
echo "FER-2013 pixels: $fer"
for a in "$@"; do
  shift
  if [ "$a" = "@FER2013@" ]; then a=$fer; fi
  set -- "$@" "$a"
done
exec "$@"
