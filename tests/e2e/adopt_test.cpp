// migrate-adopt as a user runs it: a database another tool has been migrating (its state table
// created here in that tool's documented layout, with the rows that tool writes) is taken over,
// on SQLite and on PostgreSQL. The other tool's table is never altered, and afterwards migrate
// carries on where the other tool stopped.
#include <catch2/catch.hpp>

#include <signal.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <memory>
#include <regex>
#include <thread>

#include <fmt/format.h>

#include "support/interrupted_runs.hpp"
#include "support/postgres.hpp"
#include "support/project.hpp"
#include "support/sqlite_probe.hpp"

using namespace migrate::test;
using Catch::Contains;
using Strings = std::vector<std::string>;

namespace {

/// The database a test adopts: a SQLite file in the project, or a PostgreSQL database.
class Target {
 public:
  virtual ~Target() = default;
  virtual std::string url() const = 0;
  virtual void exec(const std::string& sql) const = 0;
  virtual Rows rows(const std::string& sql) const = 0;
  virtual bool postgres() const = 0;
  Strings column(const std::string& sql) const {
    Strings out;
    for (const auto& row : rows(sql)) {
      out.push_back(row.at(0));
    }
    return out;
  }
  /// The ids in migrate's own state table (named in the project's migrate.conf).
  Strings recorded() const {
    return exists("migrate_migrations") ? column("SELECT id FROM migrate_migrations ORDER BY id")
                                        : Strings{};
  }
  bool exists(const std::string& table) const {
    return !column(postgres() ? fmt::format("SELECT 1 FROM pg_tables WHERE tablename = '{}'", table)
                              : fmt::format("SELECT 1 FROM sqlite_schema WHERE name = '{}'", table))
                .empty();
  }
};

class SqliteTarget : public Target {
 public:
  explicit SqliteTarget(const Project& project) : m_file(project.db()) {}
  std::string url() const override { return "sqlite:migrate.db"; }
  void exec(const std::string& sql) const override { sqlite_exec(m_file, sql); }
  Rows rows(const std::string& sql) const override { return sqlite_rows(m_file, sql); }
  bool postgres() const override { return false; }

 private:
  std::filesystem::path m_file;
};

class PostgresTarget : public Target {
 public:
  std::string url() const override { return m_db.url(); }
  void exec(const std::string& sql) const override { m_db.exec(sql); }
  Rows rows(const std::string& sql) const override { return m_db.rows(sql); }
  bool postgres() const override { return true; }

