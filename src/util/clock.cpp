#include "util/clock.hpp"

#include <ctime>

#include <fmt/format.h>

namespace migrate {

namespace {

std::tm utc_fields(TimePoint time) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm fields{};
  ::gmtime_r(&seconds, &fields);
  return fields;
}

}  // namespace

std::string format_utc_timestamp(TimePoint time) {
  std::tm t = utc_fields(time);
  auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()) %
                1000;
  if (millis.count() < 0) {
    millis += std::chrono::milliseconds(1000);
  }
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", t.tm_year + 1900, t.tm_mon + 1,
                     t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec, millis.count());
}

std::string format_id_timestamp(TimePoint time, bool seconds) {
  std::tm t = utc_fields(time);
  std::string id = fmt::format("{:04}{:02}{:02}{:02}{:02}", t.tm_year + 1900, t.tm_mon + 1,
                               t.tm_mday, t.tm_hour, t.tm_min);
  if (seconds) {
    id += fmt::format("{:02}", t.tm_sec);
  }
  return id;
}

}  // namespace migrate
