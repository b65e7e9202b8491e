#!/bin/sh
# Writes a tool's man page from its own --help and --version, with help2man, so the two can
# never disagree (built by tools/CMakeLists.txt):
#
#   scripts/man-page.sh HELP2MAN DISPATCHER TOOL OUTPUT
#
# The NAME line's description is the dispatcher's summary of the command (migrate __complete
# commands); the dispatcher's own page says what migrate is.
set -eu

help2man=$1
dispatcher=$2
tool=$3
output=$4
verb=${tool##*/}
verb=${verb#migrate-}
if [ "$verb" = migrate ]; then
  summary="git-integrated SQL schema migrations"
else
  summary=$("$dispatcher" __complete commands | awk -F '\t' -v verb="$verb" '$1 == verb { print $2 }')
fi
if [ -z "$summary" ]; then
  echo "man-page.sh: the dispatcher has no summary for $verb" >&2
  exit 1
fi
"$help2man" --no-info --no-discard-stderr --section=1 --source=migrate --name="$summary" \
  --include="$(dirname "$0")/../man/see-also.h2m" --output="$output" "$tool"
