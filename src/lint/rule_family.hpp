#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lint/finding.hpp"
#include "lint/lint_context.hpp"
#include "lint/lint_statement.hpp"

namespace migrate {

/// A family of rules, one file each (lint/rules_<family>.cpp): its rules, for listing and
/// configuration, and the check that runs them on one statement.
struct RuleFamily {
  std::string_view name;
  std::span<const RuleInfo> rules;
  void (*check)(const LintStatement& statement, const LintContext& context,
                std::vector<Finding>& findings);
};

/// Every family, in the order their findings are listed.
std::span<const RuleFamily> rule_families();

/// The rule called `name`; null when there is none.
const RuleInfo* find_rule(std::string_view name);

/// Adds `rule`'s finding at `statement` to `findings`: `detail` says it for this statement
/// (the table, the column), the rule's message when empty.
void report(std::vector<Finding>& findings, const RuleInfo& rule, const LintStatement& statement,
            std::string detail = {});

/// The same for a cost that grows with `range_var`'s table (Finding::table).
void report_on_table(std::vector<Finding>& findings, const RuleInfo& rule,
                     const LintStatement& statement, const PgNode& range_var, std::string detail);

}  // namespace migrate