 private:
  PostgresDatabase m_db;
};

/// The database of `project` (SQLite) or a PostgreSQL database of its own.
std::unique_ptr<Target> make_target(bool postgres, const Project& project) {
  if (postgres) {
    return std::make_unique<PostgresTarget>();
  }
  return std::make_unique<SqliteTarget>(project);
}

/// A project whose migrate.conf gives migrate a state table of its own (dbmate and
/// golang-migrate call theirs schema_migrations, migrate's default name), with migrations
/// 0001_a, 0002_b and 0003_c creating tables a, b and c.
void set_up(const Project& project, const Target& target) {
  std::ofstream(project.root() / "migrate.conf")
      << fmt::format("[migrate]\n\tdatabase = {}\n\ttable = migrate_migrations\n", target.url());
  for (const char* name : {"a", "b", "c"}) {
    std::string id = name == std::string("a") ? "0001" : name == std::string("b") ? "0002" : "0003";
    project.add(fmt::format("{}_{}.sql", id, name),
                migration_text(fmt::format("CREATE TABLE {} (x int);", name),
                               fmt::format("DROP TABLE {};", name)));
  }
}

/// What the other tool did: tables a and b exist, and its state table says so.
struct ToolState {
  std::string tool;
  std::string table;   ///< to compare before and after
  std::string sqlite;  ///< the state table and its rows, as that tool writes them on SQLite
  std::string postgres;
  Strings args = {};  ///< what adopt needs besides (a revision, for Alembic and Django)
};

std::vector<ToolState> tool_states() {
  return {
      {"dbmate", "schema_migrations",
       "CREATE TABLE IF NOT EXISTS \"schema_migrations\" (version varchar(128) primary key);"
       "INSERT INTO schema_migrations VALUES ('0001'), ('0002');",
       "CREATE TABLE IF NOT EXISTS public.schema_migrations (version varchar primary key);"
       "INSERT INTO schema_migrations VALUES ('0001'), ('0002');"},
      {"golang-migrate", "schema_migrations",
       "CREATE TABLE IF NOT EXISTS schema_migrations (version uint64,dirty bool);"
       "CREATE UNIQUE INDEX IF NOT EXISTS version_unique ON schema_migrations (version);"
       "INSERT INTO schema_migrations VALUES (2, 0);",
       "CREATE TABLE IF NOT EXISTS schema_migrations (version bigint not null primary key, dirty "
       "boolean not null);"
       "INSERT INTO schema_migrations VALUES (2, false);"},
      // goose's newest row per version decides: version 3 was applied, then rolled back by an
      // older goose (an is_applied = false row); version 0 is goose's own first row.
      {"goose", "goose_db_version",
       "CREATE TABLE goose_db_version (id INTEGER PRIMARY KEY AUTOINCREMENT, version_id INTEGER "
       "NOT NULL, is_applied INTEGER NOT NULL, tstamp TIMESTAMP DEFAULT (datetime('now')));"
       "INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, 1), (1, 1), (2, 1), "
       "(3, 1), (3, 0);",
       "CREATE TABLE goose_db_version (id integer PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, "
       "version_id bigint NOT NULL, is_applied boolean NOT NULL, tstamp timestamp NOT NULL "
       "DEFAULT now());"
       "INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, true), (1, true), "
       "(2, true), (3, true), (3, false);"},
      {"flyway", "flyway_schema_history",
       "CREATE TABLE flyway_schema_history (installed_rank INT NOT NULL PRIMARY KEY, version "
       "VARCHAR(50), description VARCHAR(200) NOT NULL, type VARCHAR(20) NOT NULL, script "
       "VARCHAR(1000) NOT NULL, checksum INT, installed_by VARCHAR(100) NOT NULL, installed_on "
       "TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')), execution_time INT NOT "
       "NULL, success BOOLEAN NOT NULL);"
       "CREATE INDEX flyway_schema_history_s_idx ON flyway_schema_history (success);"
       "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, "
       "checksum, installed_by, execution_time, success) VALUES "
       "(1, '1', 'a', 'SQL', 'V1__a.sql', 1, 'me', 3, 1), "
       "(2, '2', 'b', 'SQL', 'V2__b.sql', 2, 'me', 3, 1), "
       "(3, NULL, 'views', 'SQL', 'R__views.sql', 3, 'me', 3, 1);",
       "CREATE TABLE flyway_schema_history (installed_rank INT NOT NULL, version VARCHAR(50), "
       "description VARCHAR(200) NOT NULL, type VARCHAR(20) NOT NULL, script VARCHAR(1000) NOT "
       "NULL, checksum INTEGER, installed_by VARCHAR(100) NOT NULL, installed_on TIMESTAMP NOT "
       "NULL DEFAULT now(), execution_time INTEGER NOT NULL, success BOOLEAN NOT NULL);"
       "ALTER TABLE flyway_schema_history ADD CONSTRAINT flyway_schema_history_pk PRIMARY KEY "
       "(installed_rank);"
       "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, "
       "checksum, installed_by, execution_time, success) VALUES "
       "(1, '1', 'a', 'SQL', 'V1__a.sql', 1, 'me', 3, true), "
       "(2, '2', 'b', 'SQL', 'V2__b.sql', 2, 'me', 3, true), "
       "(3, NULL, 'views', 'SQL', 'R__views.sql', 3, 'me', 3, true);"},
      {"alembic",
       "alembic_version",
       "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT "
       "alembic_version_pkc PRIMARY KEY (version_num));"
       "INSERT INTO alembic_version VALUES ('ae1027a6acf');",
       "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT "
       "alembic_version_pkc PRIMARY KEY (version_num));"
       "INSERT INTO alembic_version VALUES ('ae1027a6acf');",
       {"0002"}},
      {"django",
       "django_migrations",
       "CREATE TABLE \"django_migrations\" (\"id\" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "
       "\"app\" varchar(255) NOT NULL, \"name\" varchar(255) NOT NULL, \"applied\" datetime NOT "
       "NULL);"
       "INSERT INTO django_migrations (app, name, applied) VALUES ('shop', '0001_initial', "
       "'2026-01-01'), ('shop', '0002_b', '2026-01-02');",
       "CREATE TABLE django_migrations (id bigint NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS "
       "IDENTITY, app varchar(255) NOT NULL, name varchar(255) NOT NULL, applied timestamp with "
       "time zone NOT NULL);"
       "INSERT INTO django_migrations (app, name, applied) VALUES ('shop', '0001_initial', "
       "now()), ('shop', '0002_b', now());",
       {"0002_b"}},
  };
}

/// Sqitch keeps its registry in the schema `sqitch` on PostgreSQL (on SQLite in a file of its
/// own beside the database, which adopt does not read yet).
const char* const kSqitchPostgres =
    "CREATE SCHEMA sqitch;"
    "CREATE TABLE sqitch.changes (change_id TEXT PRIMARY KEY, script_hash TEXT NULL, change TEXT "
    "NOT NULL, project TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', committed_at TIMESTAMPTZ NOT "
    "NULL DEFAULT clock_timestamp(), committer_name TEXT NOT NULL, committer_email TEXT NOT "
    "NULL, planned_at TIMESTAMPTZ NOT NULL, planner_name TEXT NOT NULL, planner_email TEXT NOT "
    "NULL, UNIQUE(project, script_hash));"
    "INSERT INTO sqitch.changes (change_id, script_hash, change, project, committer_name, "
    "committer_email, planned_at, planner_name, planner_email) VALUES "
    "('c1', 'h1', 'a', 'shop', 'me', 'me@x', now(), 'me', 'me@x'), "
    "('c2', 'h2', 'b', 'shop', 'me', 'me@x', now(), 'me', 'me@x');";

/// Adopts the state `state` describes into a project set up for it, and checks what a user
/// would: a and b recorded (nothing run), the other tool's table as it was, c applied next.
void check_adoption(const Target& target, const Project& project, const std::string& tool,
                    const std::string& table, const Strings& args) {
  target.exec("CREATE TABLE a (x int); CREATE TABLE b (x int);");
  Rows theirs = target.rows(fmt::format("SELECT * FROM {}", table));

  ProcessResult upgrade = project.run("migrate-upgrade");
  INFO(upgrade.out << upgrade.err);
  CHECK(upgrade.exit_code == 2);
  CHECK_THAT(upgrade.err, Contains("has been migrated by " + tool));
  CHECK_THAT(upgrade.err, Contains("Run `migrate adopt` first"));
  CHECK_FALSE(target.exists("migrate_migrations"));
  CHECK_FALSE(target.exists("c"));

  Strings adopt_args = args;
  ProcessResult dry_run = project.run("migrate-adopt", [&] {
    Strings a = adopt_args;
    a.push_back("--dry-run");
    return a;
  }());
  INFO(dry_run.out << dry_run.err);
  REQUIRE(dry_run.exit_code == 0);
  CHECK_THAT(dry_run.out, Contains("apply  0001_a"));
  CHECK_THAT(dry_run.out, Contains("apply  0002_b"));
  CHECK_THAT(dry_run.out, !Contains("0003_c"));
  CHECK_FALSE(target.exists("migrate_migrations"));

  ProcessResult adopt = project.run("migrate-adopt", adopt_args);
  INFO(adopt.out << adopt.err);
  REQUIRE(adopt.exit_code == 0);
  CHECK_THAT(adopt.out, Contains("2 recorded (nothing run)"));
  CHECK(target.recorded() == Strings{"0001", "0002"});
  CHECK(target.rows(fmt::format("SELECT * FROM {}", table)) == theirs);

  ProcessResult again = project.run("migrate-adopt", adopt_args);
  CHECK(again.exit_code == 0);
  CHECK_THAT(again.out, Contains("Nothing to adopt"));

  ProcessResult carry_on = project.run("migrate-upgrade");
  INFO(carry_on.out << carry_on.err);
  REQUIRE(carry_on.exit_code == 0);
  CHECK_THAT(carry_on.out, Contains("1 applied"));
  CHECK(target.recorded() == Strings{"0001", "0002", "0003"});
  CHECK(target.exists("c"));
  CHECK(target.rows(fmt::format("SELECT * FROM {}", table)) == theirs);
}

}  // namespace

