#!/usr/bin/env bash
# Part f of bench/run.sh: migrate-web on a big repository; see bench/README.md.
#
#   bench/web.sh BUILD_DIR WORK_DIR
#
# In WORK_DIR/web: a repository of 10,000 migrations over 6,000 commits (generate_repo.sh), its
# migrations recorded as applied (--fake) in a SQLite database. Measures, each printed on a
# "web:" line and written to WORK_DIR/web/results.txt:
#  - first byte of / after start: from launching migrate-web until curl gets the page (curl
#    polled in a loop: includes up to one curl start-up, a few ms);
#  - /api/migrations: its own time to first byte (one request, curl) and requests/s with wrk on
#    2 connections for BENCH_WEB_SECONDS (default 20);
#  - memory: the server's RSS (VmRSS) after 100 requests and after 10,000 (the page and its
#    script, and /api/migrations/<id> every 100th: it reads the whole history, as every API
#    route does), then after the wrk run, to show it does not grow.
# Needs curl and wrk (make bench-deps). Fails only when the server fails.
set -euo pipefail

BUILD_DIR=$(cd "$1" && pwd)
WORK=$(cd "$2" && pwd)/web
SOURCE_DIR=$(cd "$(dirname "$0")/.." && pwd)
WEB=$BUILD_DIR/tools/migrate-web
UPGRADE=$BUILD_DIR/tools/migrate-upgrade
SECONDS_WRK=${BENCH_WEB_SECONDS:-20}
for command in curl wrk git; do
  command -v "$command" >/dev/null || { echo "$0: $command is missing (make bench-deps)" >&2; exit 2; }
done
fail() { echo "$0: $*" >&2; exit 1; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# BENCH_WEB_REUSE=1 keeps the repository and database of a previous run (4-5 minutes to make).
if [[ ${BENCH_WEB_REUSE:-} != 1 || ! -f $WORK/web.db ]]; then
  rm -rf "$WORK"
  mkdir -p "$WORK"
  REPO_MIGRATIONS=10000 REPO_COMMITS=6000 "$SOURCE_DIR/bench/generate_repo.sh" "$WORK/repo" >/dev/null
  printf '[migrate]\n\tdatabase = sqlite:../web.db\n' >"$WORK/repo/migrate.conf"
  (cd "$WORK/repo" && "$UPGRADE" --fake -q) || fail "recording the migrations as applied failed"
fi
cd "$WORK"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url=http://127.0.0.1:$port
start=$(now_ms)
(cd repo && exec "$WEB" --port "$port") >server.out 2>server.err &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
until curl -sf -o /dev/null "$url/"; do
  kill -0 $server 2>/dev/null || fail "migrate-web exited: $(cat server.err)"
done
first_byte=$(($(now_ms) - start))

api_first=$(curl -sf -o api.json -w '%{time_starttransfer}' "$url/api/migrations")
[[ $(grep -c '"id":"' api.json) -ge 10000 ]] || fail "api.json: expected 10,000 migrations"
id=$(sed -n 's/.*"id":"\([0-9]*\)".*/\1/p' api.json | tail -n 1)

rss() { awk '/^VmRSS/ { print $2 }' "/proc/$server/status"; }
# requests N: N requests, 200 per curl (which reuses its connection for every URL of one
# command line).
requests() {
  local i urls=()
  for ((i = 1; i <= $1; i++)); do
    if ((i % 100 == 0)); then urls+=(-o /dev/null "$url/api/migrations/$id")
    elif ((i % 3 == 0)); then urls+=(-o /dev/null "$url/assets/app.js")
    else urls+=(-o /dev/null "$url/"); fi
    if ((${#urls[@]} >= 600)); then curl -sf "${urls[@]}"; urls=(); fi
  done
  ((${#urls[@]} == 0)) || curl -sf "${urls[@]}"
}
requests 100
rss_100=$(rss)
requests 9900
rss_10000=$(rss)

wrk -t2 -c2 -d"${SECONDS_WRK}s" --timeout 30s "$url/api/migrations" >wrk.txt
api_rps=$(awk '/^Requests\/sec/ { print $2 }' wrk.txt)
rss_after_wrk=$(rss)
kill -TERM $server
wait $server || fail "migrate-web did not stop cleanly on SIGTERM"
trap - EXIT

{
  echo "web: first byte of / after start: ${first_byte} ms"
  echo "web: /api/migrations (10,000 migrations, 6,000 commits): first byte $(awk -v s="$api_first" 'BEGIN { printf "%.0f", s * 1000 }') ms, $(wc -c <api.json) bytes"
  echo "web: /api/migrations with wrk, 2 connections, ${SECONDS_WRK} s: ${api_rps} requests/s"
  echo "web: server RSS after 100 requests: ${rss_100} kB; after 10,000: ${rss_10000} kB; after wrk: ${rss_after_wrk} kB"
} | tee results.txt
