#include <catch2/catch.hpp>

#include "util/clock.hpp"

using namespace migrate;
using namespace std::chrono;

namespace {

// 2026-11-21T14:23:05Z
constexpr std::int64_t kSeconds = 1795270985;

TimePoint at(std::int64_t seconds, std::int64_t millis = 0) {
  return TimePoint(
      duration_cast<system_clock::duration>(std::chrono::seconds(seconds) + milliseconds(millis)));
}

}  // namespace

TEST_CASE("clock: format_utc_timestamp is ISO 8601 UTC with milliseconds", "[util]") {
  CHECK(format_utc_timestamp(at(kSeconds, 123)) == "2026-11-21T14:23:05.123Z");
  CHECK(format_utc_timestamp(at(kSeconds)) == "2026-11-21T14:23:05.000Z");
  CHECK(format_utc_timestamp(at(0)) == "1970-01-01T00:00:00.000Z");
  CHECK(format_utc_timestamp(at(kSeconds, 999)) == "2026-11-21T14:23:05.999Z");
}

TEST_CASE("clock: format_utc_timestamp floors times before 1970", "[util]") {
  CHECK(format_utc_timestamp(at(0, -500)) == "1969-12-31T23:59:59.500Z");
  CHECK(format_utc_timestamp(at(-1)) == "1969-12-31T23:59:59.000Z");
}

TEST_CASE("clock: format_id_timestamp gives 12 or 14 digits", "[util]") {
  CHECK(format_id_timestamp(at(kSeconds, 900), false) == "202611211423");
  CHECK(format_id_timestamp(at(kSeconds, 900), true) == "20261121142305");
  CHECK(format_id_timestamp(at(0), false) == "197001010000");
  CHECK(format_id_timestamp(at(0), true) == "19700101000000");
}

TEST_CASE("clock: FixedClock always says the same time", "[util]") {
  FixedClock clock(at(kSeconds));
  CHECK(clock.now() == at(kSeconds));
  CHECK(clock.now() == clock.now());
  SystemClock system;
  CHECK(system.now() > at(kSeconds - 10 * 365 * 86400));
}
