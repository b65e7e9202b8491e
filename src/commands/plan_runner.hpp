#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "db/open_database.hpp"
#include "graph/revision_spec.hpp"
#include "plan/plan.hpp"
#include "util/exit_code.hpp"

namespace migrate {

struct Context;
struct DatabaseStatus;
class RevisionGraph;

/// The flags upgrade and downgrade share.
struct RunOptions {
  bool sql = false;                 ///< print the script, touch nothing
  bool dry_run = false;             ///< print the plan, touch nothing
  bool fake = false;                ///< record without running
  bool single_transaction = false;  ///< all or nothing
  bool backup = false;              ///< back the database up before changing it
  /// How long to wait for another migrate, how runs are serialised, and PostgreSQL's timeouts.
  ConnectOptions connection;
};

using PlanMaker = std::function<Plan(const RevisionGraph&, const DatabaseStatus&)>;

/// What a command asks run_plan for.
struct PlanRequest {
  std::string_view verb;  ///< "upgrade", "downgrade", "redo": for messages
  /// Resolved against the migrations before the database is opened, so that an unknown
  /// revision is reported first (relative targets need the database: they are left to the plan).
  RevisionSpec target;
  PlanMaker make_plan;
  /// Refuse (exit 2) a database that has no state table of migrate's while another tool's
  /// records migrations: running them all again would fail, or worse. `migrate adopt` first
  /// (which creates migrate's table, even when it records nothing).
  bool adopt_first = false;
  /// Create the state table in the run's one transaction (with --single-transaction), not
  /// before it: a run that does not finish leaves no table (adopt).
  bool state_table_in_run = false;
  /// The plan shows no down section (an upgrade's): its --dry-run reads no down file.
  bool shows_no_down = false;
};

/// Through the dispatcher's `up`, `down` and `rollback` (habits from golang-migrate, where `down
/// 2` means two steps), a bare small number is ambiguous: steps, or the migration with that
/// id? Refused (UsageError) with both spellings, `sign` being the one for steps ('+' or '-').
void refuse_count_from_habit(const Context& context, const std::optional<std::string>& target,
                             char sign);

/// Loads the migrations and the database state, makes the plan, and then prints it (--dry-run),
/// prints its script (--sql) or runs it, reporting progress and a summary.
ExitCode run_plan(Context& context, const RunOptions& options, const PlanRequest& request);

}  // namespace migrate
