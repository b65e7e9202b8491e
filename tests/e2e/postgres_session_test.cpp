// What a PostgreSQL migration SETs in its session (search_path, ROLE, statement_timeout) stays in
// that migration: the state-table write after it still finds its table and may still write it,
// and the next migration of the same run starts from the session a separate run would have, so
// one run and two runs of the same folder give the same schema. The migration lock stays held
// throughout. Against the throwaway cluster `make test` starts.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <string>
#include <vector>

#include <fmt/format.h>

#include "support/postgres.hpp"
#include "support/project.hpp"

using namespace migrate::test;
using Catch::Contains;
using Strings = std::vector<std::string>;

namespace {

/// Every table but the state table, as "schema.table owner", sorted.
Strings layout(const PostgresDatabase& db) {
  return db.column(
      "SELECT schemaname || '.' || tablename || ' ' || tableowner FROM pg_tables WHERE "
      "schemaname NOT IN ('pg_catalog', 'information_schema') AND tablename <> "
      "'schema_migrations' ORDER BY 1");
}

/// A role without login, dropped (after the databases that use it) at the end of the test.
class TemporaryRole {
 public:
  explicit TemporaryRole(std::string name) : m_name(std::move(name)) {
    postgres_exec(postgres_admin_url(), fmt::format("DROP ROLE IF EXISTS {}", m_name));
    postgres_exec(postgres_admin_url(), fmt::format("CREATE ROLE {} NOLOGIN", m_name));
  }
  TemporaryRole(const TemporaryRole&) = delete;
  TemporaryRole& operator=(const TemporaryRole&) = delete;
  ~TemporaryRole() {
    try {
      postgres_exec(postgres_admin_url(), fmt::format("DROP ROLE IF EXISTS {}", m_name));
    } catch (const std::exception&) {  // a test that failed may leave it behind
    }
  }
  const std::string& name() const { return m_name; }

 private:
  std::string m_name;
};

/// 0001 creates the schema `other`, SETs search_path to it and creates its table a there; 0002
/// creates b, which belongs in the default schema.
void add_search_path_folder(const Project& project) {
  project.add("0001_other.sql", migration_text("CREATE SCHEMA other;\n"
                                               "SET search_path TO other;\n"
                                               "CREATE TABLE a (x int);",
                                               "DROP SCHEMA other CASCADE;"));
  project.add("0002_b.sql", migration_text("CREATE TABLE b (x int);", "DROP TABLE b;"));
}

/// Applies the project to `db` in one run, and to a second database in two runs (up to
/// `first_run_target`, then the rest), and checks that both end the same, every migration
/// recorded. Returns the layout.
Strings one_run_and_two(const Project& project, const PostgresDatabase& db,
                        const PostgresDatabase& twice, const std::string& first_run_target,
                        const Strings& extra_args = {}) {
  Strings args = {"--database", db.url()};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  ProcessResult once = project.run("migrate-upgrade", args);
  INFO(once.out << once.err);
  CHECK(once.exit_code == 0);

  Strings first = {first_run_target, "--database", twice.url()};
  first.insert(first.end(), extra_args.begin(), extra_args.end());
  Strings second = {"--database", twice.url()};
  second.insert(second.end(), extra_args.begin(), extra_args.end());
  ProcessResult run1 = project.run("migrate-upgrade", first);
  ProcessResult run2 = project.run("migrate-upgrade", second);
  INFO(run1.err << run2.err);
  CHECK(run1.exit_code == 0);
  CHECK(run2.exit_code == 0);

  CHECK(layout(db) == layout(twice));
  CHECK(db.applied_ids() == twice.applied_ids());
  return layout(db);
}

}  // namespace

TEST_CASE("postgres session: SET search_path in a migration stays in that migration",
          "[e2e][postgres][session]") {
  PostgresDatabase db;
  PostgresDatabase twice;
  Project project;
  add_search_path_folder(project);
  Strings tables = one_run_and_two(project, db, twice, "0001");
  CHECK(tables == Strings{"other.a postgres", "public.b postgres"});
  CHECK(db.applied_ids() == Strings{"0001", "0002"});
  CHECK(db.relations("other") == Strings{"a"});

  // And back down: the down sections find their tables the same way.
  ProcessResult down = project.run("migrate-downgrade", {"base", "--database", db.url()});
  INFO(down.err);
  CHECK(down.exit_code == 0);
  CHECK(db.applied_ids().empty());
  CHECK(layout(db).empty());
}

