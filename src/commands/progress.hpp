#pragma once

#include <string>

#include "run/execution_listener.hpp"

namespace migrate {

class Console;

/// Shows an upgrade or downgrade as it runs: a heading, then one line per migration with its
/// duration; with -v every statement too.
class ConsoleProgress final : public ExecutionListener {
 public:
  /// `plan` sets the width of the name column, so the lines align. `heading` is printed before
  /// the first step, so a run that stops before any step announces nothing.
  ConsoleProgress(Console& console, const Plan& plan, std::string heading);

  void step_started(const PlanStep& step) override;
  void statement_started(const PlanStep& step, std::size_t index, std::size_t count,
                         const Statement& statement) override;
  void step_finished(const PlanStep& step, std::chrono::milliseconds took) override;
  void step_skipped(const PlanStep& step, std::string_view why) override;
  void note(std::string_view text) override;
  /// The run stopped: the line of the step that was running ends with `how` ("failed",
  /// "interrupted").
  void step_failed(std::string_view how);
  /// The step that was running when the run stopped with an error, if any.
  const PlanStep* failed_step() const { return m_failed; }

 private:
  Console& m_console;
  std::size_t m_width = 0;
  std::string m_heading;  ///< emptied once printed
  bool m_step_open = false;
  const PlanStep* m_current = nullptr;  ///< the step running now
  const PlanStep* m_failed = nullptr;
};

/// The width of the widest step name in a plan (capped), to align columns.
std::size_t name_width(const Plan& plan);

}  // namespace migrate
