#include "lint/lint_settings.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "lint/rule_family.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace migrate {

namespace {

/// Throws unless `name` is a rule's; `setting` is how the user wrote it, for the message.
void check_rule(const std::string& file, const std::string& setting, const std::string& name) {
  if (find_rule(name) == nullptr) {
    throw ConfigError(
        fmt::format("{}: {}: no lint rule is called {} (`migrate lint --list-rules` lists them)",
                    file, setting, name));
  }
}

}  // namespace

std::optional<Severity> severity_from_name(std::string_view name) {
  for (Severity severity : {Severity::error, Severity::warning, Severity::note}) {
    if (name == severity_name(severity)) {
      return severity;
    }
  }
  return std::nullopt;
}

LintSettings read_lint_settings(const std::string& file, const std::vector<std::string>& disable,
                                const std::map<std::string, std::string>& severity,
                                const std::vector<std::string>& upgrade_sets) {
  LintSettings settings;
  for (const std::string& value : upgrade_sets) {
    for (std::string_view name : split_words(value, /*commas=*/true)) {
      if (name == "lock_timeout") {
        settings.upgrade_sets_lock_timeout = true;
      } else if (name == "statement_timeout") {
        settings.upgrade_sets_statement_timeout = true;
      } else {
        throw ConfigError(fmt::format(
            "{}: [lint] upgrade-sets = {}: {} is not one: it names lock_timeout (the upgrade "
            "runs with --migration-lock-timeout) and statement_timeout (--statement-timeout)",
            file, value, name));
      }
    }
  }
  for (const std::string& value : disable) {
    for (std::string_view name : split_words(value, /*commas=*/true)) {
      check_rule(file, fmt::format("[lint] disable = {}", value), std::string(name));
      settings.disabled.emplace(name);
    }
  }
  for (const auto& [rule, value] : severity) {
    std::string setting = fmt::format("[lint \"severity\"] {} = {}", rule, value);
    check_rule(file, setting, rule);
    std::optional<Severity> chosen = severity_from_name(trim(value));
    if (!chosen) {
      throw ConfigError(
          fmt::format("{}: {}: a rule's severity is error, warning or note", file, setting));
    }
    settings.severity[rule] = *chosen;
  }
  return settings;
}

std::vector<Finding> apply_lint_settings(std::vector<Finding> findings,
                                         const LintSettings& settings) {
  std::erase_if(findings, [&](const Finding& finding) {
    return settings.disabled.contains(std::string(finding.rule->name));
  });
  for (Finding& finding : findings) {
    auto configured = settings.severity.find(std::string(finding.rule->name));
    if (configured == settings.severity.end()) {
      continue;
    }
    // The project's severity replaces the rule's own; a finding the context already lowered
    // (a rewrite on a table known to be small) stays as low.
    finding.severity = finding.severity == finding.rule->severity
                           ? configured->second
                           : std::min(finding.severity, configured->second);
  }
  return findings;
}

}  // namespace migrate
