// PostgreSQL specifics, end to end: non-transactional sections, sections with
// their own transaction control, the migration lock, timeouts, schemas,
// backups, and what each failure to connect says. Against the throwaway cluster
// `make test` starts.
#include <catch2/catch.hpp>

#include <chrono>
#include <regex>
#include <thread>

#include <fmt/format.h>

#include "support/postgres.hpp"
#include "support/project.hpp"
#include "support/sqlite_probe.hpp"

using namespace migrate::test;
using Catch::Contains;
using Strings = std::vector<std::string>;

namespace {

/// A URL for `role` with `password` over TCP (where the cluster asks for
/// passwords).
std::string tcp_url(const PostgresDatabase& db, const std::string& role,
                    const std::string& password) {
  return fmt::format("postgresql://{}:{}@{}/{}", role, password, postgres_tcp_host_port(),
                     db.name());
}

/// A login role with a password, made by the superuser.
void create_role(const std::string& role, const std::string& password) {
  postgres_exec(postgres_admin_url(), fmt::format("DROP ROLE IF EXISTS {}", role));
  postgres_exec(postgres_admin_url(),
                fmt::format("CREATE ROLE {} LOGIN PASSWORD '{}'", role, password));
}

}  // namespace

TEST_CASE(
    "postgres: CREATE INDEX CONCURRENTLY in a transaction:false section "
    "resumes",
    "[e2e][postgres]") {
  PostgresDatabase db;
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x int);", "DROP TABLE a;"));
  project.add("0002_indexes.sql",
              "-- migrate:up transaction:false\n"
              "CREATE INDEX CONCURRENTLY a_x ON a (x);\n"
              "CREATE INDEX CONCURRENTLY b_x ON b (x);\n"
              "\n"
              "-- migrate:down transaction:false\n"
              "DROP INDEX CONCURRENTLY IF EXISTS b_x;\n"
              "DROP INDEX CONCURRENTLY IF EXISTS a_x;\n");
  ProcessResult failed = project.run("migrate-upgrade", {"--database", db.url()});
  CHECK(failed.exit_code == 1);
  CHECK_THAT(failed.err, Contains("migrations/0002_indexes.sql:3: statement 2 of 2"));
  CHECK_THAT(failed.err, Contains("Statements 1-1 of 2 were applied"));
  CHECK(db.rows("SELECT statements_done, statements_total FROM "
                "schema_migrations WHERE id = "
                "'0002'") == Rows{{"1", "2"}});
  CHECK(db.column("SELECT indexname FROM pg_indexes WHERE tablename = 'a'") == Strings{"a_x"});

  db.exec("CREATE TABLE b (x int)");  // what was missing
  ProcessResult resumed = project.run("migrate-upgrade", {"--database", db.url()});
  INFO(resumed.err);
  CHECK(resumed.exit_code == 0);  // statement 1 again would fail: a_x exists
  CHECK_THAT(resumed.out, Contains("resume"));
  CHECK(db.column("SELECT indexname FROM pg_indexes WHERE tablename IN ('a', "
                  "'b') ORDER BY 1") == Strings{"a_x", "b_x"});
  REQUIRE(project.run("migrate-downgrade", {"--database", db.url(), "-1"}).exit_code == 0);
  CHECK(db.column("SELECT count(*) FROM pg_indexes WHERE tablename IN ('a', 'b')") == Strings{"0"});
}

TEST_CASE("postgres: CREATE INDEX CONCURRENTLY inside a transaction says what to do",
          "[e2e][postgres]") {
  PostgresDatabase db;
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x int);\n"
                                           "CREATE INDEX CONCURRENTLY a_x ON a (x);",
                                           "DROP TABLE a;"));
  ProcessResult result = project.run("migrate-upgrade", {"--database", db.url()});
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Contains("SQLSTATE 25001"));
  CHECK_THAT(result.err, Contains("transaction:false"));
  CHECK(db.relations() == Strings{"schema_migrations"});
}

