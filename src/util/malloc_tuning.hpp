#pragma once

namespace migrate {

/// What a tool's heap is set for.
enum class HeapUse {
  /// Reads much and ends (current, history, check, graph, lint): speed first, huge pages.
  short_reads,
  /// Its time is the database's (upgrade, …), or it serves until stopped (migrate-web):
  /// memory first, no huge pages.
  lean,
};

/// Sets glibc's malloc at a tool's start: heaps grown in steps of megabytes rather than pages
/// (~1,700 mprotect calls, a quarter of the CPU time, when migrate-current read 10,000
/// migrations); for short reads, the main heap's first step backed by huge pages (the gate's
/// ~7,300 page faults at 5,000 migrations down to ~1,700). The untouched part of a step is
/// address space only, which costs no memory; where it would count (a data-segment limit,
/// strict overcommit) glibc's defaults stay. Called once, before any thread exists.
void tune_malloc_at_start(HeapUse use) noexcept;

}  // namespace migrate
