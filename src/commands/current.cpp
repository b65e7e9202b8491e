#include "commands/current.hpp"

#include <fmt/format.h>

#include "commands/context.hpp"
#include "commands/git_workspace.hpp"
#include "commands/workspace.hpp"
#include "git/git_migrations.hpp"
#include "output/console.hpp"
#include "output/json_output.hpp"
#include "state/foreign_state_reader.hpp"
#include "state/state_table.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace migrate {

namespace {

void print_current(Console& console, const RevisionGraph& graph, const DatabaseStatus& status,
                   const std::string& database) {
  console.report("database  {}", database);
  std::vector<std::size_t> heads = status.applied_heads(graph);
  std::vector<std::size_t> graph_heads = graph.heads();
  std::string position = describe_position(graph, status);
  bool at_head = !heads.empty() && heads == graph_heads;
  console.report("current   {}{}", position, at_head ? console.paint(" (head)", Style::good) : "");
  if (status.up_to_date()) {
    console.report("pending   {}", console.paint("none: up to date", Style::good));
  } else if (status.pending.empty()) {
    std::vector<std::string> doubts;
    if (!status.partial.empty()) {
      doubts.push_back(fmt::format("{} stopped part-way", status.partial.size()));
    }
    if (!status.changed.empty()) {
      doubts.push_back(fmt::format("{} changed since applied", status.changed.size()));
    }
    if (!status.renamed.empty()) {
      doubts.push_back(fmt::format("{} renamed, to re-key", status.renamed.size()));
    }
    if (!status.repeatables_due.empty()) {
      doubts.push_back(fmt::format("{} repeatable{} to run", status.repeatables_due.size(),
                                   status.repeatables_due.size() == 1 ? "" : "s"));
    }
    console.report("pending   {}", console.paint(fmt::format("none, but not up to date: {} (below)",
                                                             fmt::join(doubts, ", ")),
                                                 Style::warning));
  } else {
    console.report("pending   {}", console.paint(fmt::format("{}: {}", status.pending.size(),
                                                             list_stems(graph, status.pending)),
                                                 Style::warning));
  }
  if (!status.partial.empty()) {
    console.report("partial   {} (stopped part-way; the next upgrade resumes)",
                   list_stems(graph, status.partial));
  }
  for (std::size_t m : status.changed) {
    console.report("changed   {}: applied with {}, the file now has {}", graph.at(m).file.string(),
                   status.rows[*status.row_of[m]].checksum, graph.at(m).checksum);
    if (std::optional<std::string> title = applied_title_if_other(graph, status, m)) {
      console.report(
          "          applied as \"{}\": perhaps another branch's migration with the "
          "same id",
          *title);
    }
  }
  for (const DatabaseStatus::Rename& rename : status.renamed) {
    console.report("renamed   {} is now {} (re-keyed on the next upgrade)",
                   status.rows[rename.row].id, graph.at(rename.migration).stem());
  }
  for (std::size_t r : status.orphans) {
    const AppliedMigration& row = status.rows[r];
    console.report(
        "orphan    {} \"{}\" applied {}: no file here (another branch?); "
        "migrate-downgrade can revert it",
        row.id, row.title, row.applied_at);
  }
  for (std::size_t i : status.repeatables_due) {
    console.report("repeat    {}: {}", graph.repeatables()[i].stem(),
                   describe_due_repeatable(status, i));
  }
  for (std::size_t r : status.removed_repeatables) {
    const AppliedMigration& row = status.rows[r];
    console.report(
        "removed   {} \"{}\" applied {}: a repeatable whose file is gone; what it created "
        "stays (Flyway has no undo for repeatables)",
        row.id, row.title, row.applied_at);
  }
}

/// "2 migrations" / "1 migration".
std::string count_of(std::size_t n) {
  return fmt::format("{} migration{}", n, n == 1 ? "" : "s");
}

/// The ids and titles of a few orphan rows, "… (N in all)" after them.
std::string list_orphans(const DatabaseStatus& status, std::size_t shown = 5) {
  return shortened_list(status.orphans.size(), shown, [&](std::size_t i) {
    const AppliedMigration& row = status.rows[status.orphans[i]];
    return fmt::format("{} \"{}\"", row.id, row.title);
  });
}

/// --hook: what the post-checkout hook says after a branch switch, as warnings. Nothing when
/// the database matches the branch.
void warn_about_branch(Console& console, const RevisionGraph& graph, const DatabaseStatus& status) {
  // Both to do: revert first. This branch's migrations were written for a database without
  // the other branch's, and may fail on top of them (the same table, the same column).
  const bool revert_first = !status.orphans.empty() && !status.pending.empty();
  if (!status.orphans.empty()) {
    // `downgrade heads` keeps everything of this branch and reverts only what it lacks.
    bool one = status.orphans.size() == 1;
    console.warning(fmt::format(
        "the database has {} applied that this branch does not have: {}. Revert {} {}with "
        "`migrate downgrade heads` (it runs the down SQL stored when {} applied){} or switch "
        "back to {} branch",
        count_of(status.orphans.size()), list_orphans(status), one ? "it" : "them",
        revert_first ? "first " : "", one ? "it was" : "they were",
        revert_first ? ", then run `migrate upgrade`;" : ",", one ? "its" : "their"));
  }
  if (!status.changed.empty()) {
    console.warning(fmt::format(
        "the database ran {} in another version than this branch has: {}. `migrate current` "
        "shows the checksums",
        count_of(status.changed.size()), list_stems(graph, status.changed)));
  }
  if (!status.pending.empty()) {
    console.warning(
        fmt::format("{} of this branch {} not applied: {}. Run `migrate upgrade`{}",
                    count_of(status.pending.size()), status.pending.size() == 1 ? "is" : "are",
                    list_stems(graph, status.pending),
                    revert_first ? " after `migrate downgrade heads` (above), not before" : ""));
  }
}

/// The hook runs on every `git checkout`: a database server that is down, or a state table
/// locked by a running migration, costs a couple of seconds and a note, never a long wait.
ConnectOptions hook_connect_options() {
  using namespace std::chrono_literals;
  ConnectOptions options;
  options.server.connect_timeout = 2s;  // libpq's shortest
  options.lock_timeout = 2s;
  options.server.statement_timeout = 2s;
  return options;
}

/// A database another tool has been migrating shows as "nothing applied" until it is adopted:
/// say so, before the pending list makes it look as if everything were to run.
void note_unadopted(Console& console, Connection& connection) {
  for (const ForeignState& state : find_foreign_records(connection)) {
    console.note(
        fmt::format("this database has been migrated by {} ({}), and migrate has no "
                    "state table here yet: `migrate adopt` records what {} applied",
                    foreign_tool_name(state.tool), state.table, foreign_tool_name(state.tool)));
  }
}

/// The branch's migrations, as the hook compares them: the folder's; where the work tree has
/// no folder, those of HEAD's tree (a sparse checkout leaves the folder out), else none (a
/// branch from before the folder existed: every applied one is extra).
RevisionGraph branch_graph(Context& context) {
  std::error_code error;  // a folder that cannot even be looked at is read, and says why
  if (std::filesystem::exists(context.config.migrations_dir, error) || error) {
    return load_graph(context, Reading::outline);
  }
  std::unique_ptr<GitRepo> repo = discover_repository(context, context.cwd);
  std::unique_ptr<GitTree> head =
      repo && !repo->workdir().empty() ? repo->tree_of("HEAD") : nullptr;
  if (head) {
    std::string folder;
    try {
      folder = migrations_folder(*repo, context);
    } catch (const UsageError&) {
      return RevisionGraph(std::vector<Migration>{});  // outside the work tree: not git's
    }
    GitMigrationFolder in_tree = migration_folder_in_tree(*repo, *head, folder);
    if (!in_tree.entries.empty()) {
      return RevisionGraph(in_tree.parse(*repo, context.config.format, context.config.skip_go));
    }
  }
  return RevisionGraph(std::vector<Migration>{});
}

/// --hook: runs after git has switched branches already, so nothing here may fail: a database
/// that cannot be read, or a migration set that does not load, is one note.
ExitCode run_current_hook(Context& context) {
  try {
    RevisionGraph graph = branch_graph(context);
    TargetStatus view = read_database(context, graph, hook_connect_options());
    if (view.connection) {  // no database yet: nothing to compare, and no reason to nag
      warn_about_branch(context.console, graph, view.status);
    }
  } catch (const Error& e) {
    context.console.note(
        fmt::format("could not compare the database with this branch: {}", e.what()));
  }
  return ExitCode::success;
}

}  // namespace

ExitCode run_current(Context& context, const CurrentOptions& options) {
  if (options.hook) {
    return run_current_hook(context);
  }
  auto [graph, view] = load_graph_and_database(context, Reading::outline);  // it shows no SQL
  std::string database = view.url.redacted();
  if (view.connection && view.status.rows.empty() &&
      !StateTable(*view.connection, context.config.table).exists()) {
    attach_sqitch_registry(*view.connection, view.url);
    note_unadopted(context.console, *view.connection);
  }
  if (context.json) {
    context.console.result(current_json(graph, view.status, database));
  } else {
    print_current(context.console, graph, view.status, database);
  }
  const bool up_to_date = view.status.up_to_date();
  // Thousands of migrations and rows, left to the process's end; the connection closes here.
  context.kept.keep(std::move(graph));
  context.kept.keep(std::move(view.status));
  return options.check && !up_to_date ? ExitCode::check_failed : ExitCode::success;
}

}  // namespace migrate
