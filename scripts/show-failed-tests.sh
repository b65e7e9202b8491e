#!/bin/sh
# Prints again, after a failed `ctest` run in the build folder $1, the whole output of each test
# that failed: with -j2 and 1,500 tests, --output-on-failure shows it where it happened, far
# above the summary, and a CI log that keeps only its end would lose it.
set -eu
testing="$1/Testing/Temporary"
[ -s "$testing/LastTestsFailed.log" ] || exit 0
# LastTestsFailed.log: "<number>:<name>" per line. LastTest.log: one block per test, from
# "<i>/<n> Testing: <name>" to "\"<name>\" end time: …".
awk '
  FNR == NR { sub(/^[0-9]+:/, ""); failed[$0] = 1; next }
  /^[0-9]+\/[0-9]+ Testing: / { name = $0; sub(/^[0-9]+\/[0-9]+ Testing: /, "", name);
                                 showing = (name in failed) }
  showing { print }
  showing && index($0, "\"" name "\" end time:") == 1 { showing = 0; print "" }
' "$testing/LastTestsFailed.log" "$testing/LastTest.log" | sed 's/^/    /' >&2
printf 'The tests that failed, their whole output above:\n' >&2
sed 's/^/    /' "$testing/LastTestsFailed.log" >&2
