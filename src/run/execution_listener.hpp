#pragma once

#include <chrono>
#include <cstddef>
#include <string_view>

#include "db/connection.hpp"
#include "plan/plan.hpp"

namespace migrate {

/// Hears what the executor does as it does it. The tools print it; the library never prints.
class ExecutionListener {
 public:
  virtual ~ExecutionListener() = default;
  virtual void step_started(const PlanStep& /*step*/) {}
  virtual void statement_started(const PlanStep& /*step*/, std::size_t /*index*/,
                                 std::size_t /*count*/, const Statement& /*statement*/) {}
  virtual void step_finished(const PlanStep& /*step*/, std::chrono::milliseconds /*took*/) {}
  /// The step was not needed after all (another process did it meanwhile).
  virtual void step_skipped(const PlanStep& /*step*/, std::string_view /*why*/) {}
  virtual void note(std::string_view /*text*/) {}
};

}  // namespace migrate
