#include "util/malloc_tuning.hpp"

#include <fcntl.h>
#include <malloc.h>
#include <sys/resource.h>

#include "util/file_descriptor.hpp"

namespace migrate {

namespace {

/// A thread's heap past its first step grows a page at a time again: reading 10,000
/// migrations fills ~12 MB of one, so 8 MB saved only three quarters of the calls. What a
/// long-lived migrate-web keeps after freeing is at most this per heap.
constexpr int kHeapStep = 32 << 20;

/// Whether making a step writable before it is used costs nothing: no limit on the data
/// segment (`ulimit -d`), and the kernel not committing memory strictly (vm.overcommit_memory
/// 2), where each heap's step would count in full, and malloc, refused, fails rather than
/// taking a smaller one.
bool address_space_is_free() noexcept {
  rlimit data{};
  if (::getrlimit(RLIMIT_DATA, &data) != 0 || data.rlim_cur != RLIM_INFINITY) {
    return false;
  }
  FileDescriptor overcommit(::open("/proc/sys/vm/overcommit_memory", O_RDONLY | O_CLOEXEC));
  char mode = '2';  // unknown: as strict
  return overcommit.get() >= 0 && ::read(overcommit.get(), &mode, 1) == 1 && mode != '2';
}

}  // namespace

void grow_heaps_in_large_steps() noexcept {
  if (!address_space_is_free()) {
    return;  // the default steps, slower but within the limit
  }
  // M_TOP_PAD is what a new thread heap starts with and what sbrk asks for beyond a request;
  // a process setting, read when a heap is made or grown (glibc's malloc/arena.c). Setting it
  // also fixes the size from which a block is mapped on its own at 128 KB (glibc otherwise
  // raises it as large blocks are freed): migrate-web's large responses are then given back
  // when freed rather than kept in its heaps.
  ::mallopt(M_TOP_PAD, kHeapStep);
}

}  // namespace migrate
