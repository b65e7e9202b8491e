// The executor stopped by a StopRequest (what Ctrl-C and SIGTERM make) from another thread, as
// the stop signals' waiter does, against real SQLite files: the statement in flight is
// interrupted, the step ends as a failure would (rolled back, or for transaction:false its
// progress kept), and run() throws Interrupted saying so. Assertions read the file with the raw
// C API.
#include <catch2/catch.hpp>

#include <string>
#include <thread>
#include <vector>

#include "support/migration_project.hpp"
#include "support/sqlite_probe.hpp"
#include "util/stop_request.hpp"

using namespace migrate;
using namespace migrate::test;
using Strings = std::vector<std::string>;

namespace {

/// A statement that runs until it is interrupted (about a minute otherwise), counting to the
/// number in the table `loops`, which the test lowers to let a rerun finish.
constexpr const char* kUntilStopped =
    "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c "
    "WHERE n < (SELECT n FROM loops)) SELECT count(*) FROM c;\n";

/// Requests the stop from a thread of its own when statement `statement` (1-based) of migration
/// `id` starts, as Ctrl-C would while it runs; or, with statement 0, once that migration is done
/// (then on the executor's own thread, between two steps).
class StopAt final : public ExecutionListener {
 public:
  StopAt(StopRequest& stop, std::string id, std::size_t statement)
      : m_stop(stop), m_id(std::move(id)), m_statement(statement) {}
  StopAt(const StopAt&) = delete;
  StopAt& operator=(const StopAt&) = delete;
  ~StopAt() override {
    if (m_thread.joinable()) {
      m_thread.join();
    }
  }
  void statement_started(const PlanStep& step, std::size_t index, std::size_t /*count*/,
                         const Statement& /*statement*/) override {
    if (step.id.text() == m_id && index + 1 == m_statement) {
      // request() returns once the cancel took: never on the thread it cancels.
      m_thread = std::thread([this] { m_stop.request("test"); });
    }
  }
  void step_finished(const PlanStep& step, std::chrono::milliseconds /*took*/) override {
    if (step.id.text() == m_id && m_statement == 0) {
      m_stop.request("test");
    }
  }

 private:
  StopRequest& m_stop;
  std::string m_id;
  std::size_t m_statement;
  std::thread m_thread;
};

/// Makes kUntilStopped count for ever.
void count_for_ever(const MigrationProject& project) {
  sqlite_exec(project.database, "CREATE TABLE loops (n); INSERT INTO loops VALUES (1000000000)");
}

/// The Interrupted a run of `plan` throws, stopped through `stop` (see StopAt).
std::string interrupted_message(MigrationProject& project, const Plan& plan, StopRequest& stop,
                                ExecutionListener& listener) {
  ExecutionOptions options = project.options;
  options.stop = &stop;
  ProjectConnection& c = project.connection();
  Executor executor(c.db, c.state, project.clock, options, listener);
  try {
    executor.run(plan);
  } catch (const Interrupted& e) {
    CHECK(e.exit_code() == ExitCode::failure);
    return e.what();
  }
  FAIL("not interrupted");
  return {};
}

/// The Interrupted a run of `plan` throws when stopped at `statement` of `id` (StopAt).
std::string interrupted_at(MigrationProject& project, const Plan& plan, const std::string& id,
                           std::size_t statement) {
  StopRequest stop;
  StopAt listener(stop, id, statement);
  return interrupted_message(project, plan, stop, listener);
}

/// Another connection takes the write lock on start(); a thread of its own then requests the
/// stop 200 ms later, and lets the lock go 2 s after that, within the lock timeout (5 s): a run
/// that went on waiting for the lock would then go on, not be interrupted.
class LockedOutThenStopped {
 public:
  LockedOutThenStopped(const MigrationProject& project, StopRequest& stop)
      : m_other(project.connect()), m_stop(stop) {}
  LockedOutThenStopped(const LockedOutThenStopped&) = delete;
  LockedOutThenStopped& operator=(const LockedOutThenStopped&) = delete;
  ~LockedOutThenStopped() {
    if (m_thread.joinable()) {
      m_thread.join();
    }
  }
  void start() {
    m_other->db.begin();
    m_thread = std::thread([this] {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      m_stop.request("test");
      std::this_thread::sleep_for(std::chrono::seconds(2));
      m_other->db.rollback();
    });
  }