TEST_CASE("postgres: a section with its own BEGIN/COMMIT runs as written", "[e2e][postgres]") {
  PostgresDatabase db;
  Project project;
  // golang-migrate style: the file brings its own transaction.
  project.add("000001_init.up.sql",
              "BEGIN;\nCREATE TABLE a (x int);\nINSERT INTO a VALUES (1);\nCOMMIT;\n");
  project.add("000001_init.down.sql", "DROP TABLE a;\n");
  ProcessResult result = project.run("migrate-upgrade", {"--database", db.url()});
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.err, Contains("000001_init has its own BEGIN/COMMIT"));
  CHECK(db.applied_ids() == Strings{"000001"});
  CHECK(db.column("SELECT x FROM a") == Strings{"1"});
}

TEST_CASE("postgres: eight concurrent upgraders apply every migration exactly once",
          "[e2e][postgres][concurrency]") {
  for (const char* mode : {"session", "transaction"}) {
    INFO("--lock-mode " << mode);
    PostgresDatabase db;
    Project project;
    project.add("0000_log.sql", migration_text("CREATE TABLE log (id text);", "DROP TABLE log;"));
    for (int i = 1; i <= 20; ++i) {
      project.add(fmt::format("{:04}_m.sql", i),
                  migration_text(fmt::format("CREATE TABLE t{0} (x int);\n"
                                             "INSERT INTO log VALUES ('{0}');",
                                             i),
                                 fmt::format("DROP TABLE t{};", i)));
    }
    std::vector<RunningProcess> running;
    for (int p = 0; p < 8; ++p) {
      running.push_back(
          project.start("migrate-upgrade", {"--database", db.url(), "--lock-mode", mode}));
    }
    for (RunningProcess& process : running) {
      ProcessResult result = process.wait();
      INFO(result.out << result.err);
      CHECK(result.exit_code == 0);
    }
    CHECK(db.column("SELECT count(*) FROM log") == Strings{"20"});
    CHECK(db.column("SELECT count(DISTINCT id) FROM log") == Strings{"20"});
    CHECK(db.applied_ids().size() == 21);
  }
}

TEST_CASE("postgres: a second migrate waits for the lock, then says who holds it",
          "[e2e][postgres]") {
  PostgresDatabase db;
  Project project;
  project.add("0001_slow.sql", migration_text("SELECT pg_sleep(3);", "SELECT 1;"));
  RunningProcess first = project.start("migrate-upgrade", {"--database", db.url()});
  // Wait until the first one holds the lock (its session shows in
  // pg_stat_activity). pg_locks is cluster-wide, and other tests run beside
  // this one: only this database counts.
  const std::string advisory =
      "FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = "
      "(SELECT oid FROM "
      "pg_database WHERE datname = current_database())";
  for (int i = 0; i < 100 && db.column("SELECT count(*) " + advisory) == Strings{"0"}; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::string holder = db.column("SELECT pid " + advisory).at(0);
  ProcessResult second =
      project.run("migrate-upgrade", {"--database", db.url(), "--lock-timeout", "300ms"});
  CHECK(second.exit_code == 1);
  CHECK_THAT(second.err, Contains("another migrate is running"));
  CHECK_THAT(second.err, Contains("backend pid " + holder + " (migrate"));
  CHECK_THAT(second.err, Contains("--lock-timeout"));
  CHECK(first.wait().exit_code == 0);
  CHECK(db.applied_ids() == Strings{"0001"});
}

TEST_CASE(
    "postgres: --migration-lock-timeout and --statement-timeout bound a "
    "migration",
    "[e2e][postgres]") {
  PostgresDatabase db;
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x int);", "DROP TABLE a;"));
  REQUIRE(project.run("migrate-upgrade", {"--database", db.url()}).exit_code == 0);

  SECTION("a migration behind a long-held lock gives up") {
    project.add("0002_alter.sql",
                migration_text("ALTER TABLE a ADD COLUMN y int;", "ALTER TABLE a DROP COLUMN y;"));
    // Another session holds a lock on a for a while.
    RunningProcess holder = start_process(
        {"psql", "-X", "-q", db.url(), "-c", "BEGIN; LOCK TABLE a; SELECT pg_sleep(4); COMMIT;"});
    for (int i = 0; i < 100 && db.column("SELECT count(*) FROM pg_locks WHERE relation = "
                                         "'a'::regclass AND granted AND database = (SELECT oid "
                                         "FROM pg_database WHERE datname = current_database())") ==
                                   Strings{"0"};
         ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    auto started = std::chrono::steady_clock::now();
    ProcessResult result = project.run(
        "migrate-upgrade", {"--database", db.url(), "--migration-lock-timeout", "300ms"});
    auto took = std::chrono::steady_clock::now() - started;
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.err, Contains("lock timeout"));
    CHECK_THAT(result.err, Contains("--migration-lock-timeout"));
    CHECK(took < std::chrono::seconds(3));  // it did not wait for the holder
    CHECK(db.applied_ids() == Strings{"0001"});
    holder.wait();
  }
  SECTION("a statement running too long is cancelled") {
    project.add("0002_slow.sql", migration_text("SELECT pg_sleep(5);", "SELECT 1;"));
    ProcessResult result =
        project.run("migrate-upgrade", {"--database", db.url(), "--statement-timeout", "200ms"});
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.err, Contains("statement timeout"));
    CHECK(db.applied_ids() == Strings{"0001"});
  }
}