TEST_CASE("adopt: each tool's state table, as that tool writes it, is adopted and never altered",
          "[e2e][adopt]") {
  for (const ToolState& state : tool_states()) {
    for (bool postgres : {false, true}) {
      INFO(state.tool << (postgres ? " on PostgreSQL" : " on SQLite"));
      Project project;
      std::unique_ptr<Target> target = make_target(postgres, project);
      set_up(project, *target);
      target->exec(postgres ? state.postgres : state.sqlite);
      check_adoption(*target, project, state.tool, state.table, state.args);
    }
  }
  INFO("sqitch on PostgreSQL");
  Project project;
  PostgresTarget target;
  set_up(project, target);
  target.exec(kSqitchPostgres);
  check_adoption(target, project, "sqitch", "sqitch.changes", {});

  INFO("sqitch on SQLite: its registry is sqitch.db beside the database");
  Project sqlite_project;
  SqliteTarget sqlite_target(sqlite_project);
  set_up(sqlite_project, sqlite_target);
  std::filesystem::path registry = sqlite_project.root() / "sqitch.db";
  sqlite_exec(registry,
              "CREATE TABLE changes (change_id TEXT PRIMARY KEY, script_hash TEXT NULL, change "
              "TEXT NOT NULL, project TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', committed_at "
              "DATETIME DEFAULT(strftime('%Y-%m-%d %H:%M:%f')) NOT NULL, committer_name TEXT NOT "
              "NULL, committer_email TEXT NOT NULL, planned_at DATETIME NOT NULL, planner_name "
              "TEXT NOT NULL, planner_email TEXT NOT NULL, UNIQUE(project, script_hash));"
              "INSERT INTO changes (change_id, script_hash, change, project, committer_name, "
              "committer_email, planned_at, planner_name, planner_email) VALUES "
              "('c1', 'h1', 'a', 'shop', 'me', 'me@x', '2026-01-01', 'me', 'me@x'), "
              "('c2', 'h2', 'b', 'shop', 'me', 'me@x', '2026-01-01', 'me', 'me@x');");
  Rows registry_before = sqlite_rows(registry, "SELECT * FROM changes");
  // (Its table is in the other file, compared below; "a" stands in for it here.)
  check_adoption(sqlite_target, sqlite_project, "sqitch", "a", {});
  CHECK(sqlite_rows(registry, "SELECT * FROM changes") == registry_before);
}

