#!/bin/sh
# Runs every fuzz target of a libFuzzer build for SECONDS each (`make fuzz`):
#
#   fuzz/run.sh BUILD_DIR SECONDS [TARGET...]
#
# (every target, or only the ones named: `make fuzz FUZZ_TARGETS="config folder"`).
# Each target runs over its own corpus, BUILD_DIR/fuzz-corpus/<name>/ (kept, and grown, from
# one run to the next), and the seeds of fuzz/corpus/<name>/. A crash or a failed property is
# kept as a file in BUILD_DIR/fuzz-crashes/<name>/: add it to fuzz/corpus/<name>/ once fixed,
# so that `make test` replays it for good. Prints a line per target (executions, edges and
# features covered, corpus size, crashes), appends it to BUILD_DIR/fuzz-totals.tsv (the numbers
# of every run so far, summed at the end), and exits 1 when any target crashed.
set -eu

build=$(cd "$1" && pwd)
seconds=$2
shift 2
root=$(cd "$(dirname "$0")/.." && pwd)
# The targets that write files (config, folder, parse_cache, web_request) write them for every
# input: in memory, where /dev/shm is, they run twice as fast as on a disk. (A few megabytes:
# a container's 64 MB /dev/shm is enough.)
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
  export TMPDIR=/dev/shm
fi
totals="$build/fuzz-totals.tsv"
mkdir -p "$build/fuzz-logs"
[ -f "$totals" ] || printf 'date\ttarget\tseconds\texecutions\tedges\tfeatures\tcrashes\n' > "$totals"

# The last number libFuzzer printed after `label` in `log`, on its own status lines ("#1024
# pulse cov: 812 ft: 2010 …"), not in an input it printed.
last_number() {
  { grep -a '^#[0-9]' "$2" || true; } | grep -o "$1 *[0-9]*" | tail -n 1 | grep -o '[0-9]*$' ||
    echo 0
}

if [ $# -eq 0 ]; then
  set -- $(cd "$build/fuzz" && ls fuzz_* 2>/dev/null | sed 's/^fuzz_//')
  if [ $# -eq 0 ]; then
    echo "fuzz/run.sh: no fuzz target in $build/fuzz: build them first (make fuzz does)" >&2
    exit 2
  fi
fi
for name in "$@"; do
  if [ ! -x "$build/fuzz/fuzz_$name" ]; then
    echo "fuzz/run.sh: no fuzz target '$name' in $build/fuzz (the targets: $(cd "$build/fuzz" &&
      ls fuzz_* | sed 's/^fuzz_//' | tr '\n' ' '))" >&2
    exit 2
  fi
done

status=0
printf '%-16s %12s %7s %9s %7s %8s\n' target executions edges features corpus crashes
for name in "$@"; do
  binary="$build/fuzz/fuzz_$name"
  corpus="$build/fuzz-corpus/$name"
  crashes="$build/fuzz-crashes/$name"
  log="$build/fuzz-logs/$name.log"
  mkdir -p "$corpus" "$crashes"
  started="$build/fuzz-logs/$name.started"
  touch "$started"
  # -timeout: an input that takes 10 s is a hang, and a finding like a crash. libFuzzer exits
  # other than 0 when it found something (or could not run at all): a finding, counted once
  # even when it rewrote a file of an earlier run (a crash's file is named by its bytes).
  exit_code=0
  "$binary" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$crashes/" "$corpus" "$root/fuzz/corpus/$name" > "$log" 2>&1 ||
    exit_code=$?
  # Not slow-unit-* files: libFuzzer keeps an input that took over 10 s without failing it
  # (a run stopped with SIGSTOP, a loaded machine); it is a lead, not a finding.
  found=$(find "$crashes" -type f -newer "$started" ! -name 'slow-unit-*' | wc -l)
  # 72: libFuzzer's exit when interrupted (Ctrl-C, SIGINT), having found nothing: the round
  # ends there, and its numbers count.
  if [ "$exit_code" -ne 0 ] && [ "$exit_code" -ne 72 ] && [ "$found" -eq 0 ]; then
    found=1
  fi
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  edges=$(last_number 'cov:' "$log")
  features=$(last_number 'ft:' "$log")
  files=$(find "$corpus" -type f | wc -l)
  printf '%-16s %12s %7s %9s %7s %8s\n' "$name" "${executions:-0}" "$edges" "$features" \
    "$files" "$found"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$name" "$seconds" \
    "${executions:-0}" "$edges" "$features" "$found" >> "$totals"
  if [ "$found" -gt 0 ]; then
    status=1
    echo "  $name found $found (exit $exit_code): $crashes (its log: $log)" >&2
  fi
done

echo
echo "Every run so far ($totals):"
printf '%-16s %6s %14s %9s %8s\n' target runs executions edges crashes
awk -F'\t' 'NR > 1 { runs[$2]++; executions[$2] += $4; crashes[$2] += $7;
                     if ($5 > edges[$2]) edges[$2] = $5 }
            END { for (t in runs) printf "%-16s %6d %14d %9d %8d\n", t, runs[t], executions[t],
                                         edges[t], crashes[t] }' "$totals" | sort
exit $status