TEST_CASE("postgres: search_path puts the state table and the migrations in a schema",
          "[e2e][postgres]") {
  PostgresDatabase db;
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x int);", "DROP TABLE a;"));
  std::string url = db.url() + "&search_path=app";
  ProcessResult result = project.run("migrate-upgrade", {"--database", url});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  CHECK(db.relations("app") == Strings{"a", "schema_migrations"});
  CHECK(db.relations("public").empty());
  CHECK(project.run("migrate-current", {"--database", url, "--check"}).exit_code == 0);
  // The same database without the schema has nothing applied there.
  CHECK(project.run("migrate-current", {"--database", db.url(), "--check"}).exit_code == 3);
}

TEST_CASE("postgres: the password never appears, not in output, errors or --sql",
          "[e2e][postgres]") {
  PostgresDatabase db;
  create_role("migrate_pw", "s3cret-Pa55");
  db.exec("GRANT ALL ON SCHEMA public TO migrate_pw");
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x int);", "DROP TABLE a;"));
  project.add("0002_bad.sql", migration_text("INSERT INTO nope VALUES (1);", "SELECT 1;"));
  std::string url = tcp_url(db, "migrate_pw", "s3cret-Pa55");
  std::vector<ProcessResult> results = {
      project.run("migrate-upgrade", {"--database", url, "--sql"}),
      project.run("migrate-upgrade", {"--database", url, "--dry-run"}),
      project.run("migrate-upgrade", {"--database", url}),
      project.run("migrate-current", {"--database", url}),
      project.run("migrate-history", {"--database", url, "--json"}),
      project.run("migrate-current", {"--database", tcp_url(db, "migrate_pw", "wrong-Pa55")}),
  };
  CHECK(results[2].exit_code == 1);  // the bad migration failed: its message is checked too
  for (const ProcessResult& result : results) {
    CHECK_THAT(result.out, !Contains("s3cret"));
    CHECK_THAT(result.err, !Contains("s3cret"));
  }
  CHECK_THAT(results[3].out, Contains("postgresql://migrate_pw:***@"));
}

TEST_CASE("postgres: what a failure to connect says (exit 1)", "[e2e][postgres]") {
  PostgresDatabase db;
  create_role("migrate_wrong", "right-password");
  Project project;
  project.add("0001_a.sql", migration_text("SELECT 1;"));
  ProcessResult wrong =
      project.run("migrate-current", {"--database", tcp_url(db, "migrate_wrong", "nope")});
  CHECK(wrong.exit_code == 1);
  CHECK_THAT(wrong.err, Contains("PostgreSQL refused the password of role 'migrate_wrong'"));
  ProcessResult missing = project.run(
      "migrate-upgrade", {"--database", fmt::format("postgresql://migrate_wrong:right-password@{}"
                                                    "/no_such_db",
                                                    postgres_tcp_host_port())});
  CHECK(missing.exit_code == 1);
  CHECK_THAT(missing.err, Contains("the database 'no_such_db' does not exist"));
  CHECK_THAT(missing.err, Contains("createdb"));
  ProcessResult unreachable =
      project.run("migrate-current", {"--database", "postgres://u:p@127.0.0.1:1/x"});
  CHECK(unreachable.exit_code == 1);
  CHECK_THAT(unreachable.err, Contains("cannot reach the PostgreSQL server at 127.0.0.1 port 1"));
}

