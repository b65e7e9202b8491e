#include "run/executor.hpp"

#include <algorithm>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "db/cancellable.hpp"
#include "db/transaction.hpp"
#include "migration/migration_parser.hpp"
#include "run/execution_listener.hpp"
#include "state/state_table.hpp"
#include "util/clock.hpp"
#include "util/stop_request.hpp"
#include "util/text.hpp"

namespace migrate {

namespace {

constexpr std::size_t kExcerptLines = 6;

/// SQLite's `foreign_keys:off`: the switch only works outside a transaction, so it is flipped
/// before the transaction begins and restored after it ends, whatever happens in between.
class ForeignKeysOff {
 public:
  ForeignKeysOff(Connection& connection, bool wanted)
      : m_connection(connection), m_switch(connection.dialect().foreign_key_switch()) {
    if (wanted && m_switch != nullptr) {
      m_restore = m_switch->enabled(connection.query(m_switch->state_query()));
      connection.execute(m_switch->set(false));
      m_active = true;
    }
  }
  ForeignKeysOff(const ForeignKeysOff&) = delete;
  ForeignKeysOff& operator=(const ForeignKeysOff&) = delete;
  ~ForeignKeysOff() {
    if (m_active && m_restore) {
      try {
        m_connection.execute(m_switch->set(true));
      } catch (const std::exception&) {  // the connection is closing anyway
      }
    }
  }
  bool active() const { return m_active; }
  /// Throws StatementError naming the rows that break a foreign key.
  void check() const {
    std::string violations =
        m_switch->describe_violations(m_connection.query(m_switch->check_query()));
    if (!violations.empty()) {
      throw StatementError(violations, std::nullopt);
    }
  }

 private:
  Connection& m_connection;
  const ForeignKeySwitch* m_switch;
  bool m_active = false;
  bool m_restore = false;
};

std::string section_name(const PlanStep& step) {
  return step.kind == PlanStep::Kind::revert ? "down" : "up";
}

int line_of(const Section& section, std::size_t offset) {
  return section.first_line + line_at(section.sql, offset) - 1;
}

std::string excerpt(std::string_view sql) {
  std::vector<Line> lines = split_lines(sql);
  std::string out;
  for (std::size_t i = 0; i < lines.size() && i < kExcerptLines; ++i) {
    out += fmt::format("    {}\n", lines[i].text);
  }
  if (lines.size() > kExcerptLines) {
    out += fmt::format("    … ({} more lines)\n", lines.size() - kExcerptLines);
  }
  return out;
}

std::chrono::milliseconds since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start);
}

}  // namespace

Executor::Executor(Connection& connection, StateTable& state, const Clock& clock,
                   ExecutionOptions options, ExecutionListener& listener)
    : m_connection(connection),
      m_state(state),
      m_clock(clock),
      m_options(std::move(options)),
      m_listener(listener) {}

ExecutionSummary Executor::run(const Plan& plan) {
  auto started = Clock_::now();
  std::vector<Statements> statements = split_plan(plan, m_connection);
  ExecutionSummary summary;
  auto run = [&](std::size_t i, bool outer) {
    const PlanStep& step = plan.steps[i];
    if (stopped()) {
      throw Interrupted(fmt::format(
          "{} before {}. {}", interrupted(), step.stem,
          m_options.single_transaction ? rolled_back()
          : m_done_in_run > 0
              ? fmt::format("The {} step{} before it in this run stay{} done; it and the steps "
                            "after it did not run.",
                            m_done_in_run, m_done_in_run == 1 ? "" : "s",
                            m_done_in_run == 1 ? "s" : "")
              : std::string("The database is as it was before this run.")));
    }
    bool done = false;
    try {
      done = run_step(step, statements[i], outer);
    } catch (const Interrupted&) {
      throw;
    } catch (const Error&) {
      if (!stopped()) {
        throw;
      }
      // Stopped outside the statements (waiting for the lock, writing the state table).
      throw Interrupted(fmt::format("{} in {} {}. {}", interrupted(), step_verb(step), step.stem,
                                    stopped_outside_statements(step, statements[i])));
    }
    if (!done) {
      ++summary.skipped;
    } else if (step.kind == PlanStep::Kind::revert) {
      bool repeatable = step.migration != nullptr && step.migration->repeatable;
      ++(repeatable ? summary.forgotten : summary.reverted);
    } else if (step.kind == PlanStep::Kind::rekey) {
      ++summary.rekeyed;
    } else if (step.kind == PlanStep::Kind::record || m_options.fake) {
      ++summary.recorded;
    } else {
      ++summary.applied;
    }
  };
  if (m_options.single_transaction) {
    check_single_transaction(plan, statements, m_connection, m_options.fake);
    std::optional<Transaction> transaction;
    try {
      begin(transaction);
      if (m_options.create_state_table) {
        m_state.ensure();
      }
    } catch (const Error&) {
      if (!stopped() || plan.steps.empty()) {
        throw;
      }
      throw Interrupted(fmt::format("{} before {}. The database is as it was before this run.",
                                    interrupted(), plan.steps.front().stem));
    }
    for (std::size_t i = 0; i < plan.steps.size(); ++i) {
      run(i, true);
    }
    transaction->commit();
  } else {
    for (std::size_t i = 0; i < plan.steps.size(); ++i) {
      run(i, false);
    }
  }
  summary.took = since(started);
  return summary;
}

