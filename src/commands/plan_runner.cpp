#include "commands/plan_runner.hpp"

#include <optional>

#include <fmt/format.h>

#include "commands/context.hpp"
#include "commands/progress.hpp"
#include "commands/workspace.hpp"
#include "db/cancellable.hpp"
#include "db/migration_lock.hpp"
#include "db/open_database.hpp"
#include "db/schema_readers.hpp"
#include "db/transaction.hpp"
#include "git/repository_info.hpp"
#include "output/console.hpp"
#include "plan/planner.hpp"
#include "run/executor.hpp"
#include "run/flyway_placeholders.hpp"
#include "run/format_transactions.hpp"
#include "run/sql_script.hpp"
#include "schema/schema_dump.hpp"
#include "state/foreign_state_reader.hpp"
#include "state/state_table.hpp"
#include "target/placeholder_values.hpp"
#include "target/target.hpp"
#include "target/target_schema.hpp"
#include "util/clock.hpp"
#include "util/error.hpp"
#include "util/file.hpp"
#include "util/stop_request.hpp"
#include "util/stop_signals.hpp"
#include "util/text.hpp"
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
  std::size_t width = name_width(plan);
  for (const PlanStep& step : plan.steps) {
    console.info("  {:>3}. {:<7}{:<{}}  {}", ++number, step_verb(step), step.stem, width,
                 console.paint(step.title, Style::dim));
    console.info("       {}", step.reason);
  }
}

/// "sqlite:migrate.db is at 0002_b", or "… has nothing applied".
std::string where_it_is(const RevisionGraph& graph, const DatabaseStatus& status,
                        const std::string& database) {
  if (status.applied_heads(graph).empty()) {
    return fmt::format("{} has nothing applied", database);
  }
  return fmt::format("{} is at {}", database, describe_position(graph, status));
}

/// "Upgrading", "Downgrading", "Redoing".
std::string progressive(std::string_view verb) {
  std::string word(verb);
  if (!word.empty() && word.back() == 'e') {
    word.pop_back();
  }
  if (!word.empty()) {
    word.front() = static_cast<char>(std::toupper(static_cast<unsigned char>(word.front())));
  }
  return word + "ing";
}

/// The plan against the database as it is now, and the state table it was read from.
struct Planned {
  StateTable state;
  DatabaseStatus status;
  Plan plan;
};

/// `to_run`: the plan will be run or scripted, so each section's transaction mode is settled
/// (apply_format_transaction_rules splits the sections of some formats to know it); a plan
/// that is only printed (--dry-run) does not show it, and does not pay for it.
Planned plan_against(Connection& connection, bool exists, const Context& context,
                     const RevisionGraph& graph, const PlanMaker& make_plan, bool to_run) {
  StateTable state(connection, context.config.table);
  std::optional<PlaceholderValues> placeholders = flyway_placeholder_values(
      graph, connection, {context.config.placeholders, context.config.table, context.cwd},
      context.clock);
  DatabaseStatus status = reconcile(graph, exists ? state.read() : std::vector<AppliedMigration>{},
                                    placeholders ? &*placeholders : nullptr);
  Plan plan = make_plan(graph, status);
  if (placeholders) {
    apply_placeholders(plan, *placeholders);
  }
  if (to_run) {
    apply_format_transaction_rules(plan, connection);
  }
  return {state, std::move(status), std::move(plan)};
}

/// The step a redo stopped at when that was applying the new up section: the migration is
/// reverted by then (unless everything rolled back, --single-transaction). Null otherwise.
const PlanStep* redo_left_reverted(std::string_view verb, const ExecutionOptions& execution,
                                   const ConsoleProgress& progress) {
  const PlanStep* failed = progress.failed_step();
  bool reverted = verb == "redo" && !execution.single_transaction && failed != nullptr &&
                  failed->kind == PlanStep::Kind::apply;
  return reverted ? failed : nullptr;
}

/// Throws PlanRefused when another tool's state table in the database records migrations
/// (called while migrate's own records nothing).
void refuse_unadopted(Connection& connection, const std::string& database) {
  std::vector<ForeignState> found = find_foreign_records(connection);
  if (found.empty()) {
    return;
  }
  std::vector<std::string> tools;
  for (const ForeignState& state : found) {
    tools.push_back(fmt::format("{} ({})", foreign_tool_name(state.tool), state.table));
  }
  throw PlanRefused(fmt::format(
      "{} has been migrated by {}, and migrate has no state table there yet: an upgrade would "
      "run every migration again. Run `migrate adopt` first: it records what was applied (the "
      "other tool's table is read, never altered; `migrate adopt --dry-run` shows what it would "
      "record), or `migrate adopt base` when none of this folder's migrations was (another "
      "application's table on a shared database). Nothing was run",
      database, fmt::join(tools, " and ")));
}

/// The dump = FILE text of the database `connection` is open on.
std::string current_dump(const Context& context, Connection& connection) {
  return dump_schema(read_schema(connection, schema_read_options(tool_target(context.config))));
}

