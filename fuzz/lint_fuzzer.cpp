// The linter and its suppressions: a migration file of ours, its up section parsed by
// PostgreSQL's own parser (libpg_query) and walked by every rule, then its
// `-- migrate:lint ignore=… reason="…"` lines read and applied. Input: the file's text.
//
// Properties: every finding is at a line of the file; applying suppressions only removes
// findings of the rules they name, never one that cannot be suppressed, and adds only the
// suppressions' own findings. Bad input is a ParseError, never another exception.
#include <algorithm>
#include <string>
#include <vector>

#include "db/engine.hpp"
#include "fuzz_support.hpp"
#include "lint/linter.hpp"
#include "lint/suppression.hpp"
#include "migration/migration_parser.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

using namespace migrate;
using fuzz::require;

namespace {

const std::filesystem::path kFile = "migrations/202601010000_fuzz.sql";

bool same_finding(const Finding& a, const Finding& b) {
  return a.rule == b.rule && a.line == b.line && a.detail == b.detail;
}

bool named_by_suppression(const Finding& finding, const std::vector<Suppression>& suppressions) {
  return std::any_of(suppressions.begin(), suppressions.end(), [&](const Suppression& s) {
    return std::find(s.rules.begin(), s.rules.end(), finding.rule->name) != s.rules.end();
  });
}

bool suppression_rule(const RuleInfo* rule) {
  std::span<const RuleInfo> own = suppression_rules().rules;
  return std::any_of(own.begin(), own.end(), [&](const RuleInfo& r) { return &r == rule; });
}

void check_suppressed(const std::vector<Finding>& findings,
                      const std::vector<Suppression>& suppressions,
                      const std::vector<Finding>& kept) {
  for (const Finding& finding : findings) {
    auto matches = [&](const Finding& other) { return same_finding(finding, other); };
    bool still_there = std::count_if(kept.begin(), kept.end(), matches) ==
                       std::count_if(findings.begin(), findings.end(), matches);
    if (!still_there) {
      require(finding.rule->suppressible, "a finding that cannot be suppressed went",
              std::string(finding.rule->name));
      require(named_by_suppression(finding, suppressions),
              "a finding went that no suppression names", std::string(finding.rule->name));
    }
  }
  for (const Finding& finding : kept) {
    auto matches = [&](const Finding& other) { return same_finding(finding, other); };
    require(
        suppression_rule(finding.rule) || std::any_of(findings.begin(), findings.end(), matches),
        "applying suppressions made up a finding", std::string(finding.rule->name));
  }
}

void lint(std::string_view text) {
  Migration migration = parse_migration(*parse_file_name(kFile), kFile, text);
  const Dialect& dialect = engine_for_scheme("postgres")->dialect();
  LintContext context;
  std::vector<Finding> findings = lint_section(
      dialect,
      {kFile.string(), migration.up.sql, migration.up.first_line, migration.up.options.transaction},
      context);
  int lines = static_cast<int>(split_lines(text).size());
  for (const Finding& finding : findings) {
    require(finding.line >= 1 && finding.line <= std::max(lines, 1), "a finding off the file",
            std::to_string(finding.line));
  }
  std::vector<Suppression> suppressions =
      read_suppressions(text, first_section_line(text, migration.up.first_line));
  check_suppressed(findings, suppressions,
                   apply_suppressions(findings, suppressions, text, kFile.string()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    lint(text);
  } catch (const InternalError& e) {
    require(false, "an InternalError", e.what());
  } catch (const ParseError&) {
  }
  return 0;
}
