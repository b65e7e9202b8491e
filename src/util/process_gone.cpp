#include "util/process_gone.hpp"

#include <signal.h>

#include <cerrno>

namespace migrate {

bool process_gone(long pid) noexcept {
  return pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

}  // namespace migrate
