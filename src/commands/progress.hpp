#pragma once

#include "run/execution_listener.hpp"

namespace migrate {

class Console;

/// Shows an upgrade or downgrade as it runs: one line per migration with its duration; with -v
/// every statement too.
class ConsoleProgress final : public ExecutionListener {
 public:
  explicit ConsoleProgress(Console& console) : m_console(console) {}

  void step_started(const PlanStep& step) override;
  void statement_started(const PlanStep& step, std::size_t index, std::size_t count,
                         const Statement& statement) override;
  void step_finished(const PlanStep& step, std::chrono::milliseconds took) override;
  void step_skipped(const PlanStep& step, std::string_view why) override;
  void note(std::string_view text) override;

 private:
  Console& m_console;
};

/// "apply", "resume", "revert", "re-key".
const char* step_verb(const PlanStep& step);

}  // namespace migrate