std::vector<std::vector<Statement>> split_plan(const Plan& plan, const Connection& connection) {
  std::vector<std::vector<Statement>> statements(plan.steps.size());
  for (std::size_t i = 0; i < plan.steps.size(); ++i) {
    const PlanStep& step = plan.steps[i];
    if (step.kind == PlanStep::Kind::rekey || step.kind == PlanStep::Kind::record) {
      continue;  // nothing runs
    }
    try {
      statements[i] = connection.dialect().split(step.section.sql);
    } catch (const StatementError& e) {
      const Section& section = step.section;
      throw ParseError(section.file, line_of(section, e.offset().value_or(0)),
                       fmt::format("the {} section of {} does not parse: {}. Nothing was run",
                                   section_name(step), step.stem, e.what()));
    }
  }
  return statements;
}

bool manages_own_transaction(const Connection& connection,
                             const std::vector<Statement>& statements) {
  return std::any_of(statements.begin(), statements.end(), [&](const Statement& statement) {
    return connection.dialect().controls_transaction(statement.sql);
  });
}

void check_single_transaction(const Plan& plan,
                              const std::vector<std::vector<Statement>>& statements,
                              const Connection& connection, bool fake) {
  for (std::size_t i = 0; i < plan.steps.size(); ++i) {
    const PlanStep& step = plan.steps[i];
    if (step.kind == PlanStep::Kind::rekey || step.kind == PlanStep::Kind::record || fake) {
      continue;
    }
    const SectionOptions& options = step.section.options;
    std::string why;
    if (step.kind == PlanStep::Kind::resume || !options.transaction) {
      why = "its section is transaction:false";
    } else if (!options.foreign_keys && connection.dialect().foreign_key_switch()) {
      why = "its section is foreign_keys:off, which SQLite can only switch outside a transaction";
    } else if (manages_own_transaction(connection, statements[i])) {
      why = "its section has its own BEGIN/COMMIT";
    }
    if (!why.empty()) {
      throw UsageError(
          fmt::format("--single-transaction cannot include {}: {}. Nothing was run; run without "
                      "--single-transaction, or stop at the migration before it first",
                      step.stem, why));
    }
  }
}

bool Executor::run_step(const PlanStep& step, const Statements& statements, bool outer) {
  if (!step.section.options.foreign_keys && !m_connection.dialect().foreign_key_switch() &&
      step.kind != PlanStep::Kind::rekey && step.kind != PlanStep::Kind::record) {
    m_listener.note(fmt::format(
        "{}: foreign_keys:off is SQLite's switch for table rebuilds and does nothing here",
        step.stem));
  }
  m_listener.step_started(step);
  auto started = Clock_::now();
  Took took;
  if (step.kind == PlanStep::Kind::rekey) {
    took = rekey(step, outer);
  } else if (step.kind == PlanStep::Kind::record) {
    took = record(step, outer);
  } else if (step.kind == PlanStep::Kind::resume && m_options.fake) {
    // A section that stopped part-way, faked: the rest is recorded as done, nothing runs. (The
    // row exists, so the re-check of run_in_transaction would wrongly skip it.)
    int total = static_cast<int>(statements.size());
    took = since(started);
    m_state.run(
        m_state.progress_command(step.id, total, total, took->count(), step.migration->checksum));
  } else {
    const Statements& to_run = m_options.fake ? Statements{} : statements;
    if (step.kind == PlanStep::Kind::revert) {
      took = revert(step, to_run, outer);
    } else if (runs_outside_transaction(step, statements)) {
      took = apply_step_by_step(step, to_run);
    } else {
      took = run_in_transaction(step, to_run, outer);
    }
  }
  if (took) {
    ++m_done_in_run;
    m_listener.step_finished(step, *took);
  }
  return took.has_value();
}

