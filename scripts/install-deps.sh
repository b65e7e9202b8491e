#!/bin/sh
# Installs the Debian packages named as arguments, if any is missing. Idempotent: when all are
# installed it does nothing and prints nothing. Not root and no sudo: it says what to run.
set -eu

missing=""
for package in "$@"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $package"
  fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  run_as_root=""
elif command -v sudo >/dev/null 2>&1; then
  run_as_root="sudo"
else
  echo "migrate: these Debian packages are missing:$missing" >&2
  echo "Install them as root, then run make again:" >&2
  echo "  apt-get update && apt-get install -y$missing" >&2
  exit 1
fi

echo "migrate: installing Debian packages:$missing"
$run_as_root apt-get update -qq
DEBIAN_FRONTEND=noninteractive $run_as_root apt-get install -y -qq --no-install-recommends $missing
