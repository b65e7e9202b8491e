#include "commands/plan_runner.hpp"

#include <fmt/format.h>

#include "commands/context.hpp"
#include "commands/progress.hpp"
#include "commands/workspace.hpp"
#include "db/open_database.hpp"
#include "git/repository_info.hpp"
#include "output/console.hpp"
#include "run/executor.hpp"
#include "run/sql_script.hpp"
#include "state/state_table.hpp"
#include "util/user.hpp"

namespace migrate {

namespace {

void print_plan(Console& console, const Plan& plan, const std::string& database,
                std::string_view verb) {
  if (plan.empty()) {
    console.info("Nothing to {} in {}.", verb, database);
    return;
  }
  console.info("Plan for {} ({} step{}, nothing run):", database, plan.steps.size(),
               plan.steps.size() == 1 ? "" : "s");
  std::size_t number = 0;
  for (const PlanStep& step : plan.steps) {
    console.info("  {:>3}. {:<7}{}  {}", ++number, step_verb(step), step.stem,
                 console.paint(step.title, Style::dim));
    console.info("       {}", step.reason);
  }
}

/// Opens the database for what the options need: read-only for --sql and --dry-run (and not
/// created if missing: an in-memory database of the same kind then splits the SQL).
std::unique_ptr<Driver> open_for(const DatabaseUrl& url, const RunOptions& options, bool& exists) {
  bool read_only = options.sql || options.dry_run;
  std::unique_ptr<Driver> driver =
      open_database(url, {.read_only = read_only, .lock_timeout = options.lock_timeout});
  exists = driver != nullptr;
  if (!driver) {
    DatabaseUrl scratch = url;
    scratch.memory = true;
    driver = open_database(scratch, {.read_only = false});
  }
  return driver;
}

}  // namespace

ExitCode run_plan(Context& context, const RunOptions& options, const PlanMaker& make_plan,
                  std::string_view verb) {
  Console& console = context.console;
  RevisionGraph graph = load_graph(context);
  DatabaseUrl url = configured_database(context);
  bool exists = false;
  std::unique_ptr<Driver> driver = open_for(url, options, exists);
  StateTable state(*driver, context.config.table);
  const bool writing = !options.sql && !options.dry_run;
  if (writing) {
    state.ensure();
  }
  DatabaseStatus status = reconcile(graph, exists ? state.read() : std::vector<AppliedMigration>{});
  Plan plan = make_plan(graph, status);

  std::string database = url.redacted();
  for (const std::string& note : plan.notes) {
    if (!options.sql) {
      console.note(note);
    }
  }
  if (options.dry_run) {
    print_plan(console, plan, database, verb);
    return ExitCode::success;
  }
  ExecutionOptions execution{.fake = options.fake,
                             .single_transaction = options.single_transaction,
                             .applied_by = current_user_name(),
                             .git_commit = head_commit_id(context.config.root)};
  if (options.sql) {
    console.result(render_sql_script(plan, *driver, state, context.clock, execution));
    return ExitCode::success;
  }
  if (plan.empty()) {
    console.info("Nothing to {}: {} is at {}.", verb, database, describe_position(graph, status));
    return ExitCode::success;
  }
  console.info("{} {}: {} step{}{}", verb == "upgrade" ? "Upgrading" : "Downgrading", database,
               plan.steps.size(), plan.steps.size() == 1 ? "" : "s", options.fake ? " (--fake: recording only)" : "");
  ConsoleProgress progress(console);
  Executor executor(*driver, state, context.clock, execution, progress);
  ExecutionSummary summary = executor.run(plan);

  DatabaseStatus after = reconcile(graph, state.read());
  std::vector<std::string> parts;
  if (summary.applied > 0) {
    parts.push_back(fmt::format("{} applied", summary.applied));
  }
  if (summary.reverted > 0) {
    parts.push_back(fmt::format("{} reverted", summary.reverted));
  }
  if (summary.rekeyed > 0) {
    parts.push_back(fmt::format("{} re-keyed", summary.rekeyed));
  }
  if (summary.skipped > 0) {
    parts.push_back(fmt::format("{} already done by another process", summary.skipped));
  }
  console.info("Done in {} ms: {}. {} is at {}.", summary.took.count(), fmt::join(parts, ", "),
               database, describe_position(graph, after));
  return ExitCode::success;
}

}  // namespace migrate
