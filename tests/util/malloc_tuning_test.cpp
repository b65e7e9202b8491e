#include "util/malloc_tuning.hpp"

#include <sys/resource.h>

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

namespace {

std::string read_all(const char* path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Whether one of the process's heap mappings is advised to use huge pages: the "hg" flag on
/// the VmFlags line of a [heap] mapping in /proc/self/smaps.
bool heap_advised_huge() {
  std::istringstream smaps(read_all("/proc/self/smaps"));
  bool in_heap = false;
  for (std::string line; std::getline(smaps, line);) {
    if (line.rfind("VmFlags:", 0) == 0) {
      if (in_heap && (line + " ").find(" hg ") != std::string::npos) {
        return true;
      }
      continue;
    }
    // A mapping's first line: "start-end perms offset dev inode [name]"; every other line is
    // "Key: value".
    if (line.find(':') == std::string::npos || line.find(' ') < line.find(':')) {
      in_heap = line.size() >= 6 && line.compare(line.size() - 6, 6, "[heap]") == 0;
    }
  }
  return false;
}

bool address_space_limited() {
  rlimit data{};
  return ::getrlimit(RLIMIT_DATA, &data) != 0 || data.rlim_cur != RLIM_INFINITY ||
         read_all("/proc/sys/vm/overcommit_memory").rfind('2', 0) == 0;
}

}  // namespace

TEST_CASE("tune_malloc_at_start: the heap's first step is advised to use huge pages",
          "[util][malloc_tuning]") {
  migrate::tune_malloc_at_start();
  if (address_space_limited()) {
    CHECK_FALSE(heap_advised_huge());  // glibc's defaults kept, nothing advised
    return;
  }
  // The flag is the advice, set whether or not the kernel has huge pages to give
  // (transparent_hugepage "never" keeps small pages for it).
  CHECK(heap_advised_huge());
}
