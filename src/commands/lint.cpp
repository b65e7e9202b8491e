#include "commands/lint.hpp"

#include <algorithm>
#include <iterator>
#include <map>
#include <set>

#include <fmt/format.h>

#include "commands/context.hpp"
#include "commands/git_workspace.hpp"
#include "commands/workspace.hpp"
#include "db/connection.hpp"
#include "db/database_url.hpp"
#include "db/engine.hpp"
#include "diff/replay.hpp"
#include "graph/revision_graph.hpp"
#include "graph/revision_spec.hpp"
#include "lint/lint_fix.hpp"
#include "lint/lint_migrations.hpp"
#include "lint/rule_family.hpp"
#include "lint/table_size.hpp"
#include "migration/migration_dir.hpp"
#include "migration/migration_writer.hpp"
#include "migration/new_migration.hpp"
#include "output/console.hpp"
#include "output/github_annotations.hpp"
#include "output/json_output.hpp"
#include "output/lint_text.hpp"
#include "util/error.hpp"
#include "util/file.hpp"
#include "util/file_transaction.hpp"

namespace migrate {

namespace {

/// The migrations whose files `upstream` does not have: the ones this branch brings. nullopt
/// outside git, or when `upstream` does not exist here.
std::optional<std::set<std::size_t>> unreleased(Context& context, const RevisionGraph& graph) {
  std::unique_ptr<GitRepo> repo = discover_repository(context, context.cwd);
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
    // Only a file upstream does not have: one it has, even edited here, is shared, and
    // neither its tables are new nor may --fix edit it.
    if (change.kind == PathChange::Kind::added) {
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

/// The configured database (--database), read-only, for what the rules ask of the server.
/// Throws UsageError when it does not exist yet: there is nothing to ask.
std::unique_ptr<Connection> open_server(Context& context) {
  DatabaseUrl url = configured_database(context);
  std::unique_ptr<Connection> connection = engine_of(url).open(url, {.read_only = true});
  if (!connection) {
    throw UsageError(fmt::format(
        "--database {}: no such database, so it has no version or table sizes to read; lint "
        "without --database",
        url.redacted()));
  }
  return connection;
}

/// pg_class.reltuples of a finding's table, as the server estimates it (-1: never analyzed).
/// Before PostgreSQL 14 a table never analyzed reads 0 rows on 0 pages, as an empty one does:
/// that is taken as unknown (-1), so a rewrite is never lowered on a guess.
TableRows table_rows(Connection& server) {
  return [&server](const Finding& finding) -> std::optional<double> {
    std::vector<SqlRow> rows = server.query(
        "SELECT CASE WHEN c.reltuples = 0 AND c.relpages = 0 AND "
        "current_setting('server_version_num')::int < 140000 THEN -1 ELSE c.reltuples END "
        "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON "
        "n.oid = c.relnamespace WHERE c.relname = $1 AND c.relkind IN ('r', 'p') AND "
        "(CASE WHEN $2 = '' THEN pg_catalog.pg_table_is_visible(c.oid) ELSE n.nspname = $2 END)",
        {finding.table, finding.table_schema});
    if (rows.empty() || !rows.front().at(0)) {
      return std::nullopt;
    }
    return std::stod(*rows.front().at(0));
  };
}

/// A follow-up --fix adds: the new migration, after graph migration `of`.
struct AddedMigration {
  std::size_t of = 0;
  Migration migration;
};

/// Whether --fix may change migration `i`: only one this branch brings (never one upstream
/// has: others have it), with all its children (a follow-up re-points them). Says why not.
bool fixable(Context& context, const RevisionGraph& graph, const LintRequest& request,
             std::size_t i, bool with_children, const std::string& shown) {
  auto on_branch = [&](std::size_t j) { return request.branch && request.branch->contains(j); };
  const std::vector<std::size_t>& children = graph.children(i);
  if (on_branch(i) &&
      (!with_children || std::all_of(children.begin(), children.end(), on_branch))) {
    return true;
  }
  context.console.note(fmt::format(
      "{}: not fixed: {} not known to be only on this branch (on {}, or no upstream to tell), "
      "and a shared migration is never edited",
      shown, on_branch(i) ? "a migration after it is" : "it is", context.config.upstream));
  return false;
}

/// What --fix makes of the chosen migrations: the files' new texts, the migrations it adds,
/// and what it says of each file.
struct BranchFix {
  std::map<std::filesystem::path, std::string> texts;
  std::vector<AddedMigration> added;
  std::vector<std::pair<std::string, LintFix>> messages;  ///< by file as shown
};

/// Each chosen migration's fix (fix_migration), where it may be made.
BranchFix plan_fixes(Context& context, const Dialect& dialect, const RevisionGraph& graph,
                     const LintRequest& request, const std::vector<Finding>& findings) {
  BranchFix plan;
  std::vector<Migration> known = graph.migrations();  // ids a new migration must not take
  for (std::size_t i : request.chosen) {
    const Migration& migration = graph.at(i);
    std::string shown = display_path(up_file(migration), context.cwd).string();
    std::vector<Finding> own;
    std::copy_if(findings.begin(), findings.end(), std::back_inserter(own),
                 [&](const Finding& finding) { return finding.file == shown; });
    if (own.empty()) {
      continue;
    }
    std::string text = read_file(up_file(migration));
    // A new migration follows this one through `-- depends:`, or in a dbmate folder by coming
    // next in id order: only after the last there.
    bool last = std::none_of(graph.migrations().begin(), graph.migrations().end(),
                             [&](const Migration& other) { return migration.id < other.id; });
    LintFix fix = fix_migration(dialect, migration, text, own,
                                migration.format == MigrationFormat::migrate ||
                                    (migration.format == MigrationFormat::dbmate && last));
    bool changes = fix.text != text || fix.follow_up;
    if (changes && !fixable(context, graph, request, i, fix.follow_up.has_value(), shown)) {
      continue;
    }
    if (fix.follow_up) {
      Migration next = follow_up_migration(
          migration, *fix.follow_up,
          new_migration_id(context.clock.now(), context.config.id_seconds, known));
      known.push_back(next);
      plan.added.push_back({i, std::move(next)});
    }
    if (fix.text != text) {
      plan.texts[up_file(migration)] = fix.text;
    }
    plan.messages.emplace_back(shown, std::move(fix));
  }
  return plan;
}

/// The migrations that depended on one a follow-up now follows depend on the follow-up: all
/// their parents at once (a merge of two fixed migrations has two replaced).
void repoint_children(const RevisionGraph& graph, BranchFix& plan) {
  std::map<std::size_t, std::string> follow_up_of;  // graph index -> its follow-up's stem
  std::set<std::size_t> children;
  for (const AddedMigration& follow_up : plan.added) {
    follow_up_of[follow_up.of] = follow_up.migration.stem();
    const std::vector<std::size_t>& of_children = graph.children(follow_up.of);
    children.insert(of_children.begin(), of_children.end());
  }
  for (std::size_t child : children) {
    std::vector<std::string> parents;
    for (std::size_t parent : graph.parents(child)) {
      auto replaced = follow_up_of.find(parent);
      parents.push_back(replaced != follow_up_of.end() ? replaced->second
                                                       : graph.at(parent).stem());
    }
    const std::filesystem::path& file = graph.at(child).file;
    auto text = plan.texts.find(file);
    plan.texts[file] =
        with_depends(text != plan.texts.end() ? text->second : read_file(file), parents);
  }
}

/// --fix: the mechanical safe forms written into the chosen migrations of this branch, and
/// the new migrations that take what must leave theirs. Every file changes together or none
/// does, and only then is it said. Returns the ids of the migrations it added; sets
/// `written` when it wrote anything.
std::vector<MigrationId> fix_branch(Context& context, const Dialect& dialect,
                                    const RevisionGraph& graph, const LintRequest& request,
                                    const std::vector<Finding>& findings, FileTransaction& files,
                                    bool& written) {
  BranchFix plan = plan_fixes(context, dialect, graph, request, findings);
  repoint_children(graph, plan);
  std::optional<std::string> head = read_head_file(context.config.migrations_dir);
  std::vector<std::string> added;
  std::vector<MigrationId> ids;
  for (const AddedMigration& follow_up : plan.added) {
    const Migration& of = graph.at(follow_up.of);
    std::filesystem::path path =
        stage_new_migration(context.config.migrations_dir, follow_up.migration,
                            head && *head == of.stem(), files, of.format);
    added.push_back(
        fmt::format("added {}, after {}", display_path(path, context.cwd).string(), of.stem()));
    ids.push_back(follow_up.migration.id);
  }
  for (const auto& [path, text] : plan.texts) {
    files.write(path, text);
  }
  files.apply();
  files.keep();
  for (const auto& [shown, fix] : plan.messages) {
    for (const std::string& done : fix.done) {
      context.console.info("fixed {}, {}", shown, done);
    }
    for (const std::string& left : fix.not_done) {
      context.console.note(fmt::format("{}, not fixed: {}", shown, left));
    }
  }
  for (const std::string& line : added) {
    context.console.info("{}", line);
  }
  written = !plan.texts.empty() || !ids.empty();
  return ids;
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
  if (context.json && options.format != "text") {
    throw UsageError(fmt::format("--json and --format {}: choose one", options.format));
  }
  if (options.list_rules) {
    list_rules(context.console, context.config.lint);
    return ExitCode::success;
  }
  const Engine& engine = engine_of(configured_database(context));
  const Dialect& dialect = engine.dialect();
  std::optional<FileTransaction> fixing;  // --fix: taken before the folder is read
  if (options.fix) {
    fixing.emplace(context.config.migrations_dir);
    fixing->lock();
  }
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
    if (branch && chosen.empty()) {
      context.console.note(fmt::format(
          "every migration is on {} already: nothing of this branch's to lint (name files or "
          "revisions to lint those)",
          context.config.upstream));
    }
  }
  LintRequest request;
  // SQLite has no parse tree migrate reaches: what each statement does is learnt from SQLite
  // itself, running the migrations on in-memory development databases (lint/sqlite_linter).
  std::filesystem::path snapshot;  // in a repository: the gate's linter's, shared
  try {
    if (std::unique_ptr<GitRepo> repo = GitRepo::discover(context.config.migrations_dir)) {
      snapshot = lint_replay_snapshot_file(*repo);
    }
  } catch (const Error&) {
    // A repository git cannot read: replayed without the snapshot, as outside one.
  }
  LintDatabases databases(dialect, std::string(engine.name), graph, nullptr, snapshot);
  request.database_before = databases.lookup();
  request.chosen = chosen;
  request.branch = branch;
  request.base = context.cwd;
  request.settings = context.config.lint;
  request.context.runner_lock_timeout =
      options.migration_lock_timeout && options.migration_lock_timeout->count() > 0;
  request.context.runner_statement_timeout =
      options.statement_timeout && options.statement_timeout->count() > 0;
  std::unique_ptr<Connection> server;
  if (options.read_server) {
    server = open_server(context);
    request.context.server_version = server->server_version();
  }
  std::vector<Finding> findings = lint_migrations(dialect, graph, request);
  bool written = false;
  std::vector<MigrationId> added;
  if (options.fix) {
    added = fix_branch(context, dialect, graph, request, findings, *fixing, written);
  }
  if (written) {  // lint again: the fixed texts, and the migrations --fix added
    std::vector<MigrationId> ids = added;
    for (std::size_t i : chosen) {
      ids.push_back(graph.at(i).id);
    }
    graph = load_graph(context);
    request.branch = branch = unreleased(context, graph);
    chosen.clear();
    for (const MigrationId& id : ids) {
      if (std::optional<std::size_t> i = graph.find(id)) {
        chosen.insert(*i);
      }
    }
    request.chosen = chosen;
    findings = lint_migrations(dialect, graph, request);
  }
  if (server && engine.name == "postgresql") {  // pg_class.reltuples
    lower_for_small_tables(findings, table_rows(*server), context.config.lint_small_table);
  }
  std::size_t errors = 0;
  for (const Finding& finding : findings) {
    errors += finding.severity == Severity::error ? 1 : 0;
  }
  if (context.json) {
    context.console.result(lint_json(findings, chosen.size()));
  } else if (options.format == "sarif") {
    context.console.result(lint_sarif(findings));
  } else if (options.format == "github") {
    context.console.result(github_annotations(findings));
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
