#pragma once

namespace migrate {

/// Tells glibc's malloc to grow its heaps in steps of megabytes rather than pages. A thread's
/// heap (the readers in util/parallel) otherwise grows a page at a time, with an mprotect call
/// for each: ~1,700 calls, a quarter of the CPU time, when migrate-current reads 10,000
/// migrations. The untouched part of a step is address space only, which costs no memory;
/// where it would count (a data-segment limit, strict overcommit) the default steps stay.
/// Called once, at a tool's start, before any thread exists.
void grow_heaps_in_large_steps() noexcept;

}  // namespace migrate
