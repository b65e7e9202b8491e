#pragma once

#include <string>

#include "plan/plan.hpp"
#include "run/executor.hpp"

namespace migrate {

class Clock;
class Connection;
class StateTable;

/// The script an Executor would run for `plan` — the migrations' statements inside their
/// transactions, and the state-table statements with their values written out — for review or
/// for running by hand (`--sql`). Nothing touches the database; the connection only splits SQL.
/// Throws UsageError for --single-transaction with a section that cannot join it, as a run would.
std::string render_sql_script(const Plan& plan, const Connection& connection,
                              const StateTable& state, const Clock& clock,
                              const ExecutionOptions& options);

}  // namespace migrate