TEST_CASE("postgres session: the --sql script resets the session where a run does",
          "[e2e][postgres][session]") {
  PostgresDatabase by_migrate;
  PostgresDatabase by_script;
  Project project;
  add_search_path_folder(project);
  ProcessResult sql = project.run("migrate-upgrade", {"--database", by_script.url(), "--sql"});
  REQUIRE(sql.exit_code == 0);
  CHECK_THAT(sql.out,
             Contains("CREATE TABLE a (x int);\nRESET SESSION AUTHORIZATION;\n"
                      "RESET ROLE;\nRESET ALL;\nINSERT INTO \"public\".\"schema_migrations\""));
  by_script.exec(sql.out);  // the whole script, as one simple query (its BEGIN/COMMITs hold)
  REQUIRE(project.run("migrate-upgrade", {"--database", by_migrate.url()}).exit_code == 0);
  CHECK(layout(by_script) == Strings{"other.a postgres", "public.b postgres"});
  CHECK(layout(by_script) == layout(by_migrate));
  CHECK(by_script.applied_ids() == by_migrate.applied_ids());
}

TEST_CASE("postgres session: the URL's search_path and options come back after a migration",
          "[e2e][postgres][session]") {
  Project project;
  project.add("0001_other.sql", migration_text("CREATE SCHEMA IF NOT EXISTS other;\n"
                                               "SET search_path TO other;\n"
                                               "CREATE TABLE a (x int);",
                                               "DROP TABLE other.a;"));
  project.add("0002_b.sql", migration_text("CREATE TABLE b (x int);", "DROP TABLE b;"));
  SECTION("search_path= (set by migrate after connecting)") {
    PostgresDatabase db;
    ProcessResult result =
        project.run("migrate-upgrade", {"--database", db.url() + "&search_path=app"});
    INFO(result.err);
    CHECK(result.exit_code == 0);
    CHECK(layout(db) == Strings{"app.b postgres", "other.a postgres"});
    CHECK(db.applied_ids("app.schema_migrations") == Strings{"0001", "0002"});
  }
  SECTION("options=-c search_path=… (the session's own start value)") {
    PostgresDatabase db;
    db.exec("CREATE SCHEMA app2");
    ProcessResult result = project.run(
        "migrate-upgrade", {"--database", db.url() + "&options=-c%20search_path%3Dapp2"});
    INFO(result.err);
    CHECK(result.exit_code == 0);
    CHECK(layout(db) == Strings{"app2.b postgres", "other.a postgres"});
    CHECK(db.applied_ids("app2.schema_migrations") == Strings{"0001", "0002"});
  }
}

TEST_CASE("postgres session: SET ROLE in a migration stays in that migration",
          "[e2e][postgres][session]") {
  // Before the databases, so it is dropped after them (and the tables it owns).
  TemporaryRole owner(fmt::format("migrate_session_owner_{}", ::getpid()));
  PostgresDatabase db;
  PostgresDatabase twice;
  for (const PostgresDatabase* each : {&db, &twice}) {
    each->exec(fmt::format("GRANT CREATE ON SCHEMA public TO {}", owner.name()));
  }
  Project project;
  // The role may create tables, but not write the state table (which the connecting user
  // made): the state row must be written as that user.
  project.add("0001_owned.sql",
              migration_text(fmt::format("SET ROLE {};\nCREATE TABLE owned (x int);", owner.name()),
                             "DROP TABLE owned;"));
  project.add("0002_plain.sql", migration_text("CREATE TABLE plain (x int);", "DROP TABLE plain;"));
  Strings tables = one_run_and_two(project, db, twice, "0001");
  CHECK(tables == Strings{"public.owned " + owner.name(), "public.plain postgres"});
}

TEST_CASE("postgres session: SET statement_timeout in a migration stays in that migration",
          "[e2e][postgres][session]") {
  PostgresDatabase db;
  PostgresDatabase twice;
  Project project;
  project.add("0001_short.sql", migration_text("SET statement_timeout = '1min';\n"
                                               "CREATE TABLE a (x int);",
                                               "DROP TABLE a;"));
  // Fails unless its session has migrate's own statement_timeout (the flag's 5 s), whatever
  // 0001 set: no sleeping, no timing.
  project.add("0002_check.sql",
              migration_text("DO $$ BEGIN\n"
                             "  IF current_setting('statement_timeout') <> '5s' THEN\n"
                             "    RAISE EXCEPTION 'statement_timeout is %', "
                             "current_setting('statement_timeout');\n"
                             "  END IF;\n"
                             "END $$;\n"
                             "CREATE TABLE b (x int);",
                             "DROP TABLE b;"));
  Strings tables = one_run_and_two(project, db, twice, "0001", {"--statement-timeout", "5s"});
  CHECK(tables == Strings{"public.a postgres", "public.b postgres"});
}