namespace {

/// A SQLite project set up as above, with `sql` run in its database.
struct SqliteCase {
  Project project;
  SqliteTarget target{project};
  explicit SqliteCase(const std::string& sql) {
    set_up(project, target);
    if (!sql.empty()) {
      target.exec(sql);
    }
  }
  /// Everything in the database, to prove a refusal changed nothing.
  Rows everything() const {
    Rows all = target.rows("SELECT type, name, sql FROM sqlite_schema ORDER BY name");
    for (const auto& row : target.rows("SELECT name FROM sqlite_schema WHERE type = 'table'")) {
      Rows content = target.rows(fmt::format("SELECT * FROM \"{}\"", row[0]));
      all.insert(all.end(), content.begin(), content.end());
    }
    return all;
  }
};

}  // namespace

TEST_CASE("adopt: a dirty golang-migrate or a failed Flyway state is refused, nothing recorded",
          "[e2e][adopt]") {
  std::string sql;
  Strings expected;
  SECTION("golang-migrate, dirty") {
    sql = tool_states()[1].sqlite + "UPDATE schema_migrations SET dirty = 1;";
    expected = {"golang-migrate's schema_migrations says version 2 is dirty", "`migrate force 2`"};
  }
  SECTION("golang-migrate, dirty on the way down from the first version") {
    sql = tool_states()[1].sqlite + "UPDATE schema_migrations SET version = -1, dirty = 1;";
    expected = {"says version -1 is dirty"};
  }
  SECTION("flyway, failed") {
    sql = tool_states()[3].sqlite +
          "INSERT INTO flyway_schema_history (installed_rank, version, description, type, "
          "script, checksum, installed_by, execution_time, success) VALUES "
          "(4, '3', 'c', 'SQL', 'V3__c.sql', 4, 'me', 3, 0);";
    expected = {
        "Flyway's flyway_schema_history records a failed migration: version 3 "
        "(V3__c.sql) did not complete",
        "`flyway repair`"};
  }
  SqliteCase c(sql);
  Rows before = c.everything();
  for (const Strings& args : {Strings{}, Strings{"--dry-run"}, Strings{"--sql"}}) {
    ProcessResult adopt = c.project.run("migrate-adopt", args);
    INFO(adopt.out << adopt.err);
    CHECK(adopt.exit_code == 2);
    for (const std::string& text : expected) {
      CHECK_THAT(adopt.err, Contains(text));
    }
    CHECK_THAT(adopt.err, Contains("Nothing was recorded"));
  }
  CHECK(c.everything() == before);
}

TEST_CASE("adopt: what it cannot adopt is refused with what to do, nothing changed",
          "[e2e][adopt]") {
  std::string sql;
  Strings args;
  Strings expected;
  SECTION("no other tool's table") {
    expected = {"has no other tool's state table with anything recorded in it",
                "`migrate upgrade --fake <revision>`"};
  }
  SECTION("a tool --from does not know") {
    args = {"--from", "liquibase"};
    expected = {
        "--from liquibase: not a tool adopt knows. Choose one of dbmate, golang-migrate, "
        "goose, flyway, alembic, django, sqitch"};
  }
  SECTION("--from a tool whose table is not there") {
    sql = tool_states()[0].sqlite;
    args = {"--from", "goose"};
    expected = {"has no goose state table: nothing to adopt from goose"};
  }
  SECTION("two tools") {
    sql = tool_states()[0].sqlite + tool_states()[2].sqlite;
    expected = {
        "has the state of more than one tool: dbmate (schema_migrations), goose "
        "(goose_db_version). Choose with --from"};
  }
  SECTION("alembic without a revision") {
    sql = tool_states()[4].sqlite;
    expected = {"alembic's alembic_version says this database is at ae1027a6acf",
                "`migrate adopt --from alembic <revision>`"};
  }
  SECTION("a revision for a tool that matches by itself") {
    sql = tool_states()[0].sqlite;
    args = {"0002"};
    expected = {"adopt matches them to the files here by itself: leave out the revision"};
  }
  SECTION("an unknown revision") {
    sql = tool_states()[4].sqlite;
    args = {"0009"};
    expected = {"0009"};
  }
  SECTION("a database that does not exist") {
    args = {"--database", "sqlite:nowhere.db"};
    expected = {"sqlite:nowhere.db does not exist: there is nothing to adopt"};
  }
  SqliteCase c(sql);
  Rows before = c.everything();
  ProcessResult adopt = c.project.run("migrate-adopt", args);
  INFO(adopt.out << adopt.err);
  CHECK(adopt.exit_code == 2);
  for (const std::string& text : expected) {
    CHECK_THAT(adopt.err, Contains(text));
  }
  CHECK(c.everything() == before);
  CHECK_FALSE(std::filesystem::exists(c.project.root() / "nowhere.db"));
}

