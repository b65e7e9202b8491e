#!/bin/sh
# Removes what `make install` installed from a build folder (make uninstall):
#
#   scripts/uninstall.sh LIST
#
# The files CMake listed as it installed them (LIST: PREFIX/share/migrate/installed-files.txt,
# the copy of install_manifest.txt make install keeps there), the list itself, then migrate's
# own folders (…/lib/migrate, …/share/migrate and those below them) once they are empty.
# Folders that may have been there before (bin/, share/man/man1/) stay, empty or not.
set -eu

manifest=$1
if [ ! -f "$manifest" ]; then
  echo "make uninstall: nothing of migrate's is installed there (no $manifest);" \
    "give the PREFIX make install was given" >&2
  exit 1
fi
removed=0
folders=$(mktemp)
cp "$manifest" "$folders"
while IFS= read -r file || [ -n "$file" ]; do  # its last line has no newline
  if [ -e "$file" ] || [ -L "$file" ]; then
    rm -f "$file"
    removed=$((removed + 1))
  fi
done < "$manifest"
rm -f "$manifest"
# Each file's folders from lib/migrate or share/migrate down (never a folder of the prefix's
# own that happens to be called migrate), deepest first.
awk '{ n = split($0, part, "/"); path = ""; own = 0;
       for (i = 2; i < n; i++) {
         path = path "/" part[i]
         if (part[i] == "migrate" && (part[i - 1] == "lib" || part[i - 1] == "share")) own = 1
         if (own) print path
       } }' "$folders" | sort -u -r | while IFS= read -r folder; do
  rmdir "$folder" 2>/dev/null || true
done
rm -f "$folders"
echo "make uninstall: removed $removed files listed in $manifest"
