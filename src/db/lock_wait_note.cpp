#include "db/lock_wait_note.hpp"

#include <fmt/format.h>

namespace migrate {

std::string lock_wait_note(std::string_view lock, std::string_view database,
                           std::string_view holder, std::chrono::milliseconds timeout) {
  // "60 s", or "300 ms" when not whole seconds.
  std::string duration = timeout.count() % 1000 == 0 ? fmt::format("{} s", timeout.count() / 1000)
                                                     : fmt::format("{} ms", timeout.count());
  return fmt::format("waiting for the {} on {}, held by {}: up to {} (--lock-timeout)", lock,
                     database, holder, duration);
}

}  // namespace migrate
