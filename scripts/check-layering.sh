#!/bin/bash
# Holds src/ to the layering of ARCHITECTURE.md: reads the table in its "## Layering" section (the
# first fenced block there: `folder: allowed allowed …`) and every `#include "…"` line of
# src/**/*.hpp, *.cpp and the *.cpp.in templates, and prints each include the table does not allow:
#
#   src/a/b.cpp:12: includes c/d.hpp: a may not include c (ARCHITECTURE.md, Layering)
#
# Exit status: 0 (quiet) when every include is allowed, 1 when one is not (or a folder of src/ has
# no row, or a row names a file src/ does not have), 2 when the table cannot be read. An include
# is read as the compiler finds it: beside the including file first ("sqlite/x.hpp" from db/,
# "../web/y.hpp"), else from src/; `#include <x/y.hpp>` counts too when x is a folder of src/.
# Includes of a folder that is neither in src/ nor in the table (a third-party header) and of a
# file of the including folder are not checked. Every file of src/ is read.
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

find src -type f ! -name CMakeLists.txt | LC_ALL=C sort |
  awk -v table=ARCHITECTURE.md '
    function folder_of(path) { return sub(/\/[^\/]*$/, "", path) ? path : "" }
    function exists(path,   line, ok) {
      ok = (getline line < path) >= 0
      close(path)
      return ok
    }
    # "a/b/../c/./d" -> "a/c/d"; a path that climbs out of src/ stays with its "..".
    function normalized(path,   parts, n, i, out, m) {
      n = split(path, parts, "/")
      m = 0
      for (i = 1; i <= n; i++) {
        if (parts[i] == "." || parts[i] == "") continue
        if (parts[i] == ".." && m > 0 && out[m] != "..") { m--; continue }
        out[++m] = parts[i]
      }
      path = ""
      for (i = 1; i <= m; i++) path = path (i > 1 ? "/" : "") out[i]
      return path
    }
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
      for (key in row)
        if (is_file(key) && !exists("src/" key)) {
          printf "%s: the row %s names a file src/ does not have (ARCHITECTURE.md, Layering)\n",
                 table, key > "/dev/stderr"
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
          if (text ~ /^[ \t]*#[ \t]*include[ \t]*"[^"]+"/) {
            sub(/^[^"]*"/, "", text)
            include = substr(text, 1, index(text, "\"") - 1)
            beside = normalized(folder "/" include)  # found beside the including file first
            if (exists("src/" beside) || include ~ /^\.\.?\//) include = beside
            else include = normalized(include)
          } else if (text ~ /^[ \t]*#[ \t]*include[ \t]*<[^>]+>/) {
            sub(/^[^<]*</, "", text)
            include = normalized(substr(text, 1, index(text, ">") - 1))
            if (!(folder_of(include) in source_folder)) continue  # a system or library header
          } else {
            continue
          }
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