bool Executor::runs_outside_transaction(const PlanStep& step, const Statements& statements) const {
  if (m_options.fake || step.kind == PlanStep::Kind::rekey || step.kind == PlanStep::Kind::record) {
    return false;
  }
  return step.kind == PlanStep::Kind::resume || !step.section.options.transaction ||
         manages_own_transaction(statements);
}

std::string Executor::stopped_outside_statements(const PlanStep& step,
                                                 const Statements& statements) const {
  if (!runs_outside_transaction(step, statements)) {
    return rolled_back();
  }
  if (manages_own_transaction(statements)) {
    return "It manages its own transactions (BEGIN/COMMIT in the file): what it committed "
           "stays, and it may not be recorded as applied. Check the database before running it "
           "again.";
  }
  if (step.kind == PlanStep::Kind::revert) {
    return "Its down section runs outside a transaction: the statements that ran stay, and the "
           "migration is still recorded as applied. Check the database before running it again.";
  }
  return "It runs outside a transaction, statement by statement: the statements recorded as done "
         "stay done (`migrate current` shows how far it got), and the next upgrade resumes "
         "after them; the statement that ran last may not be recorded yet and run again.";
}

std::string Executor::rolled_back() const {
  if (m_options.single_transaction) {
    return "Everything was rolled back (--single-transaction): no migration of this run is "
           "applied.";
  }
  if (m_done_in_run > 0) {
    return fmt::format(
        "It was rolled back: nothing of it is applied, and the {} step{} before it "
        "in this run stay{} done.",
        m_done_in_run, m_done_in_run == 1 ? "" : "s", m_done_in_run == 1 ? "s" : "");
  }
  return "It was rolled back: the database is as it was before this run.";
}

void Executor::begin(std::optional<Transaction>& transaction) {
  cancellable(m_options.stop, m_connection, [&] { transaction.emplace(m_connection); });
}

bool Executor::stopped() const {
  return m_options.stop != nullptr && m_options.stop->requested();
}

std::string Executor::interrupted() const {
  return fmt::format("interrupted ({})", m_options.stop->reason());
}

Executor::Took Executor::run_in_transaction(const PlanStep& step, const Statements& statements,
                                            bool outer) {
  const bool reverting = step.kind == PlanStep::Kind::revert;
  auto started = Clock_::now();
  ForeignKeysOff foreign_keys(m_connection,
                              !outer && !m_options.fake && !step.section.options.foreign_keys);
  std::optional<Transaction> transaction;
  if (!outer) {
    begin(transaction);
  }
  // Inside the transaction, with the write lock held: is the step still to do?
  if (reverting ? !m_state.contains(step.id) : !still_to_apply(step)) {
    m_listener.step_skipped(step, reverting ? "already reverted by another process"
                                            : "already applied by another process");
    return std::nullopt;
  }
  run_statements(step, statements, 0, rolled_back());
  if (foreign_keys.active()) {
    try {
      foreign_keys.check();
    } catch (const DbError& e) {
      throw MigrationFailed(fmt::format("{}: {} {} (section foreign_keys:off): {}\n{}",
                                        step.section.file.string(), step_verb(step), step.stem,
                                        e.what(), rolled_back()));
    }
  }
  end_statements(statements);
  std::chrono::milliseconds took = since(started);
  m_state.run(reverting ? m_state.delete_command(step.id)
                        : m_state.insert_command(make_row(step, took)));
  if (transaction) {
    transaction->commit();
  }
  return took;
}

