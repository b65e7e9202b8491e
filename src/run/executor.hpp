#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "db/connection.hpp"
#include "plan/plan.hpp"
#include "state/applied_migration.hpp"

namespace migrate {

class Clock;
class ExecutionListener;
class StateTable;
class StopRequest;
class Transaction;

/// A migration's SQL failed. The message names the file, line and statement, quotes the
/// database's error, and says what state the database is left in.
class MigrationFailed : public DbError {
 public:
  using DbError::DbError;
};

struct ExecutionOptions {
  bool fake = false;                ///< record the steps without running their SQL
  bool single_transaction = false;  ///< every step in one transaction: all or nothing
  /// With single_transaction: the state table is created in that transaction too, so a run
  /// that does not finish leaves no table behind (adopt: the table marks an adopted database).
  bool create_state_table = false;
  std::string applied_by;
  std::string git_commit;
  /// Who may stop the run (Ctrl-C): the migration statement or lock wait in flight is cancelled,
  /// the step ends as a failure would (a transaction rolls back; a transaction:false section
  /// keeps what it recorded) and run() throws Interrupted. Null: nobody.
  StopRequest* stop = nullptr;
};

struct ExecutionSummary {
  int applied = 0;
  int reverted = 0;
  int forgotten = 0;  ///< Flyway repeatables' rows taken by a downgrade: nothing run
  int rekeyed = 0;
  int recorded = 0;  ///< squashes recorded, and --fake steps: nothing run
  int skipped = 0;
  std::chrono::milliseconds took{0};
};

/// True when a statement starts or ends a transaction itself (BEGIN, COMMIT…): such a section
/// runs as written, outside the executor's transaction.
bool manages_own_transaction(const Connection& connection,
                             const std::vector<Statement>& statements);

/// True when a statement may leave something in the session (a SET, a DO block…): a --sql
/// script resets the session after such a migration (Dialect::session_change).
bool changes_session(const Connection& connection, const std::vector<Statement>& statements);

/// Resuming a transaction:false section at statement `from` in a new session: which of the
/// statements before it to run again so the rest runs in the session it was written for — the
/// SETs and RESETs that still count at `from` (a SET that a later SET or RESET of the same
/// setting, or a RESET ALL, undid is left out), in order. `lost` is set when an earlier
/// statement may have changed the session in a way that cannot be replayed (DO, DISCARD,
/// set_config()).
std::vector<std::size_t> session_replay(const Connection& connection,
                                        const std::vector<Statement>& statements, std::size_t from,
                                        bool& lost);

/// Every step's statements, split before anything runs, so a section that does not parse (a
/// PostgreSQL syntax error) stops the run before its first step: ParseError naming the file and
/// line. Rekey steps run no SQL and get no statements.
std::vector<std::vector<Statement>> split_plan(const Plan& plan, const Connection& connection);

/// Throws UsageError, before anything runs, when --single-transaction meets a step that cannot
/// join the one transaction: transaction:false, foreign_keys:off (SQLite), its own BEGIN/COMMIT.
void check_single_transaction(const Plan& plan,
                              const std::vector<std::vector<Statement>>& statements,
                              const Connection& connection, bool fake);

/// The state-table row recording `step`'s migration as applied (executor and --sql scripts).
AppliedMigration applied_row(const PlanStep& step, const ExecutionOptions& options,
                             std::string applied_at, std::int64_t duration_ms);

/// Runs a plan against a database. Each migration runs in its own transaction together with its
/// state row, re-checking inside it that the step is still needed, so a failure leaves the
/// database exactly at the previous migration and concurrent runs never apply one twice.
/// `transaction:false` sections run statement by statement and record their progress.
class Executor {
 public:
  Executor(Connection& connection, StateTable& state, const Clock& clock, ExecutionOptions options,
           ExecutionListener& listener);

  /// Throws MigrationFailed (exit 1) saying which statement failed and what state the database
  /// is left in; Interrupted (exit 1), saying the same, when ExecutionOptions::stop stopped it;
  /// UsageError when --single-transaction meets a section that cannot join it.
  ExecutionSummary run(const Plan& plan);

 private:
  using Statements = std::vector<Statement>;
  using Clock_ = std::chrono::steady_clock;
  /// How a step ended: nullopt when it was skipped (another process did it), otherwise how long
  /// it took, measured when its state row is written. That is the duration_ms the row records,
  /// and the one the listener hears, so the output and `history` agree.
  using Took = std::optional<std::chrono::milliseconds>;

  bool run_step(const PlanStep& step, const Statements& statements, bool in_outer_transaction);
  /// An apply or revert inside a transaction, with its state-table change.
  Took run_in_transaction(const PlanStep& step, const Statements& statements, bool outer);
  Took apply_step_by_step(const PlanStep& step, const Statements& statements);
  Took revert(const PlanStep& step, const Statements& statements, bool outer);
  Took rekey(const PlanStep& step, bool outer);
  Took record(const PlanStep& step, bool outer);
  /// Runs statements [from, end), calling `after(i)` once statement i succeeded.
  void run_statements(const PlanStep& step, const Statements& statements, std::size_t from,
                      const std::string& consequence,
                      const std::function<void(std::size_t)>& after = {});
  /// After a migration's last statement, before its state-row write: whatever the statements
  /// SET in the session (search_path, ROLE, statement_timeout…) is undone, so the write and the
  /// next migration start from migrate's own session (Connection::reset_session).
  void end_statements(const Statements& statements);
  /// Resuming a transaction:false section at `from`: the SETs among the statements an earlier
  /// run did are run again, so the rest runs in the session it was written for.
  void restore_session(const PlanStep& step, const Statements& statements, std::size_t from);
  /// Inside the step's transaction, with the write lock held: whether an apply is still to do.
  /// A migration is while it has no row; a Flyway repeatable while it has none or one with
  /// another checksum (or stopped part-way), which is deleted then, for the row of this run.
  bool still_to_apply(const PlanStep& step);
  bool manages_own_transaction(const Statements& statements) const;
  AppliedMigration make_row(const PlanStep& step, std::chrono::milliseconds took) const;
  /// True when the step's statements run outside one transaction of the step's own (a
  /// transaction:false section, a resume, a file with its own BEGIN/COMMIT), so a stop or a
  /// failure part-way leaves what ran.
  bool runs_outside_transaction(const PlanStep& step, const Statements& statements) const;
  /// What a stop left of `step` when it came outside its statements (waiting for a lock,
  /// writing the state table).
  std::string stopped_outside_statements(const PlanStep& step, const Statements& statements) const;
  std::string rolled_back() const;
  /// Begins a step's transaction, a wait for the lock a stop request may cancel.
  void begin(std::optional<Transaction>& transaction);
  bool stopped() const;
  /// "interrupted (Ctrl-C)".
  std::string interrupted() const;

  Connection& m_connection;
  StateTable& m_state;
  const Clock& m_clock;
  ExecutionOptions m_options;
  ExecutionListener& m_listener;
  int m_done_in_run = 0;
};

}  // namespace migrate