TEST_CASE("postgres session: the migration lock stays held between migrations",
          "[e2e][postgres][session]") {
  PostgresDatabase db;
  Project project;
  project.add("0001_a.sql", migration_text("SET search_path TO public;\n"
                                           "CREATE TABLE a (x int);",
                                           "DROP TABLE a;"));
  // Fails unless this session still holds an advisory lock (resetting the session with
  // DISCARD ALL would have released it).
  project.add("0002_check.sql",
              migration_text("DO $$ BEGIN\n"
                             "  IF NOT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = "
                             "'advisory' AND granted AND pid = pg_backend_pid()) THEN\n"
                             "    RAISE EXCEPTION 'the migration lock is gone';\n"
                             "  END IF;\n"
                             "END $$;\n"
                             "CREATE TABLE b (x int);",
                             "DROP TABLE b;"));
  ProcessResult result = project.run("migrate-upgrade", {"--database", db.url()});
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK(db.applied_ids() == Strings{"0001", "0002"});
  CHECK(layout(db) == Strings{"public.a postgres", "public.b postgres"});
}

TEST_CASE("postgres session: a transaction:false section's SET stays in it too",
          "[e2e][postgres][session]") {
  PostgresDatabase db;
  PostgresDatabase twice;
  Project project;
  project.add("0001_other.sql",
              "-- migrate:up transaction:false\n"
              "CREATE SCHEMA other;\n"
              "SET search_path TO other;\n"
              "CREATE TABLE a (x int);\n"
              "CREATE INDEX CONCURRENTLY a_x ON a (x);\n"
              "\n"
              "-- migrate:down\n"
              "DROP SCHEMA other CASCADE;\n");
  project.add("0002_b.sql", migration_text("CREATE TABLE b (x int);", "DROP TABLE b;"));
  Strings tables = one_run_and_two(project, db, twice, "0001");
  CHECK(tables == Strings{"other.a postgres", "public.b postgres"});
  CHECK(db.rows("SELECT statements_done, statements_total FROM schema_migrations WHERE id = "
                "'0001'") == Rows{{"4", "4"}});
}

TEST_CASE("postgres session: a transaction:false section that SETs a role can record progress",
          "[e2e][postgres][session]") {
  TemporaryRole owner(fmt::format("migrate_session_stepwise_{}", ::getpid()));
  PostgresDatabase db;
  db.exec(fmt::format("GRANT CREATE ON SCHEMA public TO {}", owner.name()));
  Project project;
  // After statement 1 the session runs as a role that may not write the state table; the
  // progress rows after statements 1 and 2 are written as migrate all the same.
  project.add("0001_owned.sql",
              fmt::format("-- migrate:up transaction:false\nSET ROLE {};\n"
                          "CREATE TABLE owned (x int);\nCREATE INDEX CONCURRENTLY owned_x ON "
                          "owned (x);\n-- migrate:down\nDROP TABLE owned;\n",
                          owner.name()));
  ProcessResult result = project.run("migrate-upgrade", {"--database", db.url()});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  CHECK(layout(db) == Strings{"public.owned " + owner.name()});
  CHECK(db.rows("SELECT statements_done, statements_total FROM schema_migrations") ==
        Rows{{"3", "3"}});
}

TEST_CASE("postgres session: a resumed transaction:false section gets its SETs back",
          "[e2e][postgres][session]") {
  PostgresDatabase db;
  Project project;
  auto section = [](const std::string& third) {
    return "-- migrate:up transaction:false\nCREATE SCHEMA other;\nSET search_path TO other;\n" +
           third + "\nCREATE TABLE a (x int);\n-- migrate:down\nDROP SCHEMA other CASCADE;\n";
  };
  project.add("0001_other.sql", section("INSERT INTO nope VALUES (1);"));
  ProcessResult failed = project.run("migrate-upgrade", {"--database", db.url()});
  REQUIRE(failed.exit_code == 1);
  CHECK(db.rows("SELECT statements_done FROM schema_migrations") == Rows{{"2"}});
  // Fixed; the rerun starts at statement 3 in a new session, where the SET of statement 2 must
  // hold again: a goes into other, not public.
  project.add("0001_other.sql", section("SELECT 1;"));
  ProcessResult resumed = project.run("migrate-upgrade", {"--database", db.url()});
  INFO(resumed.err);
  REQUIRE(resumed.exit_code == 0);
  CHECK(layout(db) == Strings{"other.a postgres"});
}

