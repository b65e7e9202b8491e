#include "commands/history.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "commands/context.hpp"
#include "commands/workspace.hpp"
#include "git/authorship.hpp"
#include "git/git_repo.hpp"
#include "git/git_runtime.hpp"
#include "graph/ascii_graph.hpp"
#include "graph/graph_layout.hpp"
#include "output/console.hpp"
#include "output/json_output.hpp"
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

/// The text of one migration: state, stem, title, then `lineage` and when it was applied.
std::string line_text(Console& console, const RevisionGraph& graph, const DatabaseStatus& status,
                      std::size_t m, const std::string& lineage, std::size_t width,
                      std::size_t title_width) {
  const Migration& migration = graph.at(m);
  MigrationState state = status.state[m];
  std::string when;
  if (status.row_of[m]) {
    const AppliedMigration& row = status.rows[*status.row_of[m]];
    when = fmt::format("  {} ({} ms)", short_time(row.applied_at), row.duration_ms);
  }
  std::string title = migration.title();
  if (!lineage.empty() || !when.empty()) {
    title = fmt::format("{:<{}}", title, title_width);
  }
  return fmt::format("{}  {:<{}}  {}{}{}",
                     console.paint(fmt::format("{:<8}", state_name(state)), style_of(state)),
                     migration.stem(), width, title, console.paint(lineage, Style::dim),
                     console.paint(when, Style::dim));
}

/// One line: state, stem, title, and parents when they are not simply the line below.
void print_line(Console& console, const RevisionGraph& graph, const DatabaseStatus& status,
                std::size_t m, std::size_t width, std::size_t title_width) {
  const std::vector<std::size_t>& parents = graph.parents(m);
  std::string lineage;
  if (parents.size() > 1) {
    lineage = fmt::format("  merges {}", parents_text(graph, m));
  } else if (parents.size() == 1 && parents.front() + 1 != m) {
    lineage = fmt::format("  after {}", graph.at(parents.front()).stem());
  }
  console.report("{}", line_text(console, graph, status, m, lineage, width, title_width));
}

/// The lanes of the graph, newest first, each migration's line after its `*` (the graph
/// shows the parents, so no "merges" or "after").
void print_graph(Console& console, const RevisionGraph& graph, const DatabaseStatus& status,
                 std::size_t width, std::size_t title_width) {
  AsciiGraph drawing = draw_ascii_graph(lay_out(graph));
  for (const AsciiGraphLine& line : drawing.lines) {
    if (line.migration) {
      console.report("{}{}", line.text,
                     line_text(console, graph, status, *line.migration, "", width, title_width));
    } else {
      console.report("{}", line.text);
    }
  }
}

/// The commit that added each migration's file, by migration index (null: not committed yet).
/// `in_git` is false when the folder is not in a git work tree: then there is nothing to say.
struct AddedBy {
  AddedBy() = default;
  AddedBy(AddedBy&&) = default;  // `migrations` points into `files`: moved, never copied
  AddedBy(const AddedBy&) = delete;

  bool in_git = false;
  FileAuthorships files;
  std::vector<const FileAuthorship*> migrations;
};

/// Finds who added the files with one walk of the history (git/authorship.hpp). Costs a walk
/// of the whole history, so only -v and --json ask. A repository that cannot be read is a
/// warning: the list is still worth showing.
AddedBy find_added_by(Context& context, const RevisionGraph& graph) {
  AddedBy out;
  out.migrations.assign(graph.size(), nullptr);
  const std::filesystem::path& dir = context.config.migrations_dir;
  try {
    context.git.require();
    std::optional<GitRepo> repo = GitRepo::discover(dir);
    if (!repo || repo->workdir().empty()) {
      return out;
    }
    std::string folder = repo->relative_path(dir);
    out.files = commits_adding_files(*repo, folder);
    out.in_git = true;
  } catch (const Error& e) {
    context.console.warning(fmt::format("who added the migrations is not shown: {}", e.what()));
    return out;
  }
  for (std::size_t m = 0; m < graph.size(); ++m) {
    auto found = out.files.find(graph.at(m).file.filename().string());
    if (found != out.files.end()) {
      out.migrations[m] = &found->second;
    }
  }
  return out;
}

/// "1a2b3c4 by Ann Example, 2026-11-21T14:23:05Z: Add the users table".
std::string added_text(const FileAuthorship* added_by) {
  if (added_by == nullptr) {
    return "not committed yet";
  }
  return fmt::format("{} by {}, {}: {}", added_by->short_commit, added_by->author, added_by->date,
                     added_by->summary);
}

void print_block(Console& console, const RevisionGraph& graph, const DatabaseStatus& status,
                 std::size_t m, const std::vector<std::size_t>& heads, const AddedBy& added_by) {
  const Migration& migration = graph.at(m);
  bool head = std::find(heads.begin(), heads.end(), m) != heads.end();
  console.report("{}{}", console.paint(migration.stem(), Style::strong), head ? " (head)" : "");
  console.report("  title     {}", migration.title());
  console.report("  file      {}", migration.file.string());
  if (added_by.in_git) {
    console.report("  added     {}", added_text(added_by.migrations[m]));
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

}  // namespace

ExitCode run_history(Context& context, const HistoryOptions& options) {
  if (options.graph && context.json) {
    throw UsageError("--graph draws for people and --json lists for programs: use one of them");
  }
  RevisionGraph graph = load_graph(context);
  TargetStatus view = read_database(context, graph);
  const DatabaseStatus& status = view.status;
  std::string database = view.url.redacted();
  if (context.json) {
    AddedBy added_by = find_added_by(context, graph);
    context.console.result(history_json(graph, status, database, added_by.migrations));
    return ExitCode::success;
  }
  Console& console = context.console;
  console.report("{} migration{} in {}, newest first; state in {}:", graph.size(),
                 graph.size() == 1 ? "" : "s", display_dir(context).string(), database);
  for (std::size_t r : status.orphans) {
    const AppliedMigration& row = status.rows[r];
    console.report("{}  {}  {}  applied {}; its file is not here",
                   console.paint("orphan  ", Style::bad), row.id, row.title,
                   short_time(row.applied_at));
  }
  std::size_t width = 0;
  std::size_t title_width = 0;
  for (const Migration& m : graph.migrations()) {
    width = std::max(width, std::min(m.stem().size(), kMaxStemWidth));
    title_width = std::max(title_width, std::min(m.title().size(), kMaxTitleWidth));
  }
  if (options.graph) {
    print_graph(console, graph, status, width, title_width);
    return ExitCode::success;
  }
  std::vector<std::size_t> heads = graph.heads();
  bool verbose = options.verbose || console.verbose();
  AddedBy added_by = verbose ? find_added_by(context, graph) : AddedBy{};
  for (std::size_t m = graph.size(); m-- > 0;) {
    if (verbose) {
      print_block(console, graph, status, m, heads, added_by);
    } else {
      print_line(console, graph, status, m, width, title_width);
    }
  }
  return ExitCode::success;
}

}  // namespace migrate
