#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <set>
#include <string>

#include "lint/lint_context.hpp"
#include "lint/lint_settings.hpp"

namespace migrate {

class DevDatabases;

class RevisionGraph;
struct VerifyReport;

/// What the lint step lints, and what migrate knows around it.
struct LintStepRequest {
  std::string_view engine;       ///< the development databases' engine: its dialect parses
  std::set<std::size_t> chosen;  ///< the migrations linted
  /// The migrations a deployed database does not have yet: the tables they create are new to
  /// those after them. nullopt: not known (every table is an existing one).
  std::optional<std::set<std::size_t>> branch;
  LintContext context;         ///< the runner's timeouts
  std::filesystem::path base;  ///< files are named relative to it
  std::string note;            ///< what the choice means, for the report's notes when lint runs
  /// Where SQLite's rules run the migrations (an engine without a parse tree); null: nowhere,
  /// and no check.
  DevDatabases* dev = nullptr;
  LintSettings settings;  ///< migrate.conf's [lint]
};

/// migrate-verify's lint step: the chosen migrations' up sections through migrate-lint's rules.
/// One check: failed when a finding is an error (each one a detail, with its file and line) or
/// the SQL does not parse; passed otherwise, each warning and note added to the report's
/// notes. SQLite's rules run the migrations on development databases from `dev`.
void lint_step(const RevisionGraph& graph, const LintStepRequest& request, VerifyReport& report);

}  // namespace migrate
