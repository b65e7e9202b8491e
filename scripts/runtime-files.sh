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
# ldd too, so their libraries come along. Prints one line per file written, and fails, saying
# why, on a library that ldd cannot find.
set -eu

if [ $# -ne 2 ]; then
  echo "usage: scripts/runtime-files.sh PREFIX DEST" >&2
  exit 2
fi
# Absolute, as in the list CMake wrote (it made a relative PREFIX absolute).
if ! prefix=$(cd "$1" 2>/dev/null && pwd); then
  echo "runtime-files.sh: $1 is not a folder: run make install PREFIX=$1 first" >&2
  exit 1
fi
dest=${2%/}
list="$prefix/share/migrate/installed-files.txt"
if [ ! -f "$list" ]; then
  echo "runtime-files.sh: $list is missing: run make install PREFIX=$prefix first" >&2
  exit 1
fi
# Where migrate's own libraries really are: ldd names them through bin/../lib/migrate, or
# through a PREFIX that is a link.
own_libraries=$(readlink -f "$prefix/lib/migrate")
binaries=$(mktemp)
trap 'rm -f "$binaries"' EXIT

# Copies `file` to DEST at the same path, once.
copy() {
  if [ ! -e "$dest$1" ]; then
    mkdir -p "$dest$(dirname "$1")"
    cp -p "$1" "$dest$1"
    echo "$1"
  fi
}

# Copies `file` (a real path) and, when `name` is another name for it in the same folder (the
# name a library is loaded by), that name as a link beside it.
copy_with_name() {
  copy "$1"
  if [ "$2" != "$1" ] && [ ! -e "$dest$2" ] && [ ! -L "$dest$2" ]; then
    ln -s "$(basename "$1")" "$dest$2"
    echo "$2"
  fi
}

# Copies every library `file` loads: "libpq.so.5 => /lib/x86_64-linux-gnu/libpq.so.5 (0x…)",
# and the loader, "/lib64/ld-linux-x86-64.so.2 (0x…)".
copy_libraries() {
  if ! found=$(ldd "$1" 2>&1) || echo "$found" | grep -q 'not found'; then
    echo "runtime-files.sh: ldd cannot find every library of $1:" >&2
    echo "$found" >&2
    exit 1
  fi
  echo "$found" | sed -n -e 's/.* => \(\/[^ ]*\) .*/\1/p' -e 's/^\s*\(\/[^ ]*\) .*/\1/p' |
    while IFS= read -r library; do
      real=$(readlink -f "$library")
      case "$real" in
      "$own_libraries"/*) continue ;;  # copied with the executables
      esac
      copy_with_name "$real" "$(dirname "$real")/$(basename "$library")"
    done
}

# The executables and migrate's own libraries, from the list make install wrote: not the man
# pages, completions, hooks or migrate.mk, which a container does not use. (Compared as text:
# PREFIX may hold characters a pattern would read otherwise.)
while IFS= read -r file; do
  case "$file" in
  "$prefix"/bin/* | "$prefix"/lib/migrate/*) echo "$file" ;;
  esac
done < "$list" > "$binaries"
if [ ! -s "$binaries" ]; then
  echo "runtime-files.sh: $list names no executable under $prefix/bin" >&2
  exit 1
fi
while IFS= read -r file; do
  copy "$file"
done < "$binaries"
while IFS= read -r file; do
  copy_libraries "$file"
done < "$binaries"

# Graphviz loads its layout engines and renderers as plugins, listed in its config6a, from a
# folder beside libgvc: the dot layout and the core renderers (SVG, DOT, JSON) come along, for
# `migrate graph --layout dot`. Not PNG, nor pango's text measurement (the layout estimates
# text widths without it): cairo, pango and fonts are more than the rest together.
gvc=$(while IFS= read -r file; do ldd "$file"; done < "$binaries" |
  sed -n 's/.*libgvc\.so[^ ]* => \([^ ]*\) .*/\1/p' | head -n 1)
if [ -n "$gvc" ]; then
  plugins="$(dirname "$(readlink -f "$gvc")")/graphviz"
  for plugin in "$plugins/config6a" "$plugins"/libgvplugin_core.so.* \
    "$plugins"/libgvplugin_dot_layout.so.*; do
    if [ ! -e "$plugin" ]; then
      echo "runtime-files.sh: $plugin is missing: reinstall Debian's libgvc6" >&2
      exit 1
    fi
    real=$(readlink -f "$plugin")
    copy_with_name "$real" "$plugin"
    case "$plugin" in
    *.so.*) copy_libraries "$real" ;;
    esac
  done
fi
