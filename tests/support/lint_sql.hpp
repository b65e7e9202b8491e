#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lint/finding.hpp"
#include "lint/lint_context.hpp"
#include "lint/rule_family.hpp"

namespace migrate::test {

/// The findings of every rule on `sql`, one section of a migration file (lint_section with
/// PostgreSQL's dialect: its real parser). `transaction`: false for a `transaction:false`
/// section. The file is "m.sql" and the section starts at line 1.
std::vector<Finding> lint_postgres(std::string_view sql, bool transaction = true,
                                   LintContext context = {});

/// The findings of every rule on `sql`, one up section of a migration file on SQLite: `before`
/// (the migrations before it) runs first on an in-memory database, then the section is linted
/// there as lint_migrations lints it (it runs, statement by statement). `transaction`,
/// `foreign_keys`: the section's options. The file is "m.sql" and the section starts at line 1.
std::vector<Finding> lint_sqlite(std::string_view before, std::string_view sql,
                                 bool transaction = true, bool foreign_keys = true,
                                 LintContext context = {});

/// lint_postgres's findings of `family`'s rules alone: a family's tests stay about its rules
/// whatever other families say of the same statements.
std::vector<Finding> lint_only(const RuleFamily& family, std::string_view sql,
                               bool transaction = true, LintContext context = {});

/// The rule names of `findings`, in order.
std::vector<std::string> rule_names(const std::vector<Finding>& findings);

}  // namespace migrate::test
