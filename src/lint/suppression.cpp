#include "lint/suppression.hpp"

#include <algorithm>
#include <array>
#include <iterator>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "util/text.hpp"

namespace migrate {

namespace {

constexpr std::string_view kMarker = "-- migrate:lint";

enum Rule : std::size_t { kWithoutReason, kUnused };

constexpr std::array<RuleInfo, 2> kRules = {{
    {"ignore-without-reason", Severity::error, "a lint suppression without a reason",
     "A rule silenced with no reason leaves the next reader to guess whether the risk was "
     "weighed or just in the way.",
     "Say why the risk is acceptable here:\n"
     "-- migrate:lint ignore=require-concurrent-index-creation reason=\"the table has 40 rows\"",
     false},
    {"unused-ignore", Severity::warning, "a lint suppression that covers nothing",
     "A suppression that names no rule, or whose statement no longer triggers it, would "
     "silently hide the next real finding there.",
     "Remove it, or correct the rule's name (`migrate-lint --list-rules` lists them).", false},
}};

void no_statement_checks(const LintStatement&, const LintContext&, std::vector<Finding>&) {}

/// The value of `key=` in a suppression's text: a word, or a "quoted string".
std::string value_of(std::string_view text, std::string_view key) {
  std::size_t at = text.find(std::string(key) + "=");
  if (at == std::string_view::npos) {
    return {};
  }
  std::string_view rest = text.substr(at + key.size() + 1);
  if (rest.starts_with('"')) {
    std::size_t end = rest.find('"', 1);
    return std::string(rest.substr(1, end == std::string_view::npos ? end : end - 1));
  }
  return std::string(rest.substr(0, rest.find_first_of(" \t")));
}

/// Whether a line is only a comment or blank: what may stand between a suppression and its
/// statement.
bool comment_or_blank(std::string_view line) {
  std::string_view text = trim(line);
  return text.empty() || text.starts_with("--");
}

Finding own_finding(Rule rule, const std::string& file, int line, std::string detail) {
  return {&kRules[rule], kRules[rule].severity, file, line, std::move(detail)};
}

}  // namespace

int first_section_line(std::string_view file_text, int up_first_line) {
  for (const Line& line : split_lines(file_text)) {
    std::string_view trimmed = trim(line.text);
    if (trimmed.starts_with("-- migrate:up") || trimmed.starts_with("-- migrate:down") ||
        trimmed.starts_with("-- +goose")) {
      return line.number;
    }
  }
  return up_first_line;
}

std::vector<Suppression> read_suppressions(std::string_view file_text, int header_end) {
  std::vector<Suppression> suppressions;
  for (const Line& line : split_lines(file_text)) {
    std::string_view text = trim(line.text);
    if (text.starts_with("-- migrate:down")) {
      break;  // the down section is not linted
    }
    Suppression suppression;
    suppression.line = line.number;
    if (!text.starts_with(kMarker)) {
      std::string squeezed;
      std::copy_if(text.begin(), text.end(), std::back_inserter(squeezed),
                   [](char c) { return c != ' ' && c != '\t'; });
      if (squeezed.starts_with("--migrate:lint")) {
        suppression.misspelt = true;
        suppressions.push_back(std::move(suppression));
      }
      continue;
    }
    suppression.whole_file = line.number < header_end;
    // The rules run to `reason=` or the end: `ignore=a,b` and `ignore=a, b` alike.
    std::string_view rules;
    if (std::size_t at = text.find("ignore="); at != std::string_view::npos) {
      std::size_t start = at + 7;
      std::size_t end = text.find("reason=", start);
      rules = text.substr(start, end == std::string_view::npos ? end : end - start);
    }
    for (std::string_view rule : split_words(rules, /*commas=*/true)) {
      suppression.rules.emplace_back(rule);
    }
    suppression.reason = std::string(trim(value_of(text, "reason")));
    suppressions.push_back(std::move(suppression));
  }
  return suppressions;
}

std::vector<Finding> apply_suppressions(const std::vector<Finding>& findings,
                                        const std::vector<Suppression>& suppressions,
                                        std::string_view file_text, const std::string& file) {
  std::vector<Line> lines = split_lines(file_text);
  std::vector<bool> used(suppressions.size(), false);
  auto covers = [&](const Suppression& suppression, const Finding& finding) {
    if (suppression.reason.empty() || std::find(suppression.rules.begin(), suppression.rules.end(),
                                                finding.rule->name) == suppression.rules.end()) {
      return false;
    }
    if (suppression.whole_file) {
      return true;
    }
    if (suppression.line >= finding.line) {
      return false;
    }
    for (int line = suppression.line + 1; line < finding.line; ++line) {
      if (line - 1 < static_cast<int>(lines.size()) && !comment_or_blank(lines[line - 1].text)) {
        return false;  // another statement stands between
      }
    }
    return true;
  };
  std::vector<Finding> kept;
  for (const Finding& finding : findings) {
    bool covered = false;
    for (std::size_t s = 0; s < suppressions.size(); ++s) {
      if (covers(suppressions[s], finding)) {
        used[s] = covered = true;
      }
    }
    if (!covered) {
      kept.push_back(finding);
    }
  }
  for (std::size_t s = 0; s < suppressions.size(); ++s) {
    const Suppression& suppression = suppressions[s];
    if (suppression.misspelt) {
      kept.push_back(own_finding(kUnused, file, suppression.line,
                                 "this looks like a suppression but is not read as one: write "
                                 "it `-- migrate:lint ignore=RULE reason=\"…\"`"));
      continue;
    }
    if (suppression.reason.empty()) {
      kept.push_back(own_finding(kWithoutReason, file, suppression.line,
                                 "this suppression gives no reason=\"…\", so it suppresses "
                                 "nothing until it does"));
      continue;
    }
    for (const std::string& rule : suppression.rules) {
      if (find_rule(rule) == nullptr) {
        kept.push_back(own_finding(kUnused, file, suppression.line,
                                   fmt::format("no lint rule is called {}", rule)));
      }
    }
    if (suppression.rules.empty()) {
      kept.push_back(own_finding(kUnused, file, suppression.line,
                                 "this suppression names no rule (ignore=<rule>)"));
    } else if (!used[s] && std::all_of(suppression.rules.begin(), suppression.rules.end(),
                                       [](const std::string& r) { return find_rule(r); })) {
      kept.push_back(own_finding(
          kUnused, file, suppression.line,
          fmt::format("ignore={} covers no finding here", fmt::join(suppression.rules, ","))));
    }
  }
  // In the file's order, as a person reads it: a suppression's own finding among the others.
  std::stable_sort(kept.begin(), kept.end(),
                   [](const Finding& a, const Finding& b) { return a.line < b.line; });
  return kept;
}

const RuleFamily& suppression_rules() {
  static const RuleFamily kFamily{"suppression", kRules, no_statement_checks};
  return kFamily;
}

}  // namespace migrate