 private:
  std::unique_ptr<ProjectConnection> m_other;
  StopRequest& m_stop;
  std::thread m_thread;
};

/// Starts a LockedOutThenStopped when statement 1 of a step starts: what waits for the lock
/// after it (a transaction:false section's progress write) is stopped there.
class LockAfterFirstStatement final : public ExecutionListener {
 public:
  explicit LockAfterFirstStatement(LockedOutThenStopped& lock) : m_lock(lock) {}
  void statement_started(const PlanStep& /*step*/, std::size_t index, std::size_t /*count*/,
                         const Statement& /*statement*/) override {
    if (index == 0) {
      m_lock.start();
    }
  }

 private:
  LockedOutThenStopped& m_lock;
};

/// The Interrupted of a run of `plan` that waits for the write lock another connection holds.
std::string interrupted_while_locked_out(MigrationProject& project, const Plan& plan) {
  StopRequest stop;
  LockedOutThenStopped lock(project, stop);
  lock.start();
  ExecutionListener listener;
  return interrupted_message(project, plan, stop, listener);
}

}  // namespace

TEST_CASE("executor stopped: the statement in flight is interrupted and its step rolled back",
          "[run][stop]") {
  MigrationProject project;
  project.write("001_a.sql", "-- migrate:up\nCREATE TABLE a (x);\n");
  project.write("002_b.sql", std::string("-- migrate:up\nCREATE TABLE b (x);\n"
                                         "INSERT INTO b VALUES (1);\n") +
                                 kUntilStopped);
  project.write("003_c.sql", "-- migrate:up\nCREATE TABLE c (x);\n");
  count_for_ever(project);
  std::string message = interrupted_at(project, project.plan_upgrade(), "002", 3);
  CHECK(message ==
        "interrupted (test) at statement 3 of 3 in the up section of 002_b. It was rolled back: "
        "nothing of it is applied, and the 1 step before it in this run stays done.");
  CHECK(schema_objects(project.database) == Strings{"a", "loops", "schema_migrations"});
  CHECK(applied_ids(project.database) == Strings{"001"});
  CHECK_FALSE(project.connection().db.in_transaction());
  // The connection works on: the rest is applied by the next run.
  sqlite_exec(project.database, "UPDATE loops SET n = 10");
  CHECK(project.upgrade().applied == 2);
  CHECK(applied_ids(project.database) == Strings{"001", "002", "003"});
}

TEST_CASE(
    "executor stopped: transaction:false keeps what it recorded, a rerun resumes at the "
    "interrupted statement",
    "[run][stop]") {
  MigrationProject project;
  project.write("001_steps.sql", std::string("-- migrate:up transaction:false\n"
                                             "CREATE TABLE a (x);\n") +
                                     kUntilStopped + "CREATE TABLE c (x);\n");
  count_for_ever(project);
  std::string message = interrupted_at(project, project.plan_upgrade(), "001", 2);
  CHECK(message ==
        "interrupted (test) at statement 2 of 3 in the up section of 001_steps. Statements 1-1 of "
        "3 were applied and are recorded: the section is partly applied. Run it again: it "
        "resumes at statement 2.");
  // The interrupted statement is not counted as done.
  CHECK(sqlite_rows(project.database,
                    "SELECT id, statements_done, statements_total FROM schema_migrations") ==
        Rows{{"001", "1", "3"}});
  CHECK(schema_objects(project.database) == Strings{"a", "loops", "schema_migrations"});

  sqlite_exec(project.database, "UPDATE loops SET n = 10");
  project.listener.events.clear();
  CHECK(project.upgrade().applied == 1);
  CHECK(project.listener.events ==
        Strings{"start 001", "statement 001 2/3", "statement 001 3/3", "finish 001"});
  CHECK(sqlite_rows(project.database,
                    "SELECT id, statements_done, statements_total FROM schema_migrations") ==
        Rows{{"001", "3", "3"}});
}