TEST_CASE("adopt: versions the other tool applied that have no file here are named, not dropped",
          "[e2e][adopt]") {
  SqliteCase c(
      "CREATE TABLE schema_migrations (version varchar(128) primary key);"
      "INSERT INTO schema_migrations VALUES ('0001'), ('0000'), ('0099');");
  ProcessResult adopt = c.project.run("migrate-adopt");
  INFO(adopt.out << adopt.err);
  REQUIRE(adopt.exit_code == 0);
  CHECK_THAT(adopt.err, Contains("dbmate's schema_migrations records 2 migrations that no "
                                 "migration here has: 0000, 0099. Not recorded here"));
  CHECK(c.target.recorded() == Strings{"0001"});
}

TEST_CASE("adopt: the other tool's table under migrate's own name is named, with what to do",
          "[e2e][adopt]") {
  SqliteCase c(tool_states()[0].sqlite);
  std::filesystem::remove(c.project.root() / "migrate.conf");  // migrate's default table name
  Rows before = c.everything();
  for (const char* tool : {"migrate-upgrade", "migrate-adopt", "migrate-current"}) {
    ProcessResult result = c.project.run(tool);
    INFO(tool << ": " << result.err);
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Contains("the table schema_migrations in sqlite:migrate.db is dbmate's "
                                    "state table, not migrate's"));
    CHECK_THAT(result.err, Contains("`table = migrate_migrations` in the [migrate] section"));
    CHECK_THAT(result.err, Contains("then run `migrate adopt`"));
  }
  CHECK(c.everything() == before);
}

TEST_CASE("adopt: --sql prints the statements that would record it, and touches nothing",
          "[e2e][adopt]") {
  SqliteCase c(tool_states()[0].sqlite);
  ProcessResult sql = c.project.run("migrate-adopt", {"--sql"});
  INFO(sql.err);
  REQUIRE(sql.exit_code == 0);
  CHECK_THAT(sql.out, Contains("INSERT INTO \"migrate_migrations\""));
  CHECK_THAT(sql.out, Contains("'0002'"));
  CHECK_THAT(sql.out, !Contains("CREATE TABLE a"));
  CHECK_FALSE(c.target.exists("migrate_migrations"));
}

TEST_CASE("adopt: killed or stopped with Ctrl-C at any moment, it recorded all or nothing",
          "[e2e][adopt][crash][postgres]") {
  // Enough migrations that recording them takes a while to land in.
  constexpr int kCount = 1000;
  auto setup = [](const Project& project, const Target& target) {
    std::ofstream(project.root() / "migrate.conf")
        << fmt::format("[migrate]\n\tdatabase = {}\n\ttable = migrate_migrations\n", target.url());
    std::string versions;
    for (int i = 1; i <= kCount; ++i) {
      std::string id = fmt::format("{:04}", i);
      project.add(id + "_t.sql", migration_text(fmt::format("CREATE TABLE t{} (x int);", i),
                                                fmt::format("DROP TABLE t{};", i)));
      versions += fmt::format("{}('{}')", i == 1 ? "" : ", ", id);
    }
    target.exec(
        "CREATE TABLE schema_migrations (version varchar(128) primary key);"
        "INSERT INTO schema_migrations VALUES " +
        versions + ";");
  };
  // kill -9 on SQLite, where it can leave a hot journal. Ctrl-C on PostgreSQL: a stop request
  // is heard between steps, and there each recorded row is a round trip to the server, so the
  // steps last long enough to land in (on SQLite the whole recording takes a few
  // milliseconds, most of them the commit).
  for (int signal : {SIGKILL, SIGINT}) {
    INFO((signal == SIGKILL ? "kill -9, SQLite" : "Ctrl-C, PostgreSQL"));
    auto make_target = [signal](const Project& project) -> std::unique_ptr<Target> {
      if (signal == SIGINT) {
        return std::make_unique<PostgresTarget>();
      }
      return std::make_unique<SqliteTarget>(project);
    };
    Project calibration;  // timed on a database of its own: adopting twice is a quick no-op
    std::unique_ptr<Target> calibration_target = make_target(calibration);
    setup(calibration, *calibration_target);
    auto uninterrupted = [&] { return calibration.run("migrate-adopt"); };
    interrupt_until(signal, {.landed = 2, .cap = 60}, uninterrupted,
                    [&](int, std::chrono::microseconds delay) {
                      Project project;
                      std::unique_ptr<Target> target = make_target(project);
                      setup(project, *target);
                      Rows theirs = target->rows("SELECT * FROM schema_migrations ORDER BY 1");
                      RunningProcess running = project.start("migrate-adopt");
                      std::this_thread::sleep_for(delay);
                      running.kill(signal);
                      ProcessResult interrupted = running.wait();
                      INFO("exit " << interrupted.exit_code << "\n" << interrupted.err);
                      // All or nothing, and the other tool's table as it was.
                      std::size_t recorded = target->recorded().size();
                      CHECK((recorded == 0 || recorded == kCount));
                      CHECK(target->rows("SELECT * FROM schema_migrations ORDER BY 1") == theirs);
                      // Every command works at once; adopting again finishes the job.
                      ProcessResult current = project.run("migrate-current");
                      INFO(current.err);
                      CHECK(current.exit_code == 0);
                      ProcessResult again = project.run("migrate-adopt");
                      INFO(again.err);
                      CHECK(again.exit_code == 0);
                      CHECK(target->recorded().size() == kCount);
                      return InterruptedRun{interrupted};
                    });
  }
}

