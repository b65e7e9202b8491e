// migrate-verify --junit: the report as JUnit XML, the format CI systems read test results in
// (Jenkins, GitLab, GitHub's test reporters): <testsuites>, a <testsuite> per step, a <testcase>
// per check.
#include <fmt/format.h>

#include "graph/svg_graph.hpp"
#include "verify/verify_report.hpp"

namespace migrate {

namespace {

/// `text` as XML character data (graph/svg_graph's xml_escape: markup, quotes, and U+FFFD for
/// what XML cannot hold), or as an attribute's value (`attribute`: its line endings and tabs as
/// character references, which an attribute would otherwise read as spaces).
std::string xml(std::string_view text, bool attribute = true) {
  std::string escaped = xml_escape(text);
  std::string out;
  out.reserve(escaped.size());
  for (char c : escaped) {
    if (c == '\r' || (attribute && (c == '\n' || c == '\t'))) {
      out += fmt::format("&#{};", static_cast<int>(c));  // "\r\n" would read as "\n"
    } else {
      out += c;
    }
  }
  return out;
}

std::string testcase(const VerifyCheck& check) {
  std::string out = fmt::format("    <testcase classname=\"migrate-verify.{}\" name=\"{}\"",
                                verify_step_name(check.step), xml(check.name));
  if (!check.file.empty()) {
    out += fmt::format(" file=\"{}\"", xml(check.file));
  }
  std::string body = check.message;
  for (const std::string& detail : check.details) {
    body += "\n  - " + detail;
  }
  switch (check.status) {
    case CheckStatus::passed:
      return out + "/>\n";
    case CheckStatus::skipped:
      return out + fmt::format(">\n      <skipped message=\"{}\"/>\n    </testcase>\n",
                               xml(check.message));
    case CheckStatus::failed:
      return out + fmt::format(
                       ">\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    "
                       "</testcase>\n",
                       xml(check.message), verify_step_name(check.step), xml(body, false));
  }
  return out + "/>\n";
}

}  // namespace

std::string verify_junit(const VerifyReport& report) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format(
      "<testsuites name=\"migrate-verify\" tests=\"{}\" failures=\"{}\" skipped=\"{}\">\n",
      report.checks.size(), report.count(CheckStatus::failed), report.count(CheckStatus::skipped));
  std::string notes;  // in the first suite: <testsuites> holds nothing but suites
  for (const std::string& note : report.notes) {
    notes += note + "\n";
  }
  for (VerifyStep step : {VerifyStep::graph, VerifyStep::lint, VerifyStep::upgrade,
                          VerifyStep::stairway, VerifyStep::schema, VerifyStep::data}) {
    std::size_t tests = 0, failures = 0, skipped = 0;
    std::string cases;
    for (const VerifyCheck& check : report.checks) {
      if (check.step == step) {
        ++tests;
        failures += check.status == CheckStatus::failed ? 1 : 0;
        skipped += check.status == CheckStatus::skipped ? 1 : 0;
        cases += testcase(check);
      }
    }
    if (tests == 0) {
      continue;
    }
    out += fmt::format(
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\">\n",
        verify_step_name(step), tests, failures, skipped);
    out += cases;
    if (!notes.empty()) {
      out += fmt::format("    <system-out>{}</system-out>\n", xml(notes, false));
      notes.clear();
    }
    out += "  </testsuite>\n";
  }
  return out + "</testsuites>\n";
}

}  // namespace migrate