TEST_CASE("executor stopped: between two steps, the next one does not start", "[run][stop]") {
  MigrationProject project;
  project.write("001_a.sql", "-- migrate:up\nCREATE TABLE a (x);\n");
  project.write("002_b.sql", "-- migrate:up\nCREATE TABLE b (x);\n");
  project.write("003_c.sql", "-- migrate:up\nCREATE TABLE c (x);\n");
  std::string message = interrupted_at(project, project.plan_upgrade(), "001", 0);
  CHECK(message ==
        "interrupted (test) before 002_b. The 1 step before it in this run stays done; it and "
        "the steps after it did not run.");
  CHECK(applied_ids(project.database) == Strings{"001"});
  CHECK(schema_objects(project.database) == Strings{"a", "schema_migrations"});
}

TEST_CASE("executor stopped: --single-transaction rolls every step back", "[run][stop]") {
  MigrationProject project;
  project.options.single_transaction = true;
  project.write("001_a.sql", "-- migrate:up\nCREATE TABLE a (x);\n");
  project.write("002_b.sql", std::string("-- migrate:up\n") + kUntilStopped);
  count_for_ever(project);
  std::string message = interrupted_at(project, project.plan_upgrade(), "002", 1);
  CHECK(message ==
        "interrupted (test) at statement 1 of 1 in the up section of 002_b. Everything was rolled "
        "back (--single-transaction): no migration of this run is applied.");
  CHECK(applied_ids(project.database).empty());
  CHECK(schema_objects(project.database) == Strings{"loops", "schema_migrations"});
}

TEST_CASE("executor stopped: a step waiting for the write lock stops waiting", "[run][stop]") {
  MigrationProject project;
  project.write("001_a.sql", "-- migrate:up\nCREATE TABLE a (x);\n");
  std::string message = interrupted_while_locked_out(project, project.plan_upgrade());
  CHECK_THAT(message, Catch::StartsWith("interrupted (test) "));
  CHECK_THAT(message, Catch::EndsWith("the database is as it was before this run."));
  CHECK(applied_ids(project.database).empty());
}

TEST_CASE("executor stopped: a transaction:false section stopped between statements says so",
          "[run][stop]") {
  MigrationProject project;
  project.write("001_steps.sql",
                "-- migrate:up transaction:false\nSELECT 1;\nCREATE TABLE b (x);\n");
  Plan plan = project.plan_upgrade();
  std::string message;
  {
    StopRequest stop;
    LockedOutThenStopped lock(project, stop);
    LockAfterFirstStatement listener(lock);
    message = interrupted_message(project, plan, stop, listener);
  }
  CHECK(message ==
        "interrupted (test) in apply 001_steps. It runs outside a transaction, statement by "
        "statement: the statements recorded as done stay done (`migrate current` shows how far it "
        "got), and the next upgrade resumes after them; the statement that ran last may not be "
        "recorded yet and run again.");
  CHECK(sqlite_rows(project.database,
                    "SELECT statements_done, statements_total FROM "
                    "schema_migrations") == Rows{{"0", "2"}});
  // The rerun resumes at statement 1, which ran: harmless here.
  CHECK(project.upgrade().applied == 1);
  CHECK(schema_objects(project.database) == Strings{"b", "schema_migrations"});
}

TEST_CASE("executor stopped: --single-transaction waiting for the write lock stops waiting",
          "[run][stop]") {
  MigrationProject project;
  project.options.single_transaction = true;
  project.write("001_a.sql", "-- migrate:up\nCREATE TABLE a (x);\n");
  std::string message = interrupted_while_locked_out(project, project.plan_upgrade());
  CHECK(message == "interrupted (test) before 001_a. The database is as it was before this run.");
  CHECK(applied_ids(project.database).empty());
}