TEST_CASE("adopt: current says a database another tool migrated is not adopted yet",
          "[e2e][adopt]") {
  SqliteCase c(tool_states()[2].sqlite);
  ProcessResult current = c.project.run("migrate-current");
  INFO(current.err);
  CHECK(current.exit_code == 0);
  CHECK_THAT(current.err, Contains("this database has been migrated by goose (goose_db_version), "
                                   "and migrate has no state table here yet: `migrate adopt`"));
  REQUIRE(c.project.run("migrate-adopt").exit_code == 0);
  CHECK_THAT(c.project.run("migrate-current").err, !Contains("migrate adopt"));
}

TEST_CASE(
    "adopt: once migrate runs the database, adopting again cannot bring back what it "
    "reverted",
    "[e2e][adopt]") {
  SqliteCase c(tool_states()[0].sqlite);  // dbmate applied 0001 and 0002
  c.target.exec("CREATE TABLE a (x int); CREATE TABLE b (x int);");
  REQUIRE(c.project.run("migrate-adopt").exit_code == 0);
  REQUIRE(c.project.run("migrate-upgrade").exit_code == 0);
  REQUIRE(c.project.run("migrate-downgrade", {"base"}).exit_code == 0);
  Rows before = c.everything();
  ProcessResult again = c.project.run("migrate-adopt");
  INFO(again.out << again.err);
  CHECK(again.exit_code == 2);
  CHECK_THAT(again.err, Contains("migrate's own state table is in this database already"));
  CHECK_THAT(again.err, Contains("would add 2 (0001_a, 0002_b), which may have been reverted"));
  CHECK(c.everything() == before);
  // Upgrade is not held back: migrate's own table says what is applied.
  ProcessResult up = c.project.run("migrate-upgrade");
  INFO(up.err);
  CHECK(up.exit_code == 0);
  CHECK(c.target.recorded() == Strings{"0001", "0002", "0003"});
}

TEST_CASE(
    "adopt: another application's table on a shared database: `adopt base` records "
    "nothing and lets upgrade start",
    "[e2e][adopt]") {
  SqliteCase c(tool_states()[5].sqlite);  // django_migrations, of another application
  ProcessResult refused = c.project.run("migrate-upgrade");
  CHECK(refused.exit_code == 2);
  CHECK_THAT(refused.err, Contains("`migrate adopt base` when none of this folder's"));
  ProcessResult base = c.project.run("migrate-adopt", {"base"});
  INFO(base.out << base.err);
  REQUIRE(base.exit_code == 0);
  CHECK_THAT(base.out, Contains("Created migrate's state table migrate_migrations"));
  CHECK(c.target.exists("migrate_migrations"));
  CHECK(c.target.recorded().empty());
  ProcessResult current = c.project.run("migrate-current");
  CHECK_THAT(current.err, !Contains("migrate adopt"));
  ProcessResult up = c.project.run("migrate-upgrade");
  INFO(up.err);
  REQUIRE(up.exit_code == 0);
  CHECK(c.target.recorded() == Strings{"0001", "0002", "0003"});
}