Executor::Took Executor::apply_step_by_step(const PlanStep& step, const Statements& statements) {
  auto started = Clock_::now();
  const bool own = manages_own_transaction(statements);
  const int total = static_cast<int>(statements.size());
  if (step.kind == PlanStep::Kind::apply && !own) {
    // Claim the migration first: the row (0 of N done) is what lets a rerun resume.
    std::optional<Transaction> transaction;
    begin(transaction);
    if (!still_to_apply(step)) {
      m_listener.step_skipped(step, "already applied by another process");
      return std::nullopt;
    }
    AppliedMigration row = make_row(step, since(started));
    row.statements_done = 0;
    row.statements_total = total;
    m_state.run(m_state.insert_command(row));
    transaction->commit();
  }
  if (own) {
    m_listener.note(
        fmt::format("{} has its own BEGIN/COMMIT: it runs as written, and its state "
                    "row is written after it",
                    step.stem));
    run_statements(step, statements, 0,
                   "It manages its own transactions (BEGIN/COMMIT in the file): what it committed "
                   "before the failure stays, and it is not recorded as applied. Check the "
                   "database before running it again.");
    end_statements(statements);
    Transaction transaction(m_connection);
    if (!still_to_apply(step)) {
      m_listener.step_skipped(step, "recorded by another process meanwhile");
      return std::nullopt;
    }
    std::chrono::milliseconds took = since(started);
    m_state.run(m_state.insert_command(make_row(step, took)));
    transaction.commit();
    return took;
  }
  std::size_t from = static_cast<std::size_t>(std::clamp(step.resume_from, 0, total));
  std::string checksum = recorded_checksum(step);
  std::chrono::milliseconds took{0};
  restore_session(step, statements, from);
  auto record_progress = [&](std::size_t done) {
    if (done == statements.size()) {
      end_statements(statements);
    }
    took = since(started);
    // The section's SETs (a role without rights on the state table, read-only mode, a tiny
    // statement_timeout) stay for its next statement, but not for this write: it runs as
    // migrate, in a transaction whose LOCAL settings end with it.
    cancellable_once_started(m_options.stop, m_connection,
                             [&] { m_connection.begin_state_write(); });
    try {
      m_state.run(
          m_state.progress_command(step.id, static_cast<int>(done), total, took.count(), checksum));
      m_connection.commit();
    } catch (...) {
      m_connection.rollback();
      throw;
    }
  };
  run_statements(step, statements, from, "", [&](std::size_t i) { record_progress(i + 1); });
  if (from == statements.size()) {
    record_progress(statements.size());
  }
  return took;
}

Executor::Took Executor::revert(const PlanStep& step, const Statements& statements, bool outer) {
  if (runs_outside_transaction(step, statements)) {
    auto started = Clock_::now();
    if (!m_state.contains(step.id)) {
      m_listener.step_skipped(step, "already reverted by another process");
      return std::nullopt;
    }
    run_statements(step, statements, 0,
                   "The down section runs outside a transaction: the statements before the "
                   "failing one ran, and the migration is still recorded as applied.");
    end_statements(statements);
    std::chrono::milliseconds took = since(started);
    m_state.run(m_state.delete_command(step.id));
    return took;
  }
  return run_in_transaction(step, statements, outer);
}

Executor::Took Executor::record(const PlanStep& step, bool outer) {
  auto started = Clock_::now();
  std::optional<Transaction> transaction;
  if (!outer) {
    begin(transaction);
  }
  if (m_state.contains(step.id)) {
    m_listener.step_skipped(step, "already recorded by another process");
    return std::nullopt;
  }
  std::chrono::milliseconds took = since(started);
  m_state.run(m_state.insert_command(make_row(step, took)));
  for (const MigrationId& original : step.replaced) {
    m_state.run(m_state.delete_command(original));
  }
  if (transaction) {
    transaction->commit();
  }
  return took;
}

Executor::Took Executor::rekey(const PlanStep& step, bool outer) {
  auto started = Clock_::now();
  std::optional<Transaction> transaction;
  if (!outer) {
    begin(transaction);
  }
  if (!m_state.contains(step.old_id) || m_state.contains(step.id)) {
    m_listener.step_skipped(step, "already re-keyed by another process");
    return std::nullopt;
  }
  std::chrono::milliseconds took = since(started);
  m_state.run(m_state.rekey_command(step.old_id, step.id));
  if (transaction) {
    transaction->commit();
  }
  return took;
}

void Executor::run_statements(const PlanStep& step, const Statements& statements, std::size_t from,
                              const std::string& consequence,
                              const std::function<void(std::size_t)>& after) {
  for (std::size_t i = from; i < statements.size(); ++i) {
    const Statement& statement = statements[i];
    m_listener.statement_started(step, i, statements.size(), statement);
    try {
      cancellable(m_options.stop, m_connection, [&] { m_connection.execute(statement.sql); });
    } catch (const DbError& e) {
      m_connection.rollback();
      std::size_t offset = statement.offset;
      if (const auto* located = dynamic_cast<const StatementError*>(&e);
          located && located->offset()) {
        offset += *located->offset();
      }
      const bool stop = stopped();
      std::string what_now = consequence;
      if (what_now.empty()) {  // step by step, with recorded progress
        what_now = fmt::format(
            "{} {}: it resumes at statement {}.",
            i == 0 ? fmt::format("None of its {} statements ran; the section is recorded as "
                                 "started (0 of {} done).",
                                 statements.size(), statements.size())
                   : fmt::format("Statements 1-{} of {} were applied and are recorded: the "
                                 "section is partly applied.",
                                 i, statements.size()),
            stop ? "Run it again" : "Fix the failing statement and run again", i + 1);
      }
      if (stop) {
        std::string hint = m_connection.interrupted_hint(statement.sql);
        throw Interrupted(fmt::format("{} at statement {} of {} in the {} section of {}. {}{}",
                                      interrupted(), i + 1, statements.size(), section_name(step),
                                      step.stem, what_now,
                                      hint.empty() ? "" : "\n  migrate: " + hint));
      }
      throw MigrationFailed(fmt::format(
          "{}:{}: statement {} of {} in the {} section of {} failed: {}\n{}{}",
          step.section.file.string(), line_of(step.section, offset), i + 1, statements.size(),
          section_name(step), step.stem, e.what(), excerpt(statement.sql), what_now));
    }
    if (after) {
      after(i);
    }
  }
}

