#include "commands/history.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "commands/context.hpp"
#include "commands/workspace.hpp"
#include "graph/ascii_graph.hpp"
#include "graph/graph_layout.hpp"
#include "history/history.hpp"
#include "history/history_reader.hpp"
#include "output/console.hpp"
#include "output/json_output.hpp"
#include "target/target.hpp"
#include "util/error.hpp"

namespace migrate {

namespace {

constexpr std::size_t kMaxStemWidth = 48;
constexpr std::size_t kMaxTitleWidth = 50;

Style style_of(MigrationState state) {
  switch (state) {
    case MigrationState::applied:
      return Style::good;
    case MigrationState::pending:
      return Style::warning;
    case MigrationState::changed:
    case MigrationState::partial:
      return Style::bad;
    case MigrationState::replaced:  // nothing to do for it: a squash does its work
      return Style::dim;
  }
  return Style::plain;
}

/// "2026-11-21 14:23:05" from the stored "2026-11-21T14:23:05.123Z".
std::string short_time(const std::string& applied_at) {
  std::string time = applied_at.substr(0, 19);
  std::replace(time.begin(), time.end(), 'T', ' ');
  return time;
}

std::string parents_text(const RevisionGraph& graph, std::size_t m) {
  std::vector<std::string> ids;
  for (std::size_t p : graph.parents(m)) {
    ids.push_back(graph.at(p).stem());
  }
  return ids.empty() ? "(none: a root)" : fmt::format("{}", fmt::join(ids, ", "));
}

/// The state shown: the tool's database's (read, or the command failed).
const DatabaseStatus& status_of(const History& history) {
  return history.first_status();
}

/// The widths of the stem and title columns: the longest, up to a limit.
struct Columns {
  std::size_t stem = 0;
  std::size_t title = 0;
};

Columns columns_of(const RevisionGraph& graph) {
  Columns columns;
  for (const Migration& m : graph.migrations()) {
    columns.stem = std::max(columns.stem, std::min(m.stem().size(), kMaxStemWidth));
    columns.title = std::max(columns.title, std::min(m.title().size(), kMaxTitleWidth));
  }
  return columns;
}

/// The text of one migration: state, stem, title, then `lineage` and when it was applied.
std::string line_text(Console& console, const History& history, std::size_t m,
                      const std::string& lineage, const Columns& columns) {
  const Migration& migration = history.graph.at(m);
  const DatabaseStatus& status = status_of(history);
  MigrationState state = status.state[m];
  std::string when;
  if (status.row_of[m]) {
    const AppliedMigration& row = status.rows[*status.row_of[m]];
    when = fmt::format("  {} ({} ms)", short_time(row.applied_at), row.duration_ms);
  }
  std::string title = migration.title();
  if (!lineage.empty() || !when.empty()) {
    title = fmt::format("{:<{}}", title, columns.title);
  }
  return fmt::format("{}  {:<{}}  {}{}{}",
                     console.paint(fmt::format("{:<8}", state_name(state)), style_of(state)),
                     migration.stem(), columns.stem, title, console.paint(lineage, Style::dim),
                     console.paint(when, Style::dim));
}

/// One line: state, stem, title, and parents when they are not simply the line below.
void print_line(Console& console, const History& history, std::size_t m, const Columns& columns) {
  const RevisionGraph& graph = history.graph;
  const std::vector<std::size_t>& parents = graph.parents(m);
  std::string lineage;
  if (parents.size() > 1) {
    lineage = fmt::format("  merges {}", parents_text(graph, m));
  } else if (parents.size() == 1 && parents.front() + 1 != m) {
    lineage = fmt::format("  after {}", graph.at(parents.front()).stem());
  }
  console.report("{}", line_text(console, history, m, lineage, columns));
}

/// The lanes of the graph, newest first, each migration's line after its `*` (the graph
/// shows the parents, so no "merges" or "after").
void print_graph(Console& console, const History& history, const Columns& columns) {
  AsciiGraph drawing = draw_ascii_graph(lay_out(history.graph));
  for (const AsciiGraphLine& line : drawing.lines) {
    if (line.migration) {
      console.report("{}{}", line.text, line_text(console, history, *line.migration, "", columns));
    } else {
      console.report("{}", line.text);
    }
  }
}

/// "1a2b3c4 by Ann Example, 2026-11-21T14:23:05Z: Add the users table".
std::string added_text(const FileAuthorship* added_by) {
  if (added_by == nullptr) {
    return "not committed yet";
  }
  return fmt::format("{} by {}, {}: {}", added_by->short_commit, added_by->author, added_by->date,
                     added_by->summary);
}

void print_block(Console& console, const History& history, std::size_t m) {
  const RevisionGraph& graph = history.graph;
  const Migration& migration = graph.at(m);
  console.report("{}{}", console.paint(migration.stem(), Style::strong),
                 history.head[m] ? " (head)" : "");
  console.report("  title     {}", migration.title());
  console.report("  file      {}", migration.file.string());
  if (history.in_git()) {
    console.report("  added     {}", added_text(history.added_by[m]));
  }
  console.report("  parents   {}", parents_text(graph, m));
  if (!migration.replaces.empty()) {
    std::vector<std::string> ids;
    for (const MigrationRef& ref : migration.replaces) {
      ids.push_back(ref.text);
    }
    console.report("  replaces  {}", fmt::join(ids, ", "));
  }
  console.report("  checksum  {}", migration.checksum);
  std::vector<std::string> flags;
  if (!migration.reversible()) {
    flags.emplace_back("irreversible");
  }
  if (!migration.up.options.transaction) {
    flags.emplace_back("transaction:false");
  }
  if (!migration.up.options.foreign_keys) {
    flags.emplace_back("foreign_keys:off");
  }
  if (!flags.empty()) {
    console.report("  flags     {}", fmt::join(flags, ", "));
  }
  const DatabaseStatus& status = status_of(history);
  MigrationState state = status.state[m];
  std::string line = console.paint(state_name(state), style_of(state));
  if (status.row_of[m]) {
    const AppliedMigration& row = status.rows[*status.row_of[m]];
    line += fmt::format(" {} by {} in {} ms", row.applied_at, row.applied_by, row.duration_ms);
    if (!row.git_commit.empty()) {
      line += fmt::format(", at commit {}", row.git_commit.substr(0, 12));
    }
  }
  console.report("  state     {}", line);
  for (std::size_t i = 1; i < migration.doc.size(); ++i) {
    console.report("  | {}", migration.doc[i]);
  }
  console.report("");
}

/// Flyway's repeatables, which run after every migration: so at the top of a list that is
/// newest first, last to run first.
void print_repeatables(Console& console, const RevisionGraph& graph, const DatabaseStatus& status) {
  const std::vector<Migration>& repeatables = graph.repeatables();
  for (std::size_t i = repeatables.size(); i-- > 0;) {
    const Migration& repeatable = repeatables[i];
    bool due = status.repeatable_due(i);
    std::string when =
        due ? fmt::format("repeatable, {}", describe_due_repeatable(status, i))
            : fmt::format("repeatable, applied {}: runs again when its text changes",
                          short_time(status.rows[*status.repeatable_row[i]].applied_at));
    console.report("{}  {}  {}  {}",
                   console.paint(due ? "due     " : "applied ", due ? Style::warning : Style::good),
                   repeatable.stem(), repeatable.title(), console.paint(when, Style::dim));
  }
  for (std::size_t r : status.removed_repeatables) {
    const AppliedMigration& row = status.rows[r];
    console.report(
        "{}  {}  {}  applied {}; a repeatable whose file is not here (what it created "
        "stays)",
        console.paint("removed ", Style::dim), row.id, row.title, short_time(row.applied_at));
  }
}

/// The first lines: how many migrations, where, in which database; then the rows whose file
/// is not here, and the repeatables.
void print_header(Context& context, const RevisionGraph& graph, const DatabaseStatus& status,
                  const std::string& database) {
  Console& console = context.console;
  std::size_t repeatables = graph.repeatables().size();
  console.report("{} migration{}{} in {}, newest first; state in {}:", graph.size(),
                 graph.size() == 1 ? "" : "s",
                 repeatables == 0 ? std::string()
                                  : fmt::format(" and {} repeatable{}", repeatables,
                                                repeatables == 1 ? "" : "s"),
                 display_dir(context).string(), database);
  for (std::size_t r : status.orphans) {
    const AppliedMigration& row = status.rows[r];
    console.report("{}  {}  {}  applied {}; its file is not here",
                   console.paint("orphan  ", Style::bad), row.id, row.title,
                   short_time(row.applied_at));
  }
  print_repeatables(console, graph, status);
}

/// Who added the files, in one walk of the history (history/history_reader.hpp). Costs a walk
/// of the whole history, so only -v and --json ask. A repository that cannot be read is a
/// warning: the list is still worth showing.
FolderAuthorship who_added(Context& context) {
  FolderAuthorship authorship = read_authorship(context.config.migrations_dir);
  if (!authorship.error.empty()) {
    context.console.warning(
        fmt::format("who added the migrations is not shown: {}", authorship.error));
  }
  return authorship;
}

/// The history of `graph` in the tool's database (`database`, redacted, as `status`).
History history_of(const Context& context, RevisionGraph graph, std::string database,
                   DatabaseStatus status, FolderAuthorship authorship) {
  std::vector<TargetRead> targets;
  targets.push_back(TargetRead{.name = tool_target(context.config).name,
                               .database = std::move(database),
                               .status = std::move(status)});
  return assemble_history(std::move(graph), std::move(targets), std::move(authorship));
}

}  // namespace

ExitCode run_history(Context& context, const HistoryOptions& options) {
  if (options.graph && context.json) {
    throw UsageError("--graph draws for people and --json lists for programs: use one of them");
  }
  auto [graph, read] = load_graph_and_database(context, Reading::outline);  // it shows no SQL
  std::string database = read.url.redacted();
  if (context.json) {
    FolderAuthorship authorship = who_added(context);
    History history = history_of(context, std::move(graph), std::move(database),
                                 std::move(read.status), std::move(authorship));
    context.console.result(history_json(history));
    context.kept.keep(std::move(history));  // left to the process's end (KeptUntilExit)
    return ExitCode::success;
  }
  print_header(context, graph, read.status, database);
  // A block per migration with -v, which shows who added each file; --graph ignores -v.
  bool verbose = !options.graph && (options.verbose || context.console.verbose());
  FolderAuthorship authorship = verbose ? who_added(context) : FolderAuthorship{};
  History history = history_of(context, std::move(graph), std::move(database),
                               std::move(read.status), std::move(authorship));
  Console& console = context.console;
  Columns columns = columns_of(history.graph);
  if (options.graph) {
    print_graph(console, history, columns);
  } else {
    for (std::size_t m = history.graph.size(); m-- > 0;) {
      if (verbose) {
        print_block(console, history, m);
      } else {
        print_line(console, history, m, columns);
      }
    }
  }
  context.kept.keep(std::move(history));  // left to the process's end (KeptUntilExit)
  return ExitCode::success;
}

}  // namespace migrate
