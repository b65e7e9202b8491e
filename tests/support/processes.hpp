#pragma once

#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

namespace migrate::test {

/// The processes of this machine whose command line (its arguments joined by spaces, with a
/// space at the end) satisfies `wanted`. Zombies have none, so they are never found.
std::vector<pid_t> processes_where(const std::function<bool(const std::string&)>& wanted);

/// Runs `work` in a child process that then ends at once (_exit), running no destructor, as
/// kill -9 leaves a command: `work` allocates what it must not destroy. Throws
/// std::runtime_error when the child cannot be made or does not end so.
void in_killed_process(const std::function<void()>& work);

}  // namespace migrate::test
