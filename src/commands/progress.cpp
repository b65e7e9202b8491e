#include "commands/progress.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "output/console.hpp"
#include "util/text.hpp"

namespace migrate {

namespace {

constexpr std::size_t kMaxNameWidth = 48;

std::string step_name(const PlanStep& step) {
  return step.kind == PlanStep::Kind::rekey ? fmt::format("{} -> {}", step.old_id, step.stem)
                                            : step.stem;
}

}  // namespace

std::size_t name_width(const Plan& plan) {
  std::size_t width = 0;
  for (const PlanStep& step : plan.steps) {
    width = std::max(width, std::min(step_name(step).size(), kMaxNameWidth));
  }
  return width;
}

ConsoleProgress::ConsoleProgress(Console& console, const Plan& plan, std::string heading)
    : m_console(console), m_width(name_width(plan)), m_heading(std::move(heading)) {}

void ConsoleProgress::step_started(const PlanStep& step) {
  if (!m_heading.empty()) {
    m_console.info("{}", m_heading);
    m_heading.clear();
  }
  m_step_open = true;
  m_current = &step;
  m_console.begin_line(fmt::format("  {:<7}{:<{}}  {} ", step_verb(step), step_name(step), m_width,
                                   m_console.paint(step.title, Style::dim)));
}

void ConsoleProgress::statement_started(const PlanStep& /*step*/, std::size_t index,
                                        std::size_t count, const Statement& statement) {
  m_console.detail("      [{}/{}] {}", index + 1, count, first_line_shortened(statement.sql, 100));
}

void ConsoleProgress::step_finished(const PlanStep& /*step*/, std::chrono::milliseconds took) {
  m_step_open = false;
  m_console.end_line(m_console.paint(fmt::format("ok ({} ms)", took.count()), Style::good));
}

void ConsoleProgress::step_skipped(const PlanStep& /*step*/, std::string_view why) {
  m_step_open = false;
  m_console.end_line(m_console.paint(fmt::format("skipped: {}", why), Style::warning));
}

void ConsoleProgress::note(std::string_view text) {
  m_console.note(text);
}

void ConsoleProgress::step_failed(std::string_view how) {
  if (m_step_open) {
    m_failed = m_current;
    m_step_open = false;
    m_console.end_line(m_console.paint(how, Style::bad));
  }
}

}  // namespace migrate
