#include "util/malloc_tuning.hpp"

#include <fcntl.h>
#include <malloc.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>

#include "util/file_descriptor.hpp"

namespace migrate {

namespace {

/// One step of the heap: what sbrk asks for beyond a request, and the part of it the kernel
/// backs with huge pages. Reading 10,000 migrations fills ~25 MB; what a long-lived
/// migrate-web keeps after freeing is at most this.
constexpr int kHeapStep = 32 << 20;

/// glibc's default for M_MMAP_MAX, the number of blocks mapped on their own at once.
constexpr int kMmapMax = 65536;

/// The heap take_first_step_in_huge_pages steps beyond: a tool's, at its start, is ~130 KB.
constexpr std::size_t kLargestHeapToStep = std::size_t(256) << 20;

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

/// Takes the main heap's first step now, and asks the kernel to back it with huge pages (2 MB,
/// where transparent_hugepage is "madvise" or "always"): faulted in 2 MB at a time rather than
/// 4 KB. The gate at 5,000 migrations took ~7,300 page faults, clearing pages and the fault
/// path a fifth of its time. What a command touches is then counted in 2 MB pieces: 1-3 MB more
/// at its peak. A later step is a mapping of its own, in small pages, as before; so are the
/// heaps of reading threads, which gained nothing measurable from the advice.
void take_first_step_in_huge_pages() noexcept {
  std::size_t heap = ::mallinfo2().arena;  // ~130 KB at a tool's start
  if (heap > kLargestHeapToStep) {
    return;  // not a tool at its start (a test's process): its heap stays as it is
  }
  auto* before = static_cast<char*>(::sbrk(0));
  // A block larger than the whole heap cannot come from its free lists: sbrk takes a step of
  // kHeapStep beyond it, which stays in the heap once the block is freed (M_TOP_PAD). No block
  // is mapped on its own meanwhile (M_MMAP_MAX 0), whatever its size.
  ::mallopt(M_MMAP_MAX, 0);
  void* volatile block = std::malloc(heap + 1);  // volatile: the pair is not optimised away
  std::free(block);
  ::mallopt(M_MMAP_MAX, kMmapMax);
  auto* after = static_cast<char*>(::sbrk(0));
  // Only what sbrk took here, known to be the heap's: where brk could not grow, malloc mapped
  // the block elsewhere, and nothing is advised.
  auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  auto first = (reinterpret_cast<std::uintptr_t>(before) + page - 1) & ~(page - 1);
  auto last = reinterpret_cast<std::uintptr_t>(after);
  if (last > first) {
    ::madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);  // advice only
  }
}

}  // namespace

void tune_malloc_at_start(HeapUse use) noexcept {
  if (!address_space_is_free()) {
    return;  // glibc's defaults, slower but within the limit
  }
  // What sbrk asks for beyond a request (else a page at a time, an mprotect or brk call each),
  // also what a reading thread's heap starts with. Setting it also fixes at 128 KB the size
  // from which a block is mapped on its own (glibc otherwise raises it as large blocks are
  // freed). Not higher: blocks up to 8 MB from the heaps made the gate ~2 ms faster and
  // migrate-web's memory after a load test twice as large (137 -> 267 MB).
  ::mallopt(M_TOP_PAD, kHeapStep);
  // Not for the others: applying 1,000 migrations peaked 1 MB higher for ~1 ms of 335, and
  // migrate-web, trimming its heap after each request, kept ~15 MB more after a load test
  // (140 -> 160 MB at 10,000 migrations).
  if (use == HeapUse::short_reads) {
    take_first_step_in_huge_pages();
  }
}

}  // namespace migrate
