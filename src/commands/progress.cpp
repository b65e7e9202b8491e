#include "commands/progress.hpp"

#include <fmt/format.h>

#include "output/console.hpp"
#include "util/text.hpp"

namespace migrate {

const char* step_verb(const PlanStep& step) {
  switch (step.kind) {
    case PlanStep::Kind::apply:
      return "apply";
    case PlanStep::Kind::resume:
      return "resume";
    case PlanStep::Kind::revert:
      return "revert";
    case PlanStep::Kind::rekey:
      return "re-key";
  }
  return "?";
}

void ConsoleProgress::step_started(const PlanStep& step) {
  std::string what = step.kind == PlanStep::Kind::rekey
                         ? fmt::format("{} -> {}", step.old_id, step.stem)
                         : step.stem;
  m_console.begin_line(fmt::format("  {:<7}{}  {} ", step_verb(step), what,
                                   m_console.paint(step.title, Style::dim)));
}

void ConsoleProgress::statement_started(const PlanStep& /*step*/, std::size_t index,
                                        std::size_t count, const Statement& statement) {
  m_console.detail("      [{}/{}] {}", index + 1, count, first_line_shortened(statement.sql, 100));
}

void ConsoleProgress::step_finished(const PlanStep& /*step*/, std::chrono::milliseconds took) {
  m_console.end_line(m_console.paint(fmt::format("ok ({} ms)", took.count()), Style::good));
}

void ConsoleProgress::step_skipped(const PlanStep& /*step*/, std::string_view why) {
  m_console.end_line(m_console.paint(fmt::format("skipped: {}", why), Style::warning));
}

void ConsoleProgress::note(std::string_view text) { m_console.note(text); }

}  // namespace migrate
