#pragma once

namespace migrate {

/// How long a tool's process lives, which decides how its heap is kept.
enum class ProcessLife {
  command,  ///< runs and ends: speed first
  server,   ///< serves until stopped (migrate-web): memory first, no huge pages
};

/// Sets glibc's malloc at a tool's start: heaps grown in steps of megabytes rather than pages
/// (~1,700 mprotect calls, a quarter of the CPU time, when migrate-current read 10,000
/// migrations); for a command, the main heap's first step backed by huge pages (the gate's
/// ~7,300 page faults at 5,000 migrations down to ~1,700). The untouched part of a step is
/// address space only, which costs no memory; where it would count (a data-segment limit,
/// strict overcommit) glibc's defaults stay. Called once, before any thread exists.
void tune_malloc_at_start(ProcessLife life) noexcept;

}  // namespace migrate
