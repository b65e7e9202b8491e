#include "util/malloc_tuning.hpp"

#include <malloc.h>

namespace migrate {

namespace {

/// A thread's heap past its first step grows a page at a time again: reading 10,000
/// migrations fills ~12 MB of one, so 8 MB saved only three quarters of the calls. What a
/// long-lived migrate-web keeps after freeing is at most this per heap.
constexpr int kHeapStep = 32 << 20;

}  // namespace

void grow_heaps_in_large_steps() noexcept {
  // M_TOP_PAD is what a new thread heap starts with and what sbrk asks for beyond a request;
  // a process setting, read when a heap is made or grown (glibc's malloc/arena.c).
  ::mallopt(M_TOP_PAD, kHeapStep);
}

}  // namespace migrate