TEST_CASE("postgres: a role without privileges gets the server's reason and a hint",
          "[e2e][postgres]") {
  PostgresDatabase db;
  // Since PostgreSQL 15 ordinary roles may not create in schema public.
  create_role("migrate_weak", "weak-password");
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x int);", "DROP TABLE a;"));
  ProcessResult result =
      project.run("migrate-upgrade", {"--database", tcp_url(db, "migrate_weak", "weak-password")});
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Contains("cannot create the state table schema_migrations"));
  CHECK_THAT(result.err, Contains("permission denied for schema public (SQLSTATE 42501)"));
  CHECK_THAT(result.err, Contains("lacks a privilege"));
  CHECK(db.relations().empty());
}

TEST_CASE("postgres: --backup writes a pg_dump archive before applying", "[e2e][postgres]") {
  PostgresDatabase db;
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x int);\nINSERT INTO a VALUES (42);",
                                           "DROP TABLE a;"));
  REQUIRE(project.run("migrate-upgrade", {"--database", db.url()}).exit_code == 0);
  project.add("0002_drop.sql", migration_text("DROP TABLE a;", std::nullopt));
  ProcessResult result = project.run("migrate-upgrade", {"--database", db.url(), "--backup"});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  std::smatch match;
  REQUIRE(std::regex_search(result.out, match, std::regex(R"(to (\S+\.dump))")));
  std::filesystem::path dump = project.root() / match[1].str();
  REQUIRE(std::filesystem::exists(dump));
  // The archive holds the table as it was before the upgrade dropped it.
  ProcessResult list = run_process({"pg_restore", "--list", dump.string()});
  CHECK(list.exit_code == 0);
  CHECK_THAT(list.out, Contains("TABLE DATA public a"));
}

TEST_CASE("sqlite: --backup copies the database beside it before applying", "[e2e][upgrade]") {
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x int);\nINSERT INTO a VALUES (42);",
                                           "DROP TABLE a;"));
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  project.add("0002_drop.sql", migration_text("DROP TABLE a;", std::nullopt));
  ProcessResult result = project.run("migrate-upgrade", {"--backup"});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  std::smatch match;
  REQUIRE(std::regex_search(result.out, match,
                            std::regex(R"(to (migrate\.\d{8}T\d{6}Z\.backup\.db))")));
  std::filesystem::path copy = project.root() / match[1].str();
  CHECK(sqlite_column(copy, "SELECT x FROM a") == Strings{"42"});
  CHECK(applied_ids(copy) == Strings{"0001"});
  CHECK(applied_ids(project.db()) == Strings{"0001", "0002"});
}

TEST_CASE("postgres: the --sql script runs in psql to the same result", "[e2e][postgres]") {
  PostgresDatabase by_migrate;
  PostgresDatabase by_psql;
  Project project;
  project.add("0001_a.sql",
              migration_text("CREATE TABLE a (x int);\n"
                             "CREATE FUNCTION twice(int) RETURNS int LANGUAGE plpgsql AS $f$\n"
                             "BEGIN RETURN $1 * 2; END; $f$;",
                             "DROP FUNCTION twice(int);\nDROP TABLE a;"));
  project.add("0002_b.sql", migration_text("INSERT INTO a VALUES (twice(21));", "DELETE FROM a;"));
  ProcessResult sql = project.run("migrate-upgrade", {"--database", by_psql.url(), "--sql"});
  REQUIRE(sql.exit_code == 0);
  write_text(project.root() / "script.sql", sql.out);
  ProcessResult psql = run_process({"psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f",
                                    (project.root() / "script.sql").string(), by_psql.url()});
  INFO(psql.err);
  REQUIRE(psql.exit_code == 0);
  REQUIRE(project.run("migrate-upgrade", {"--database", by_migrate.url()}).exit_code == 0);
  CHECK(by_psql.column("SELECT x FROM a") == Strings{"42"});
  CHECK(by_psql.applied_ids() == by_migrate.applied_ids());
  CHECK(by_psql.relations() == by_migrate.relations());
}
