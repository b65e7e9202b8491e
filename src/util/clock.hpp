#pragma once

#include <chrono>
#include <string>

namespace migrate {

using TimePoint = std::chrono::system_clock::time_point;

/// Where "now" comes from, so that new migration ids can be tested with a fixed time.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

/// The real wall clock.
class SystemClock final : public Clock {
 public:
  TimePoint now() const override { return std::chrono::system_clock::now(); }
};

/// A clock that always says the same time (tests).
class FixedClock final : public Clock {
 public:
  explicit FixedClock(TimePoint time) : m_time(time) {}
  TimePoint now() const override { return m_time; }

 private:
  TimePoint m_time;
};

/// "2026-11-21T14:23:05.123Z": how the state table records times (sorts as text).
std::string format_utc_timestamp(TimePoint time);

/// "20261121T142305Z": a timestamp for file names (backups).
std::string format_file_timestamp(TimePoint time);

/// "YYYYMMDDHHMM" (or "YYYYMMDDHHMMSS" with `seconds`), in UTC: a new migration's id.
std::string format_id_timestamp(TimePoint time, bool seconds);

}  // namespace migrate
