#pragma once

namespace migrate {

/// Whether no process `pid` runs any more (kill(pid, 0) says ESRCH). A process of another user
/// still runs; a pid of 0 or less names none, and is not gone.
bool process_gone(long pid) noexcept;

}  // namespace migrate