/// `dump = FILE`: the schema as the run left it, written whole or not at all, for a code review
/// to see the schema change beside the migration. A dump that fails fails the command (exit 1),
/// saying that the migrations themselves ran: a stale file would mislead the review.
void rewrite_dump_file(const Context& context, Connection& connection) {
  const std::filesystem::path& file = context.config.dump_file;
  if (file.empty()) {
    return;
  }
  std::string shown = display_path(file, context.cwd).string();
  try {
    write_file_atomically(file, current_dump(context, connection));
  } catch (const Error& e) {
    throw IoError(
        fmt::format("the run finished, but {} (dump = in migrate.conf) could not be "
                    "rewritten, so it is stale: {}. `migrate dump -o {}` writes it "
                    "again once that is fixed",
                    shown, e.what(), shown));
  }
  context.console.info("Rewrote {}.", shown);
}

/// With nothing to run, the dump file may still be stale: a run that changed the database was
/// stopped (Ctrl-C, kill -9) before it rewrote the file. Rewritten then, with a note; a dump
/// that fails here is only a warning, since nothing was asked of this run but to check.
void refresh_stale_dump_file(const Context& context, Connection& connection) {
  const std::filesystem::path& file = context.config.dump_file;
  if (file.empty()) {
    return;
  }
  std::string shown = display_path(file, context.cwd).string();
  try {
    std::string dump = current_dump(context, connection);
    std::optional<std::string> written;
    if (std::filesystem::exists(file)) {
      written = read_file(file);
    }
    if (written == dump) {
      return;
    }
    write_file_atomically(file, dump);
    context.console.note(fmt::format(
        "rewrote {}: it did not match the database (a run that changed it stopped before "
        "writing it, or the file was edited)",
        shown));
  } catch (const Error& e) {
    context.console.warning(
        fmt::format("{} (dump = in migrate.conf) may be stale: {}", shown, e.what()));
  }
}

}  // namespace

void refuse_count_from_habit(const Context& context, const std::optional<std::string>& target,
                             char sign) {
  if (context.alias.empty() || !target || target->empty() || target->size() > 6 ||
      target->front() == '0' || !is_digits(*target)) {
    return;  // an id has leading zeros (000002) or is a long timestamp
  }
  throw UsageError(fmt::format(
      "migrate {} {}: {} steps, or the migration with id {}? Write {}{} for steps, or the "
      "migration's file stem (migrate-history lists them)",
      context.alias, *target, *target, *target, sign, *target));
}

