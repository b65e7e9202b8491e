// The one list of rule families: adding a family is adding its file and one line here.
#include <array>

#include "lint/rule_family.hpp"
#include "lint/rules_breaking.hpp"
#include "lint/rules_index.hpp"
#include "lint/rules_locking.hpp"
#include "lint/rules_misc.hpp"
#include "lint/rules_sqlite.hpp"
#include "lint/rules_transaction.hpp"
#include "lint/rules_types.hpp"
#include "lint/suppression.hpp"

namespace migrate {

std::span<const RuleFamily> rule_families() {
  static const std::array<RuleFamily, 8> kFamilies = {
      locking_rules(), index_rules(), transaction_rules(), breaking_rules(),
      types_rules(),   misc_rules(),  sqlite_rules(),      suppression_rules(),
  };
  return kFamilies;
}

const RuleInfo* find_rule(std::string_view name) {
  for (const RuleFamily& family : rule_families()) {
    for (const RuleInfo& rule : family.rules) {
      if (rule.name == name) {
        return &rule;
      }
    }
  }
  return nullptr;
}

void report(std::vector<Finding>& findings, const RuleInfo& rule, const LintStatement& statement,
            std::string detail) {
  findings.push_back({&rule,
                      rule.severity,
                      {},
                      statement.line,
                      detail.empty() ? std::string(rule.message) : std::move(detail)});
}

void report_on_table(std::vector<Finding>& findings, const RuleInfo& rule,
                     const LintStatement& statement, const PgNode& range_var, std::string detail) {
  report(findings, rule, statement, std::move(detail));
  findings.back().table_schema = std::string(range_var.text("schemaname"));
  findings.back().table = std::string(range_var.text("relname"));
}

const char* severity_name(Severity severity) {
  switch (severity) {
    case Severity::note:
      return "note";
    case Severity::warning:
      return "warning";
    case Severity::error:
      return "error";
  }
  return "warning";
}

}  // namespace migrate
