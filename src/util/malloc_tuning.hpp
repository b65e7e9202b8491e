#pragma once

namespace migrate {

/// Sets glibc's malloc for a short command that reads much: heaps grown in steps of megabytes
/// rather than pages (~1,700 mprotect calls, a quarter of the CPU time, when migrate-current
/// read 10,000 migrations), blocks up to 8 MB taken from them rather than mapped one by one,
/// and the main heap's first step backed by huge pages (the gate's ~7,300 page faults at 5,000
/// migrations down to ~1,100). The untouched part of a step is address space only, which
/// costs no memory; where it would count (a data-segment limit, strict overcommit) glibc's
/// defaults stay. Called once, at a tool's start, before any thread exists.
void tune_malloc_at_start() noexcept;

}  // namespace migrate
