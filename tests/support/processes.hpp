#pragma once

#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

namespace migrate::test {

/// The processes of this machine whose command line (its arguments joined by spaces, with a
/// space at the end) satisfies `wanted`. Zombies have none, so they are never found.
std::vector<pid_t> processes_where(const std::function<bool(const std::string&)>& wanted);

}  // namespace migrate::test