TEST_CASE("adopt: an adoption that records nothing still marks the database adopted",
          "[e2e][adopt]") {
  // Flyway's baseline at 1, and this folder starts later: nothing of it was applied there.
  SqliteCase c(tool_states()[3].sqlite + "DELETE FROM flyway_schema_history;" +
               "INSERT INTO flyway_schema_history (installed_rank, version, description, type, "
               "script, installed_by, execution_time, success) VALUES (1, '0', '<< Flyway "
               "Baseline >>', 'BASELINE', '<< Flyway Baseline >>', 'me', 0, 1);");
  ProcessResult adopt = c.project.run("migrate-adopt");
  INFO(adopt.out << adopt.err);
  REQUIRE(adopt.exit_code == 0);
  CHECK_THAT(adopt.out, Contains("Nothing to adopt"));
  CHECK(c.target.exists("migrate_migrations"));
  ProcessResult up = c.project.run("migrate-upgrade");
  INFO(up.err);
  CHECK(up.exit_code == 0);
}

TEST_CASE(
    "adopt: another tool's table this role may not read is none of current's or "
    "upgrade's business",
    "[e2e][adopt][postgres]") {
  PostgresTarget target;
  Project project;
  set_up(project, target);
  target.exec(tool_states()[2].postgres +  // goose_db_version, and a role that may not read it
              "CREATE ROLE adopt_reader LOGIN; GRANT ALL ON SCHEMA public TO adopt_reader;"
              "REVOKE ALL ON goose_db_version FROM PUBLIC;");
  std::string url = std::regex_replace(target.url(), std::regex("postgres@"), "adopt_reader@");
  for (const char* tool : {"migrate-current", "migrate-upgrade"}) {
    ProcessResult result = project.run(tool, {"--database", url});
    INFO(tool << ": " << result.err);
    CHECK(result.exit_code == 0);
  }
  ProcessResult adopt = project.run("migrate-adopt", {"--database", url, "--from", "goose"});
  CHECK(adopt.exit_code == 1);
  CHECK_THAT(adopt.err, Contains("permission denied for table goose_db_version"));
  target.exec("DROP OWNED BY adopt_reader; DROP ROLE adopt_reader;");
}

namespace {

/// A Flyway folder (V1__a, V2__b, V3__c and four repeatables) whose database Flyway migrated
/// up to version 2: its history records R__views (run with `${label}` = shop, the value
/// migrate.conf gives) and R__counts (written with CRLF line ends) with the checksums Flyway
/// computes for the files here, R__stale with the checksum of an older text, and R__old, whose
/// file is gone; R__fresh never ran. The checksums are Flyway's CRC-32 of the texts, computed
/// apart.
Rows set_up_flyway_repeatables(const Project& project, const Target& target) {
  std::ofstream(project.root() / "migrate.conf") << fmt::format(
      "[migrate]\n\tdatabase = {}\n\ttable = migrate_migrations\n[placeholders]\n\tlabel = "
      "shop\n",
      target.url());
  project.add("V1__a.sql", "CREATE TABLE a (x int);\n");
  project.add("V2__b.sql", "CREATE TABLE b (x int);\n");
  project.add("V3__c.sql", "CREATE TABLE c (x int);\n");
  project.add("R__views.sql",
              "DROP VIEW IF EXISTS a_view;\n"
              "CREATE VIEW a_view AS SELECT x, '${label}' AS label FROM a;\n");
  project.add("R__counts.sql",
              "DROP VIEW IF EXISTS b_count;\r\n"
              "CREATE VIEW b_count AS SELECT count(*) AS n FROM b;\r\n");
  project.add("R__stale.sql",
              "DROP VIEW IF EXISTS c_view;\nCREATE VIEW c_view AS SELECT 2 AS two;\n");
  project.add("R__fresh.sql",
              "DROP VIEW IF EXISTS d_view;\nCREATE VIEW d_view AS SELECT 4 AS four;\n");
  const ToolState flyway = tool_states()[3];
  const char* yes = target.postgres() ? "true" : "1";
  target.exec(
      (target.postgres() ? flyway.postgres : flyway.sqlite) + "DELETE FROM flyway_schema_history;" +
      fmt::format("INSERT INTO flyway_schema_history (installed_rank, version, description, "
                  "type, script, checksum, installed_by, execution_time, success) VALUES "
                  "(1, '1', 'a', 'SQL', 'V1__a.sql', 111, 'me', 3, {0}), "
                  "(2, '2', 'b', 'SQL', 'V2__b.sql', 222, 'me', 3, {0}), "
                  "(3, NULL, 'views', 'SQL', 'R__views.sql', -1574718052, 'me', 3, {0}), "
                  "(4, NULL, 'counts', 'SQL', 'R__counts.sql', -989294008, 'me', 3, {0}), "
                  "(5, NULL, 'stale', 'SQL', 'R__stale.sql', 7296271, 'me', 3, {0}), "
                  "(6, NULL, 'old', 'SQL', 'R__old.sql', 42, 'me', 3, {0});",
                  yes) +
      "CREATE TABLE a (x int); CREATE TABLE b (x int);"
      "CREATE VIEW a_view AS SELECT x, 'shop' AS label FROM a;"
      "CREATE VIEW b_count AS SELECT count(*) AS n FROM b;"
      "CREATE VIEW c_view AS SELECT 1 AS one;");
  return target.rows("SELECT * FROM flyway_schema_history ORDER BY installed_rank");
}

}  // namespace

