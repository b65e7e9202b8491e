#include "commands/lint.hpp"

#include <set>

#include <fmt/format.h>

#include "commands/context.hpp"
#include "commands/git_workspace.hpp"
#include "commands/workspace.hpp"
#include "db/engine.hpp"
#include "graph/revision_graph.hpp"
#include "graph/revision_spec.hpp"
#include "lint/lint_migrations.hpp"
#include "lint/rule_family.hpp"
#include "output/console.hpp"
#include "output/json_output.hpp"
#include "output/lint_text.hpp"
#include "util/error.hpp"
#include "util/file.hpp"

namespace migrate {

namespace {

/// The migrations whose files differ from `upstream`'s (added or changed): the ones this
/// branch brings. nullopt outside git, or when `upstream` does not exist here.
std::optional<std::set<std::size_t>> unreleased(Context& context, const RevisionGraph& graph) {
  std::unique_ptr<GitRepo> repo = GitRepo::discover(context.cwd);
  if (!repo || repo->workdir().empty()) {
    return std::nullopt;
  }
  std::unique_ptr<GitTree> tree = repo->tree_of(context.config.upstream);
  if (!tree) {
    return std::nullopt;
  }
  std::set<std::filesystem::path> changed;
  for (const PathChange& change :
       repo->work_tree_changes(tree.get(), migrations_folder(*repo, context) + "/")) {
    if (change.kind != PathChange::Kind::deleted) {
      changed.insert((repo->workdir() / change.path).lexically_normal());
    }
  }
  std::set<std::size_t> found;
  for (std::size_t i = 0; i < graph.size(); ++i) {
    std::filesystem::path file = std::filesystem::absolute(graph.at(i).file).lexically_normal();
    if (changed.contains(file)) {
      found.insert(i);
    }
  }
  return found;
}

/// The migration a target names: a file of the folder, or a revision (an id, a stem).
std::size_t target_migration(Context& context, const RevisionGraph& graph,
                             const std::string& target) {
  std::filesystem::path path = (context.cwd / target).lexically_normal();
  if (std::filesystem::is_regular_file(path)) {
    for (std::size_t i = 0; i < graph.size(); ++i) {
      std::error_code error;
      if (std::filesystem::equivalent(graph.at(i).file, path, error)) {
        return i;
      }
    }
    throw UsageError(
        fmt::format("{} is not a migration of {}: migrate-lint lints the "
                    "migrations folder's files (--dir)",
                    target, display_dir(context).string()));
  }
  return resolve_ref(graph, target);
}

/// Every rule at the severity this project gives it (migrate.conf's [lint]).
void list_rules(Console& console, const LintSettings& settings) {
  for (const RuleFamily& family : rule_families()) {
    for (const RuleInfo& rule : family.rules) {
      std::string name(rule.name);
      auto configured = settings.severity.find(name);
      std::string severity = settings.disabled.contains(name) ? "off"
                             : configured != settings.severity.end()
                                 ? severity_name(configured->second)
                                 : severity_name(rule.severity);
      console.report("{:<46} {:<8} {}", rule.name, severity, rule.message);
    }
  }
}

}  // namespace

ExitCode run_lint(Context& context, const LintOptions& options) {
  if (options.list_rules) {
    list_rules(context.console, context.config.lint);
    return ExitCode::success;
  }
  const Engine& engine = engine_of(configured_database(context));
  const Dialect& dialect = engine.dialect();
  RevisionGraph graph = load_graph(context);
  std::optional<std::set<std::size_t>> branch = unreleased(context, graph);
  std::set<std::size_t> chosen;
  for (const std::string& target : options.targets) {
    chosen.insert(target_migration(context, graph, target));
  }
  if (options.targets.empty()) {
    if (!branch) {
      context.console.note(fmt::format(
          "no upstream ({}) to compare with here: every migration is linted, and none is "
          "known to be new",
          context.config.upstream));
    }
    for (std::size_t i = 0; i < graph.size(); ++i) {
      if (!branch || branch->contains(i)) {
        chosen.insert(i);
      }
    }
  }
  if (dialect.parse_tree("SELECT 1") == std::nullopt) {
    context.console.note(fmt::format(
        "the configured database is {}: migrate-lint's rules read PostgreSQL's parse tree, so "
        "nothing was checked",
        engine.name));
    return ExitCode::success;
  }
  LintRequest request;
  request.chosen = chosen;
  request.branch = branch;
  request.base = context.cwd;
  request.settings = context.config.lint;
  request.context.runner_lock_timeout =
      options.migration_lock_timeout && options.migration_lock_timeout->count() > 0;
  request.context.runner_statement_timeout =
      options.statement_timeout && options.statement_timeout->count() > 0;
  std::vector<Finding> findings = lint_migrations(dialect, graph, request);
  std::size_t errors = 0;
  for (const Finding& finding : findings) {
    errors += finding.severity == Severity::error ? 1 : 0;
  }
  if (context.json) {
    context.console.result(lint_json(findings, chosen.size()));
  } else {
    for (const Finding& finding : findings) {
      print_finding(context.console, finding);
    }
    context.console.info(
        "{} migration{} linted: {}", chosen.size(), chosen.size() == 1 ? "" : "s",
        findings.empty()
            ? std::string("no findings")
            : fmt::format("{} finding{} ({} error{})", findings.size(),
                          findings.size() == 1 ? "" : "s", errors, errors == 1 ? "" : "s"));
  }
  return errors > 0 ? ExitCode::check_failed : ExitCode::success;
}

}  // namespace migrate