void Executor::end_statements(const Statements& statements) {
  // After every migration, not only those whose statements SET: a function they call may.
  if (!statements.empty()) {
    m_connection.reset_session();
  }
}

void Executor::restore_session(const PlanStep& step, const Statements& statements,
                               std::size_t from) {
  bool lost = false;
  for (std::size_t i : session_replay(m_connection, statements, from, lost)) {
    try {
      m_connection.execute(statements[i].sql);
    } catch (const DbError& e) {
      throw MigrationFailed(fmt::format(
          "{}:{}: resuming {} at statement {} runs the SETs before it again, and statement {} "
          "failed: {}\n{}Edit the section so that they still work (statements 1-{} ran already "
          "and will not run again), or finish it by hand and record it with --fake",
          step.section.file.string(), line_of(step.section, statements[i].offset), step.stem,
          from + 1, i + 1, e.what(), excerpt(statements[i].sql), from));
    }
  }
  if (lost) {
    m_listener.note(fmt::format(
        "{}: statements before {} ran in an earlier session and may have changed it (a DO block, "
        "DISCARD or set_config()); their SETs are run again, anything else of theirs is gone",
        step.stem, from + 1));
  }
}

std::vector<std::size_t> session_replay(const Connection& connection,
                                        const std::vector<Statement>& statements, std::size_t from,
                                        bool& lost) {
  std::map<std::string, std::size_t> last;  // setting -> the statement that counts for it
  for (std::size_t i = 0; i < from && i < statements.size(); ++i) {
    SessionChange change = connection.dialect().session_change(statements[i].sql);
    lost = lost || change.effect == SessionEffect::other;
    if (change.effect != SessionEffect::setting || change.local) {
      continue;
    }
    if (change.setting.empty()) {  // RESET ALL, which leaves the role and authorization be
      std::erase_if(last, [](const auto& entry) {
        return entry.first != "role" && entry.first != "session_authorization";
      });
    } else if (change.reset) {
      last.erase(change.setting);
    } else {
      last[change.setting] = i;
    }
  }
  std::vector<std::size_t> replay;
  for (const auto& entry : last) {
    replay.push_back(entry.second);
  }
  std::sort(replay.begin(), replay.end());
  return replay;
}

bool changes_session(const Connection& connection, const std::vector<Statement>& statements) {
  return std::any_of(statements.begin(), statements.end(), [&](const Statement& statement) {
    return connection.dialect().session_change(statement.sql).effect != SessionEffect::none;
  });
}

bool Executor::still_to_apply(const PlanStep& step) {
  if (step.migration == nullptr || !step.migration->repeatable) {
    return !m_state.contains(step.id);
  }
  std::optional<AppliedMigration> row = m_state.find(step.id);
  if (!row) {
    return true;
  }
  if (!row->partial() &&
      (row->checksum == step.migration->checksum || row->checksum == recorded_checksum(step))) {
    return false;
  }
  m_state.run(m_state.delete_command(step.id));  // the row of this run replaces it
  return true;
}

bool Executor::manages_own_transaction(const Statements& statements) const {
  return migrate::manages_own_transaction(m_connection, statements);
}

AppliedMigration Executor::make_row(const PlanStep& step, std::chrono::milliseconds took) const {
  return applied_row(step, m_options, format_utc_timestamp(m_clock.now()), took.count());
}

AppliedMigration applied_row(const PlanStep& step, const ExecutionOptions& options,
                             std::string applied_at, std::int64_t duration_ms) {
  AppliedMigration row;
  row.id = step.id;
  row.checksum = recorded_checksum(step);
  row.applied_at = std::move(applied_at);
  row.duration_ms = duration_ms;
  row.applied_by = options.applied_by;
  row.git_commit = options.git_commit;
  row.title = step.title;
  if (step.migration->down) {
    row.down_sql = stored_section_text(*step.migration->down);
  }
  return row;
}

}  // namespace migrate