TEST_CASE("postgres session: a script resets only after migrations that change the session",
          "[e2e][postgres][session]") {
  PostgresDatabase db;
  Project project;
  project.add("0001_plain.sql", migration_text("CREATE TABLE plain (x int);", "DROP TABLE plain;"));
  ProcessResult sql = project.run("migrate-upgrade", {"--database", db.url(), "--sql"});
  REQUIRE(sql.exit_code == 0);
  // A DBA's own SET ROLE before running the script holds for all of it.
  CHECK_THAT(sql.out, !Contains("RESET"));
}

TEST_CASE("postgres session: a function's SET does not leak into the next migration",
          "[e2e][postgres][session]") {
  PostgresDatabase db;
  PostgresDatabase twice;
  Project project;
  // 0002 only calls a function; the SET inside it is not in 0002's own statements, and
  // outlives its transaction all the same (a plain SET is for the session).
  project.add("0001_switch.sql",
              migration_text("CREATE SCHEMA other;\n"
                             "CREATE FUNCTION switch_path() RETURNS void LANGUAGE plpgsql AS $$\n"
                             "BEGIN SET search_path TO other; END $$;",
                             "DROP SCHEMA other CASCADE; DROP FUNCTION switch_path();"));
  project.add("0002_call.sql", migration_text("SELECT switch_path();", "SELECT 1;"));
  project.add("0003_b.sql", migration_text("CREATE TABLE b (x int);", "DROP TABLE b;"));
  Strings tables = one_run_and_two(project, db, twice, "0002");
  CHECK(tables == Strings{"public.b postgres"});
}

TEST_CASE("postgres session: a resumed section replays only the SETs that still count",
          "[e2e][postgres][session]") {
  TemporaryRole passing(fmt::format("migrate_session_passing_{}", ::getpid()));
  PostgresDatabase db;
  Project project;
  // Statement 2 sets a role that statement 3 resets, and statement 4 drops: replaying statement
  // 2 in the resumed session would fail (the role is gone). search_path, set twice, counts as
  // last set.
  auto section = [&](const std::string& sixth) {
    return fmt::format(
        "-- migrate:up transaction:false\nCREATE SCHEMA other;\nSET ROLE {0};\nRESET ROLE;\n"
        "DROP ROLE {0};\nSET search_path TO public;\nSET search_path TO other;\n{1}\n"
        "CREATE TABLE a (x int);\n-- migrate:down\nDROP SCHEMA other CASCADE;\n",
        passing.name(), sixth);
  };
  project.add("0001_other.sql", section("INSERT INTO nope VALUES (1);"));
  ProcessResult failed = project.run("migrate-upgrade", {"--database", db.url()});
  REQUIRE(failed.exit_code == 1);
  CHECK(db.rows("SELECT statements_done FROM schema_migrations") == Rows{{"6"}});
  project.add("0001_other.sql", section("SELECT 1;"));

  ProcessResult sql = project.run("migrate-upgrade", {"--database", db.url(), "--sql"});
  INFO(sql.out);
  REQUIRE(sql.exit_code == 0);
  CHECK_THAT(sql.out, Contains("-- statement 6 again: it set the session the rest expects\n"
                               "SET search_path TO other;\nSELECT 1;\nCREATE TABLE a (x int);"));
  CHECK_THAT(sql.out, !Contains("\nSET ROLE"));

  ProcessResult resumed = project.run("migrate-upgrade", {"--database", db.url()});
  INFO(resumed.err);
  REQUIRE(resumed.exit_code == 0);
  CHECK(layout(db) == Strings{"other.a postgres"});
}

TEST_CASE("postgres session: a transaction:false section in read-only mode can record progress",
          "[e2e][postgres][session]") {
  PostgresDatabase db;
  Project project;
  project.add("0001_read_only.sql",
              "-- migrate:up transaction:false\nCREATE TABLE t (x int);\n"
              "SET default_transaction_read_only = on;\nSELECT count(*) FROM t;\n"
              "-- migrate:down\nDROP TABLE t;\n");
  project.add("0002_b.sql", migration_text("CREATE TABLE b (x int);", "DROP TABLE b;"));
  ProcessResult result = project.run("migrate-upgrade", {"--database", db.url()});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  CHECK(db.applied_ids() == Strings{"0001", "0002"});
  CHECK(db.rows("SELECT statements_done, statements_total FROM schema_migrations WHERE id = "
                "'0001'") == Rows{{"3", "3"}});
}
