#include "output/github_annotations.hpp"

#include <fmt/format.h>

#include "lint/finding.hpp"

namespace migrate {

namespace {

std::string escaped(std::string_view text, bool property) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '%':
        out += "%25";
        break;
      case '\r':
        out += "%0D";
        break;
      case '\n':
        out += "%0A";
        break;
      case ':':
        out += property ? "%3A" : ":";
        break;
      case ',':
        out += property ? "%2C" : ",";
        break;
      default:
        out += c;
    }
  }
  return out;
}

/// GitHub's annotation levels: error, warning, notice.
std::string_view command(Severity severity) {
  switch (severity) {
    case Severity::error:
      return "error";
    case Severity::warning:
      return "warning";
    case Severity::note:
      break;
  }
  return "notice";
}

}  // namespace

std::string github_escape_data(std::string_view text) {
  return escaped(text, false);
}

std::string github_escape_property(std::string_view text) {
  return escaped(text, true);
}

std::string github_annotations(const std::vector<Finding>& findings) {
  std::string out;
  for (const Finding& finding : findings) {
    std::string message = fmt::format("{}\n\n{}\n\nThe safe way: {}", finding.detail,
                                      finding.rule->why, finding.rule->safe);
    out += fmt::format("::{} file={},line={},title={}::{}\n", command(finding.severity),
                       github_escape_property(finding.file), finding.line,
                       github_escape_property(finding.rule->name), github_escape_data(message));
  }
  return out;
}

}  // namespace migrate
