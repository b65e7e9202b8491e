#include "output/lint_text.hpp"

#include "lint/finding.hpp"
#include "output/console.hpp"
#include "util/text.hpp"

namespace migrate {

void print_finding(Console& console, const Finding& finding) {
  Style style = finding.severity == Severity::error     ? Style::bad
                : finding.severity == Severity::warning ? Style::warning
                                                        : Style::good;
  console.report("{}:{}: {}: {} [{}]", finding.file, finding.line,
                 console.paint(severity_name(finding.severity), style), finding.detail,
                 finding.rule->name);
  console.report("  why: {}", finding.rule->why);
  std::vector<Line> lines = split_lines(finding.rule->safe);
  console.report("  safe: {}", lines.empty() ? std::string_view() : lines.front().text);
  for (std::size_t i = 1; i < lines.size(); ++i) {
    console.report("    {}", lines[i].text);
  }
}

}  // namespace migrate
