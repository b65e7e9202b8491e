#!/bin/bash
# Holds src/ to the layering of ARCHITECTURE.md: reads the table in its "## Layering" section (the
# first fenced block there: `folder: allowed allowed …`) and every `#include "…"` line of
# src/**/*.hpp, *.cpp and the *.cpp.in templates, and prints each include the table does not allow:
#
#   src/a/b.cpp:12: includes c/d.hpp: a may not include c (ARCHITECTURE.md, Layering)
#
# Exit status: 0 (quiet) when every include is allowed, 1 when one is not (or a folder of src/ has
# no row), 2 when the table cannot be read. Includes without a folder ("x.hpp") and includes of a
# folder that is neither in src/ nor in the table (a third-party header) are not checked.
# bash, find, sort and awk (mawk is enough): what a bare Debian machine has.
#
#   scripts/check-layering.sh [REPOSITORY_ROOT]    (default: the repository holding this script)
set -euo pipefail

root=${1:-"$(dirname "$0")/.."}
if [ ! -f "$root/ARCHITECTURE.md" ] || [ ! -d "$root/src" ]; then
  echo "check-layering: $root holds no ARCHITECTURE.md and src/: give the repository root" >&2
  exit 2
fi
cd "$root"

find src -type f \( -name '*.hpp' -o -name '*.cpp' -o -name '*.cpp.in' \) | LC_ALL=C sort |
  awk -v table=ARCHITECTURE.md '
    function folder_of(path) { return sub(/\/[^\/]*$/, "", path) ? path : "" }
    function is_file(entry) { return entry ~ /\.[^\/]*$/ }
    function table_error(message) {
      printf "%s:%d: %s (the table in \"## Layering\")\n", table, line_no, message > "/dev/stderr"
      fatal = 2
    }
    # A row may name only rows above it (bottom-up), so the table can hold no cycle.
    function check_named(entry, named) {
      named = is_file(entry) ? folder_of(entry) : entry
      if (!(named in row)) table_error(key " names " named ", which has no row above it")
    }

    BEGIN {
      state = "before"  # before, section, fence, done
      while (state != "done" && (status = (getline text < table)) > 0) {
        line_no++
        if (state == "before") {
          if (text ~ /^##[ \t]+Layering[ \t]*$/) state = "section"
          continue
        }
        if (state == "section") {
          if (text ~ /^```/) state = "fence"
          else if (text ~ /^## /) break
          continue
        }
        if (text ~ /^```/) { state = "done"; break }
        sub(/#.*/, "", text)
        sub(/[ \t]+$/, "", text)
        if (text == "") continue
        indented = text ~ /^[ \t]/
        sub(/^[ \t]+/, "", text)
        n = split(text, words, /[ \t]+/)
        if (indented) {  # goes on with the row above
          if (key == "") { table_error("an indented line before the first row"); continue }
          first = 1
        } else {
          if (words[1] !~ /^[^:]+:$/) { table_error("\"" words[1] "\" is not `folder:`"); continue }
          key = substr(words[1], 1, length(words[1]) - 1)
          if (is_file(key)) check_named(key)
          else if (key in row) table_error(key " has a second row")
          row[key] = 1
          first = 2
        }
        for (i = first; i <= n; i++) {
          check_named(words[i])
          allowed[key, words[i]] = 1
        }
      }
      if (status < 0) {
        printf "check-layering: cannot read %s\n", table > "/dev/stderr"
        fatal = 2
      } else if (state != "done") {
        printf "%s: no fenced table in its \"## Layering\" section\n", table > "/dev/stderr"
        fatal = 2
      }
      if (fatal) exit fatal
    }

    { files[++file_count] = $0; source_folder[substr(folder_of($0), 5)] = 1 }

    END {
      if (fatal) exit fatal
      for (f = 1; f <= file_count; f++) {
        path = files[f]
        file = substr(path, 5)      # without "src/"
        folder = folder_of(file)
        if (folder == "") {
          printf "%s: not in a folder of src/ (ARCHITECTURE.md, Layering)\n", path
          violations++
          continue
        }
        if (!(folder in row)) {
          if (!(folder in reported))
            printf "src/%s/: %s has no row (ARCHITECTURE.md, Layering)\n", folder, folder
          reported[folder] = 1
          violations++
          continue
        }
        n = 0
        while ((status = (getline text < path)) > 0) {
          n++
          if (text !~ /^[ \t]*#[ \t]*include[ \t]*"[^"]+"/) continue
          sub(/^[^"]*"/, "", text)
          include = substr(text, 1, index(text, "\"") - 1)
          target = folder_of(include)
          if (target == "" || target == folder) continue
          if (!(target in source_folder) && !(target in row)) continue
          if ((folder, target) in allowed || (folder, include) in allowed) continue
          if ((file, target) in allowed || (file, include) in allowed) continue
          printf "%s:%d: includes %s: %s may not include %s (ARCHITECTURE.md, Layering)\n",
                 path, n, include, folder, target
          violations++
        }
        close(path)
        if (status < 0) { printf "check-layering: cannot read %s\n", path > "/dev/stderr"; exit 2 }
      }
      exit (violations > 0 ? 1 : 0)
    }'