ExitCode run_plan(Context& context, const RunOptions& options, const PlanRequest& request) {
  Console& console = context.console;
  const std::string_view verb = request.verb;
  const PlanMaker& make_plan = request.make_plan;
  // A run stores each applied migration's down section; a printed upgrade plan shows none.
  RevisionGraph graph = load_graph(
      context, options.dry_run && request.shows_no_down ? Reading::up_sql : Reading::sql);
  if (request.target.kind != RevisionSpec::Kind::relative) {
    resolve_revision(graph, request.target);  // throws for an unknown one
  }
  DatabaseUrl url = configured_database(context);
  std::string database = url.redacted();

  // Plan on a read-only connection first: a bad target, a refusal or an empty plan must leave
  // no trace, not even a new database file or state table.
  ConnectOptions reading = options.connection;
  reading.read_only = true;
  reading.columns_of = context.config.table;
  std::unique_ptr<Connection> reader = open_database(url, reading);
  const bool exists = reader != nullptr;
  if (!reader) {  // nothing to read; an in-memory database of the same kind splits the SQL
    DatabaseUrl scratch = url;
    scratch.memory = true;
    reader = open_database(scratch, {});
  }
  Planned planned = plan_against(*reader, exists, context, graph, make_plan, !options.dry_run);
  if (request.adopt_first && exists && !planned.state.exists()) {
    attach_sqitch_registry(*reader, url);
    refuse_unadopted(*reader, database);
  }
  if (!options.sql) {
    for (const std::string& note : planned.plan.notes) {
      console.note(note);
    }
  }
  if (options.dry_run) {
    print_plan(console, planned.plan, database, verb);
    return ExitCode::success;
  }
  if (!options.sql && planned.plan.empty()) {
    console.info("Nothing to {}: {}.", verb, where_it_is(graph, planned.status, database));
    if (exists && !options.fake) {
      refresh_stale_dump_file(context, *reader);
    }
    return ExitCode::success;
  }
  ExecutionOptions execution{.fake = options.fake,
                             .single_transaction = options.single_transaction,
                             .create_state_table = request.state_table_in_run,
                             .applied_by = current_user_name(),
                             .git_commit = head_commit_id(context.config.root)};
  if (options.sql) {
    console.result(
        render_sql_script(planned.plan, *reader, planned.state, context.clock, execution));
    return ExitCode::success;
  }
  // From here on Ctrl-C and SIGTERM stop the run cleanly: what runs is cancelled, the step in
  // flight ends as a failure would, and the error says what state that left. (Declared before
  // the connection, so that it outlives every call it may cancel.) A second Ctrl-C ends the
  // process at once.
  StopRequest stop;
  StopSignals stop_signals([&stop](std::string_view signal) { stop.request(std::string(signal)); });
  // Now for real, on a connection that may write, planning again: another process may have
  // moved the database meanwhile. The first plan goes first: each step holds its section's
  // SQL, and the two plans at once were the run's peak (1,000 migrations: ~1 MB of 16).
  reader.reset();
  planned.plan = Plan();
  ConnectOptions writing = options.connection;
  writing.read_only = false;
  // At once, even while a step's progress line is open (--lock-mode transaction waits there).
  writing.on_lock_wait = [&console](std::string_view text) { console.note_now(text); };
  std::unique_ptr<Connection> writer = open_database(url, writing);
  std::optional<MigrationLock> lock;
  std::optional<Planned> work;
  try {
    if (options.backup) {
      writer->check_backup();
    }
    cancellable(&stop, *writer, [&] { lock.emplace(*writer, context.config.table); });
    if (!request.state_table_in_run) {
      // In a transaction: with --lock-mode transaction that is what takes the lock, and two
      // concurrent CREATE TABLE IF NOT EXISTS are not safe in PostgreSQL without one.
      std::optional<Transaction> creating;
      cancellable(&stop, *writer, [&] { creating.emplace(*writer); });
      StateTable(*writer, context.config.table).ensure();
      creating->commit();
    }
    work.emplace(plan_against(*writer, true, context, graph, make_plan, /*to_run=*/true));
    if (work->plan.empty()) {
      console.info("Nothing to {}: another process did it meanwhile.", verb);
      return ExitCode::success;
    }
    if (options.backup) {
      std::filesystem::path path =
          writer->default_backup_path(format_file_timestamp(context.clock.now()));
      writer->backup(path);
      console.info("Backed up {} to {}", database, display_path(path, context.cwd).string());
    }
  } catch (const Error&) {
    if (!stop.requested()) {
      throw;
    }
    throw Interrupted(fmt::format("interrupted ({}) before the first {} step: nothing was run",
                                  stop.reason(), verb));
  }
  execution.stop = &stop;
  const Plan& plan = work->plan;
  // Printed with the first step: a section that does not parse stops the run before any step,
  // and then no header announces steps that never run.
  std::string heading = fmt::format("{} {}: {} step{}{}", progressive(verb), database,
                                    plan.steps.size(), plan.steps.size() == 1 ? "" : "s",
                                    !options.fake     ? ""
                                    : verb == "adopt" ? " (recording only: nothing runs)"
                                                      : " (--fake: recording only)");
  ConsoleProgress progress(console, plan, heading);
  Executor executor(*writer, work->state, context.clock, execution, progress);
  ExecutionSummary summary;
  try {
    summary = executor.run(plan);
  } catch (const Interrupted&) {
    progress.step_failed("interrupted");
    if (const PlanStep* stopped = redo_left_reverted(verb, execution, progress)) {
      console.note(
          fmt::format("{} is reverted, and its up section did not finish: `migrate "
                      "upgrade` finishes it",
                      stopped->stem));
    }
    throw;
  } catch (...) {
    progress.step_failed("failed");
    // A redo whose new up section failed has taken the migration back already: say where that
    // leaves it, before the error.
    if (const PlanStep* failed = redo_left_reverted(verb, execution, progress)) {
      console.note(fmt::format(
          "{} is reverted and pending now: fix its up section, then `migrate upgrade` applies it",
          failed->stem));
    }
    throw;
  }

  DatabaseStatus after = reconcile(graph, work->state.read());
  std::vector<std::string> parts;
  if (summary.applied > 0) {
    parts.push_back(fmt::format("{} applied", summary.applied));
  }
  if (summary.reverted > 0) {
    parts.push_back(fmt::format("{} reverted", summary.reverted));
  }
  if (summary.forgotten > 0) {
    parts.push_back(fmt::format(
        "{} repeatable{} forgotten (the next upgrade to head runs {} again)", summary.forgotten,
        summary.forgotten == 1 ? "" : "s", summary.forgotten == 1 ? "it" : "them"));
  }
  if (summary.rekeyed > 0) {
    parts.push_back(fmt::format("{} re-keyed", summary.rekeyed));
  }
  if (summary.recorded > 0) {
    parts.push_back(fmt::format("{} recorded (nothing run)", summary.recorded));
  }
  if (summary.skipped > 0) {
    parts.push_back(fmt::format("{} already done by another process", summary.skipped));
  }
  console.info("Done in {} ms: {}. {}.", summary.took.count(), fmt::join(parts, ", "),
               where_it_is(graph, after, database));
  if (summary.applied + summary.reverted > 0 && !options.fake) {
    rewrite_dump_file(context, *writer);
  }
  return ExitCode::success;
}

}  // namespace migrate
