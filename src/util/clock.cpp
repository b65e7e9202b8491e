#include "util/clock.hpp"

#include <ctime>

#include <fmt/format.h>

namespace migrate {

namespace {

std::tm utc_fields(TimePoint time) {
  // floor, not to_time_t's truncation: a time before 1970 belongs to the second before it
  std::time_t seconds = static_cast<std::time_t>(
      std::chrono::floor<std::chrono::seconds>(time.time_since_epoch()).count());
  std::tm fields{};
  ::gmtime_r(&seconds, &fields);
  return fields;
}

}  // namespace

std::string format_utc_timestamp(TimePoint time) {
  std::tm t = utc_fields(time);
  auto since_epoch = time.time_since_epoch();
  auto millis = std::chrono::floor<std::chrono::milliseconds>(
      since_epoch - std::chrono::floor<std::chrono::seconds>(since_epoch));
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", t.tm_year + 1900, t.tm_mon + 1,
                     t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec, millis.count());
}

std::string format_file_timestamp(TimePoint time) {
  std::tm t = utc_fields(time);
  return fmt::format("{:04}{:02}{:02}T{:02}{:02}{:02}Z", t.tm_year + 1900, t.tm_mon + 1, t.tm_mday,
                     t.tm_hour, t.tm_min, t.tm_sec);
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