TEST_CASE(
    "adopt: Flyway's repeatables run with the files' text are recorded, the others left to "
    "the next upgrade",
    "[e2e][adopt][flyway][postgres]") {
  for (bool postgres : {false, true}) {
    INFO((postgres ? "PostgreSQL" : "SQLite"));
    Project project;
    std::unique_ptr<Target> target = make_target(postgres, project);
    Rows theirs = set_up_flyway_repeatables(project, *target);

    ProcessResult dry_run = project.run("migrate-adopt", {"--dry-run"});
    INFO(dry_run.out << dry_run.err);
    REQUIRE(dry_run.exit_code == 0);
    CHECK_THAT(dry_run.out, Contains("apply  R__counts"));
    CHECK_THAT(dry_run.out, Contains("apply  R__views"));
    CHECK_THAT(dry_run.out, Contains("ran it last with this text (checksum -1574718052)"));
    CHECK_THAT(dry_run.out, !Contains("apply  R__stale"));
    CHECK_THAT(dry_run.out, !Contains("apply  R__fresh"));
    CHECK_FALSE(target->exists("migrate_migrations"));

    ProcessResult adopt = project.run("migrate-adopt");
    INFO(adopt.out << adopt.err);
    REQUIRE(adopt.exit_code == 0);
    CHECK_THAT(adopt.out, Contains("4 recorded (nothing run)"));
    CHECK_THAT(adopt.err,
               Contains("2 repeatable migrations not recorded: the next `migrate upgrade` runs "
                        "them, as Flyway's next migrate would: R__fresh (Flyway never ran it); "
                        "R__stale (changed since Flyway last ran it: checksum 7296271 there, "
                        "1474480417 here)"));
    CHECK_THAT(adopt.err, Contains("records 1 repeatable migration that no file here has: "
                                   "R__old.sql. Not recorded here; what it created stays"));
    CHECK(target->recorded() == Strings{"1", "2", "R__counts", "R__views"});
    CHECK(target->rows("SELECT * FROM flyway_schema_history ORDER BY installed_rank") == theirs);
    const std::string adopted_rows =
        "SELECT id, checksum, applied_at FROM migrate_migrations WHERE id LIKE 'R\\_\\_%' ESCAPE "
        "'\\' ORDER BY id";
    Rows adopted = target->rows(adopted_rows);

    // What adopt recorded is what upgrade records: the adopted repeatables are not run again
    // (their rows stay as adopt wrote them), the rest are.
    ProcessResult current = project.run("migrate-current");
    INFO(current.out << current.err);
    CHECK_THAT(current.out, Contains("R__fresh: never applied here"));
    CHECK_THAT(current.out, !Contains("R__views"));
    ProcessResult up = project.run("migrate-upgrade");
    INFO(up.out << up.err);
    REQUIRE(up.exit_code == 0);
    CHECK_THAT(up.out, Contains("3 applied"));
    CHECK(target->recorded() ==
          Strings{"1", "2", "3", "R__counts", "R__fresh", "R__stale", "R__views"});
    Rows after = target->rows(adopted_rows);
    CHECK(after.at(0) == adopted.at(0));  // R__counts
    CHECK(after.at(3) == adopted.at(1));  // R__views
    CHECK(target->column("SELECT two FROM c_view") == Strings{"2"});
    CHECK(target->column("SELECT four FROM d_view") == Strings{"4"});
    CHECK(target->rows("SELECT * FROM flyway_schema_history ORDER BY installed_rank") == theirs);
    ProcessResult again = project.run("migrate-upgrade");
    CHECK_THAT(again.out + again.err, Contains("Nothing to upgrade"));
  }
}

TEST_CASE("adopt: a repeatable whose placeholder has no value stops adopt, nothing recorded",
          "[e2e][adopt][flyway]") {
  Project project;
  SqliteTarget target(project);
  set_up_flyway_repeatables(project, target);
  std::ofstream(project.root() / "migrate.conf")
      << "[migrate]\n\tdatabase = sqlite:migrate.db\n\ttable = migrate_migrations\n";
  Rows before = sqlite_rows(project.db(), "SELECT * FROM flyway_schema_history");
  for (const Strings& args : {Strings{"--dry-run"}, Strings{}}) {
    ProcessResult adopt = project.run("migrate-adopt", args);
    INFO(adopt.out << adopt.err);
    CHECK(adopt.exit_code == 2);
    CHECK_THAT(adopt.err, Contains("R__views.sql:2"));
    CHECK_THAT(adopt.err, Contains("no value for the placeholder ${label}"));
  }
  CHECK_FALSE(target.exists("migrate_migrations"));
  CHECK(sqlite_rows(project.db(), "SELECT * FROM flyway_schema_history") == before);
}
