#include "commands/adopt.hpp"

#include <fmt/format.h>

#include "commands/context.hpp"
#include "commands/workspace.hpp"
#include "db/connection.hpp"
#include "db/transaction.hpp"
#include "graph/revision_graph.hpp"
#include "graph/revision_spec.hpp"
#include "migration/flyway_checksum.hpp"
#include "output/console.hpp"
#include "plan/adoption.hpp"
#include "state/foreign_state_reader.hpp"
#include "state/state_table.hpp"
#include "target/placeholder_values.hpp"
#include "util/error.hpp"
#include "util/file.hpp"

namespace migrate {

namespace {

/// The one tool whose state this database holds: the one --from names, else the only one found.
ForeignState choose_state(Connection& connection, const std::optional<ForeignTool>& from,
                          const std::string& database) {
  if (from) {
    std::optional<ForeignState> state = read_foreign_state(connection, *from);
    if (!state) {
      std::vector<std::string> others;
      for (const ForeignState& other : find_foreign_states(connection)) {
        others.push_back(fmt::format("{}'s ({})", foreign_tool_name(other.tool), other.table));
      }
      throw UsageError(fmt::format(
          "{} has no {} state table: nothing to adopt from {}. {}", database,
          foreign_tool_name(*from), foreign_tool_name(*from),
          others.empty() ? fmt::format("Without --from, adopt looks for every tool it knows ({})",
                                       foreign_tool_names())
                         : fmt::format("It has {}: adopt from that, with --from or without",
                                       fmt::join(others, " and "))));
    }
    return std::move(*state);
  }
  std::vector<ForeignState> found = find_foreign_records(connection);
  if (found.empty()) {
    throw UsageError(fmt::format(
        "{} has no other tool's state table with anything recorded in it (looked for {}): "
        "nothing to adopt. To record migrations as applied by hand, use `migrate upgrade --fake "
        "<revision>`",
        database, foreign_tool_names()));
  }
  if (found.size() > 1) {
    std::vector<std::string> names;
    for (const ForeignState& state : found) {
      names.push_back(fmt::format("{} ({})", foreign_tool_name(state.tool), state.table));
    }
    throw UsageError(fmt::format("{} has the state of more than one tool: {}. Choose with --from",
                                 database, fmt::join(names, ", ")));
  }
  return std::move(found.front());
}

/// Per repeatable of the folder, the checksums Flyway takes as its file's on this database: of
/// the whole file, as Flyway reads it, its placeholders replaced by the values they have there.
std::vector<FlywayRepeatableChecksums> flyway_checksums(const Context& context,
                                                        const RevisionGraph& graph,
                                                        Connection& connection) {
  std::vector<FlywayRepeatableChecksums> checksums;
  if (graph.repeatables().empty()) {
    return checksums;
  }
  PlaceholderValues values =
      flyway_placeholder_values(graph, connection,
                                {context.config.placeholders, context.config.table, context.cwd},
                                context.clock)
          .value_or(PlaceholderValues{});
  for (const Migration& repeatable : graph.repeatables()) {
    checksums.push_back(
        flyway_repeatable_checksums(read_file(repeatable.file), repeatable.file, values));
  }
  return checksums;
}

/// Makes migrate's state table when recording created none (nothing to record): the mark that
/// the database is adopted, so upgrade runs this folder's migrations from now on.
void create_state_table(Context& context, const DatabaseUrl& url) {
  std::unique_ptr<Connection> writer = open_database(url, {});
  StateTable state(*writer, context.config.table);
  if (state.exists()) {
    return;
  }
  {
    Transaction creating(*writer);
    state.ensure();
    creating.commit();
  }
  context.console.info("Created migrate's state table {}: upgrade goes on from here.",
                       context.config.table);
}

}  // namespace

ExitCode run_adopt(Context& context, const AdoptOptions& options) {
  std::optional<ForeignTool> from;
  if (options.from) {
    from = parse_foreign_tool(*options.from);
    if (!from) {
      throw UsageError(fmt::format("--from {}: not a tool adopt knows. Choose one of {}",
                                   *options.from, foreign_tool_names()));
    }
  }
  RevisionGraph graph = load_graph(context);
  std::optional<RevisionSpec> revision;
  AdoptionRequest request;
  if (options.revision) {
    revision = parse_revision_spec(*options.revision);
    std::vector<std::size_t> resolved = resolve_revision(graph, *revision);
    if (revision->kind == RevisionSpec::Kind::base) {
      request.none = true;
    } else if (resolved.size() != 1) {
      throw UsageError(
          fmt::format("{}: name one migration, not {}", *options.revision, resolved.size()));
    } else {
      request.up_to = resolved.front();
    }
  }
  DatabaseUrl url = configured_database(context);
  std::string database = url.redacted();
  ConnectOptions reading;
  reading.read_only = true;
  std::unique_ptr<Connection> reader = open_database(url, reading);
  if (!reader) {
    throw UsageError(fmt::format("{} does not exist: there is nothing to adopt", database));
  }
  attach_sqitch_registry(*reader, url);
  ForeignState foreign = choose_state(*reader, from, database);
  request.state_table_exists = StateTable(*reader, context.config.table).exists();
  if (foreign.tool == ForeignTool::flyway) {
    request.flyway_checksums = flyway_checksums(context, graph, *reader);
  }
  reader.reset();

  RunOptions run;
  run.fake = true;                // nothing runs: the other tool ran it
  run.single_transaction = true;  // all recorded, or nothing
  run.dry_run = options.dry_run;
  run.sql = options.sql;
  ExitCode code = run_plan(context, run,
                           {"adopt", revision.value_or(parse_revision_spec("heads")),
                            [&](const RevisionGraph& graph, const DatabaseStatus& status) {
                              return plan_adoption(graph, status, foreign, request);
                            },
                            /*adopt_first=*/false, /*state_table_in_run=*/true});
  if (!options.dry_run && !options.sql) {
    create_state_table(context, url);
  }
  return code;
}

}  // namespace migrate
