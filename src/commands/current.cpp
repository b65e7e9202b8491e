#include "commands/current.hpp"

#include <fmt/format.h>

#include "commands/context.hpp"
#include "commands/workspace.hpp"
#include "output/console.hpp"
#include "output/json_output.hpp"

namespace migrate {

namespace {

void print_current(Console& console, const RevisionGraph& graph, const DatabaseStatus& status,
                   const std::string& database) {
  console.info("database  {}", database);
  std::vector<std::size_t> heads = status.applied_heads(graph);
  std::vector<std::size_t> graph_heads = graph.heads();
  std::string position = describe_position(graph, status);
  bool at_head = !heads.empty() && heads == graph_heads;
  console.info("current   {}{}", position, at_head ? console.paint(" (head)", Style::good) : "");
  if (status.pending.empty()) {
    console.info("pending   {}", console.paint("none: up to date", Style::good));
  } else {
    console.info("pending   {}", console.paint(fmt::format("{}: {}", status.pending.size(),
                                                           list_stems(graph, status.pending)),
                                               Style::warning));
  }
  if (!status.partial.empty()) {
    console.info("partial   {} (stopped part-way; the next upgrade resumes)",
                 list_stems(graph, status.partial));
  }
  for (std::size_t m : status.changed) {
    console.info("changed   {}: applied with {}, the file now has {}", graph.at(m).file.string(),
                 status.rows[*status.row_of[m]].checksum, graph.at(m).checksum);
  }
  for (const DatabaseStatus::Rename& rename : status.renamed) {
    console.info("renamed   {} is now {} (re-keyed on the next upgrade)",
                 status.rows[rename.row].id, graph.at(rename.migration).stem());
  }
  for (std::size_t r : status.orphans) {
    const AppliedMigration& row = status.rows[r];
    console.info(
        "orphan    {} \"{}\" applied {}: no file here (another branch?); "
        "migrate-downgrade can revert it",
        row.id, row.title, row.applied_at);
  }
}

}  // namespace

ExitCode run_current(Context& context, const CurrentOptions& options) {
  RevisionGraph graph = load_graph(context);
  DatabaseView view = read_database(context, graph);
  std::string database = view.url.redacted();
  if (context.json) {
    context.console.result(current_json(graph, view.status, database));
  } else {
    print_current(context.console, graph, view.status, database);
  }
  const DatabaseStatus& status = view.status;
  bool behind = !status.pending.empty() || !status.partial.empty() || !status.changed.empty();
  return options.check && behind ? ExitCode::check_failed : ExitCode::success;
}

}  // namespace migrate
