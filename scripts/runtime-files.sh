#!/bin/sh
# The files of the container image's runtime stage (Dockerfile): migrate's executables and
# libraries as `make install` put them under PREFIX, and every shared library they load, as ldd
# finds it here, copied into DEST at the same paths:
#
#   scripts/runtime-files.sh PREFIX DEST
#
# The image is then `COPY DEST/ /` over a slim base of the same Debian release. Libraries are
# copied to their real paths (/usr/lib/…, not through the /lib symlink of a merged /usr, which a
# COPY onto the base would not follow), each with the link ldd named it by beside it. The
# modules the tools load later (PREFIX/lib/migrate/libmigrate-*.so: libpq, libgit2) are read by
# ldd too, so their libraries come along. Prints one line per file written, and fails on a
# library that ldd cannot find.
set -eu

if [ $# -ne 2 ]; then
  echo "usage: scripts/runtime-files.sh PREFIX DEST" >&2
  exit 2
fi
prefix=$1
dest=$2
list="$prefix/share/migrate/installed-files.txt"
if [ ! -f "$list" ]; then
  echo "runtime-files.sh: $list is missing: run make install PREFIX=$prefix first" >&2
  exit 1
fi

# Copies `file` to DEST at the same path, once.
copy() {
  if [ ! -e "$dest$1" ]; then
    mkdir -p "$dest$(dirname "$1")"
    cp -p "$1" "$dest$1"
    echo "$1"
  fi
}

# The executables and migrate's own libraries, from the list make install wrote: not the man
# pages, completions, hooks or migrate.mk, which a container does not use.
binaries=$(grep -E "^$prefix/(bin|lib/migrate)/" "$list")
for file in $binaries; do
  copy "$file"
done

# Copies every library `file` loads: "libpq.so.5 => /lib/x86_64-linux-gnu/libpq.so.5 (0x…)",
# and the loader, "/lib64/ld-linux-x86-64.so.2 (0x…)".
copy_libraries() {
  found=$(ldd "$1")
  if echo "$found" | grep -q 'not found'; then
    echo "runtime-files.sh: ldd cannot find a library of $1:" >&2
    echo "$found" | grep 'not found' >&2
    exit 1
  fi
  for library in $(echo "$found" |
    sed -n -e 's/.* => \(\/[^ ]*\) .*/\1/p' -e 's/^\s*\(\/[^ ]*\) .*/\1/p'); do
    case "$library" in
    "$prefix"/lib/migrate/*) continue ;;  # copied above
    esac
    real=$(readlink -f "$library")
    copy "$real"
    name="$(dirname "$real")/$(basename "$library")"
    if [ "$name" != "$real" ] && [ ! -e "$dest$name" ]; then
      ln -s "$(basename "$real")" "$dest$name"
      echo "$name"
    fi
  done
}

for file in $binaries; do
  copy_libraries "$file"
done

# Graphviz loads its layout engines and renderers as plugins, listed in its config6a, from a
# folder beside libgvc: the dot layout and the core renderers (SVG, DOT, JSON) come along, so
# `migrate graph` writes SVG. Not PNG: cairo, pango and fonts are more than the rest together.
gvc=$(for file in $binaries; do ldd "$file"; done |
  sed -n 's/.*libgvc\.so[^ ]* => \([^ ]*\) .*/\1/p' | head -n 1)
plugins="$(dirname "$(readlink -f "$gvc")")/graphviz"
for plugin in "$plugins/config6a" "$plugins"/libgvplugin_core.so.* \
  "$plugins"/libgvplugin_dot_layout.so.*; do
  real=$(readlink -f "$plugin")
  copy "$real"
  if [ "$real" != "$plugin" ] && [ ! -e "$dest$plugin" ]; then
    ln -s "$(basename "$real")" "$dest$plugin"
    echo "$plugin"
  fi
  case "$plugin" in
  *.so.*) copy_libraries "$real" ;;
  esac
done
