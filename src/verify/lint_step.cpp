#include "verify/lint_step.hpp"

#include <fmt/format.h>

#include "db/engine.hpp"
#include "diff/replay.hpp"
#include "graph/revision_graph.hpp"
#include "lint/lint_migrations.hpp"
#include "util/error.hpp"
#include "verify/verify_report.hpp"

namespace migrate {

namespace {

const Engine* engine_named(std::string_view name) {
  for (const Engine& engine : engines()) {
    if (engine.name == name) {
      return &engine;
    }
  }
  return nullptr;
}

std::string finding_line(const Finding& finding) {
  return fmt::format("{}:{}: {}: {} [{}]", finding.file, finding.line,
                     severity_name(finding.severity), finding.detail, finding.rule->name);
}

std::string plural(std::size_t count, std::string_view word) {
  return fmt::format("{} {}{}", count, word, count == 1 ? "" : "s");
}

}  // namespace

void lint_step(const RevisionGraph& graph, const LintStepRequest& request, VerifyReport& report) {
  std::string name = plural(request.chosen.size(), "migration");
  auto add = [&](CheckStatus status, std::string message) -> VerifyCheck& {
    return report.add(VerifyStep::lint, name, status, "", std::move(message));
  };
  const Engine* engine = engine_named(request.engine);
  bool parse_tree = engine && engine->dialect().parse_tree("SELECT 1") != std::nullopt;
  if (engine == nullptr || (!parse_tree && request.dev == nullptr)) {
    return;  // no rules can run here
  }
  if (!request.note.empty()) {
    report.notes.push_back(request.note);
  }
  LintRequest lint;
  lint.chosen = request.chosen;
  lint.branch = request.branch;
  lint.context = request.context;
  lint.base = request.base;
  lint.settings = request.settings;
  // SQLite's rules learn what each statement does from SQLite itself, on a development
  // database holding what the migrations before it made (lint/sqlite_linter).
  LintDatabases databases(engine->dialect(), std::string(engine->name), graph, request.dev);
  lint.database_before = databases.lookup();
  std::vector<Finding> findings;
  try {
    findings = lint_migrations(engine->dialect(), graph, lint);
  } catch (const Error& e) {  // SQL the parser refuses, at its line; a file that cannot be read
    add(CheckStatus::failed, "the migrations could not be linted").details.emplace_back(e.what());
    return;
  }
  std::vector<std::string> errors;
  std::size_t others = 0;
  for (const Finding& finding : findings) {
    if (finding.severity == Severity::error) {
      errors.push_back(finding_line(finding));
    } else {
      report.notes.push_back("lint: " + finding_line(finding));
      ++others;
    }
  }
  std::string rest =
      others == 0 ? std::string()
                  : fmt::format(", {} below error level (in the notes)", plural(others, "finding"));
  if (errors.empty()) {
    add(CheckStatus::passed, fmt::format("no lint error{}", rest));
    return;
  }
  add(CheckStatus::failed,
      fmt::format("{} at error level{}: `migrate lint` says why and the safe way",
                  plural(errors.size(), "lint finding"), rest))
      .details = std::move(errors);
}

}  // namespace migrate
