// migrate-verify --junit: the report as JUnit XML, the format CI systems read test results in
// (Jenkins, GitLab, GitHub's test reporters): <testsuites>, a <testsuite> per step, a <testcase>
// per check.
#include <cstdint>

#include <fmt/format.h>

#include "verify/verify_report.hpp"

namespace migrate {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

/// The length of the well-formed UTF-8 sequence at `i` that XML 1.0 may hold, else 0.
std::size_t xml_char_length(std::string_view text, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(i);
  if (lead < 0x80) {
    return lead >= 0x20 || lead == '\t' || lead == '\n' || lead == '\r' ? 1 : 0;
  }
  std::size_t length = lead >= 0xF0 && lead <= 0xF4   ? 4
                       : lead >= 0xE0 && lead <= 0xEF ? 3
                       : lead >= 0xC2 && lead <= 0xDF ? 2
                                                      : 0;
  if (length == 0 || i + length > text.size()) {
    return 0;
  }
  std::uint32_t code = lead & (0x7F >> length);
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      return 0;
    }
    code = (code << 6) | (byte(i + k) & 0x3F);
  }
  bool shortest = (length == 3 && code >= 0x800) || (length == 4 && code >= 0x10000) || length == 2;
  bool allowed =
      code <= 0x10FFFF && !(code >= 0xD800 && code <= 0xDFFF) && code != 0xFFFE && code != 0xFFFF;
  return shortest && allowed ? length : 0;
}

/// `text` as XML character data, or as an attribute's value (`attribute`: its line endings and
/// tabs as character references, which an attribute would otherwise read as spaces).
std::string xml(std::string_view text, bool attribute = true) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    std::size_t length = xml_char_length(text, i);
    if (length == 0) {
      out += kReplacement;
      ++i;
      continue;
    }
    switch (text[i]) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '\n':
        out += attribute ? "&#10;" : "\n";
        break;
      case '\r':
        out += "&#13;";  // in text too: a parser would read "\r\n" as "\n"
        break;
      case '\t':
        out += attribute ? "&#9;" : "\t";
        break;
      default:
        out.append(text.substr(i, length));
    }
    i += length;
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
  for (VerifyStep step : {VerifyStep::graph, VerifyStep::upgrade, VerifyStep::stairway,
                          VerifyStep::schema, VerifyStep::data}) {
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
