#!/bin/sh
# Removes what `make install` installed from a build folder (make uninstall):
#
#   scripts/uninstall.sh LIST
#
# The files CMake listed as it installed them (LIST: BUILD_DIR/installed-files.txt, the copy of
# install_manifest.txt the last make install kept), then migrate's own folders (…/lib/migrate,
# …/share/migrate and those below them) once they are empty. Folders that may have been there
# before (bin/, share/man/man1/) stay, empty or not.
set -eu

manifest=$1
if [ ! -f "$manifest" ]; then
  echo "make uninstall: nothing was installed from this build folder (no $manifest)" >&2
  exit 1
fi
removed=0
while IFS= read -r file || [ -n "$file" ]; do  # its last line has no newline
  if [ -e "$file" ] || [ -L "$file" ]; then
    rm -f "$file"
    removed=$((removed + 1))
  fi
done < "$manifest"
# Each file's folders from the one named migrate down, deepest first.
awk '{ n = split($0, part, "/"); path = "";
       for (i = 2; i < n; i++) { path = path "/" part[i]; if (part[i] == "migrate") own = 1;
                                  if (own) print path }
       own = 0 }' "$manifest" | sort -u -r | while IFS= read -r folder; do
  rmdir "$folder" 2>/dev/null || true
done
echo "make uninstall: removed $removed files listed in $manifest"
