#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "lint/finding.hpp"

namespace migrate {

/// What a project says about the rules, in migrate.conf: `[lint] disable = RULE…` and
/// `[lint "severity"] RULE = error|warning|note`. Every name is a rule's (checked on reading).
struct LintSettings {
  std::set<std::string> disabled;            ///< not reported
  std::map<std::string, Severity> severity;  ///< instead of the rule's own
  /// `[lint] upgrade-sets = lock_timeout statement_timeout`: the project's upgrades run with
  /// --migration-lock-timeout / --statement-timeout (in its deploy scripts, where the gate
  /// cannot see them), so the timeout rules count them as set.
  bool upgrade_sets_lock_timeout = false;
  bool upgrade_sets_statement_timeout = false;

  bool empty() const {
    return disabled.empty() && severity.empty() && !upgrade_sets_lock_timeout &&
           !upgrade_sets_statement_timeout;
  }
};

/// "error", "warning", "note" -> the Severity; nullopt for anything else.
std::optional<Severity> severity_from_name(std::string_view name);

/// The settings as migrate.conf (`file`) gives them: `disable` the values of lint.disable
/// (each a list of names, separated by spaces or commas), `severity` lint.severity.<rule>'s,
/// `upgrade_sets` lint.upgrade-sets' (lock_timeout, statement_timeout).
/// Throws ConfigError naming the file, the setting as written and what is valid: a name that
/// is no rule's (`migrate lint --list-rules` lists them), a severity that is none.
LintSettings read_lint_settings(const std::string& file, const std::vector<std::string>& disable,
                                const std::map<std::string, std::string>& severity,
                                const std::vector<std::string>& upgrade_sets = {});

/// `findings` as the project wants them: a disabled rule's gone, the others at their
/// configured severity. The one place the settings apply (lint_migrations calls it, for
/// migrate-lint and the gate alike).
std::vector<Finding> apply_lint_settings(std::vector<Finding> findings,
                                         const LintSettings& settings);

}  // namespace migrate
