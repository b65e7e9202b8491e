#pragma once

namespace migrate {

/// Sets glibc's malloc for a short command that reads much: one heap for all threads, grown in
/// steps of megabytes rather than pages (~1,700 mprotect calls, a quarter of the CPU time, when
/// migrate-current read 10,000 migrations with a heap per thread), its first step backed by
/// huge pages (~5,500 page faults there, another quarter, down to ~800). The untouched part of
/// a step is address space only, which costs no memory; where it would count (a data-segment
/// limit, strict overcommit) glibc's defaults stay. Called once, at a tool's start, before any
/// thread exists.
void tune_malloc_at_start() noexcept;

}  // namespace migrate
