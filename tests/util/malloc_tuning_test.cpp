#include "util/malloc_tuning.hpp"

#include <sys/resource.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

#include "support/temp_dir.hpp"

namespace {

/// The size in KB of the largest [heap] mapping advised to use huge pages: the "hg" flag on
/// its VmFlags line in /proc/self/smaps. 0 when none is.
long largest_heap_advised_huge() {
  std::istringstream smaps(migrate::test::read_text("/proc/self/smaps"));
  bool in_heap = false;
  long size = 0;
  long largest = 0;
  for (std::string line; std::getline(smaps, line);) {
    // A mapping's first line: "start-end perms offset dev inode [name]"; every other line is
    // "Key: value".
    if (line.find(':') == std::string::npos || line.find(' ') < line.find(':')) {
      in_heap = line.size() >= 6 && line.compare(line.size() - 6, 6, "[heap]") == 0;
    } else if (in_heap && line.rfind("Size:", 0) == 0) {
      size = std::stol(line.substr(5));
    } else if (in_heap && line.rfind("VmFlags:", 0) == 0 &&
               (line + " ").find(" hg ") != std::string::npos) {
      largest = std::max(largest, size);
    }
  }
  return largest;
}

/// As malloc_tuning judges it: a data-segment limit, or overcommit strict or unknown.
bool address_space_limited() {
  rlimit data{};
  char overcommit = '2';  // unknown: as strict
  std::ifstream("/proc/sys/vm/overcommit_memory") >> overcommit;
  return ::getrlimit(RLIMIT_DATA, &data) != 0 || data.rlim_cur != RLIM_INFINITY ||
         overcommit == '2';
}

}  // namespace

TEST_CASE("tune_malloc_at_start: the heap's first step is advised to use huge pages",
          "[util][malloc_tuning]") {
  migrate::tune_malloc_at_start(migrate::HeapUse::short_reads);
  if (address_space_limited()) {
    CHECK(largest_heap_advised_huge() == 0);  // glibc's defaults kept, nothing advised
    return;
  }
  if (!std::ifstream("/sys/kernel/mm/transparent_hugepage/enabled")) {
    WARN("this kernel has no transparent huge pages: the advice is refused");
    return;
  }
  // The flag is the advice, set whether or not huge pages are given (transparent_hugepage
  // "never" keeps small pages for it). The step is 32 MB beyond what the heap's top held: in a
  // tool's process at its start, ~32 MB; here, where tests ran before, at least a few.
  CHECK(largest_heap_advised_huge() >= 4 * 1024);
}
