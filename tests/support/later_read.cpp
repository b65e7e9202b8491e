#include "support/later_read.hpp"

#include <time.h>

#include <cstdint>

namespace migrate::test {

ReadStart a_minute_later() {
  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now);
  return ReadStart::at((static_cast<std::int64_t>(now.tv_sec) + 60) * 1'000'000'000);
}

}  // namespace migrate::test
