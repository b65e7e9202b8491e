// PostgresConnection against a real server (the throwaway cluster of scripts/with-postgres.sh):
// connection failures and their advice, statements with and without parameters, the server's
// error fields, transactions, table_columns, read-only sessions, search_path, the migration
// lock, timeouts and pg_dump backups. Assertions read the database with libpq directly
// (support/postgres), not through the connection under test.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "db/cancellable.hpp"
#include "db/database_url.hpp"
#include "db/open_database.hpp"
#include "db/postgres/postgres_connection.hpp"
#include "state/state_table.hpp"
#include "support/postgres.hpp"
#include "support/run_tool.hpp"
#include "support/temp_dir.hpp"
#include "util/stop_request.hpp"

using namespace migrate;
using namespace migrate::test;
using namespace std::chrono_literals;
using Catch::Contains;
using Catch::StartsWith;
using Strings = std::vector<std::string>;

namespace {

/// Advisory locks held in this test's database (pg_locks is cluster-wide, and other tests run
/// beside this one).
const std::string kAdvisoryHere =
    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM "
    "pg_database WHERE datname = current_database())";

std::string env(const char* name) {
  const char* value = std::getenv(name);
  REQUIRE(value != nullptr);
  return value;
}

/// The cluster's socket folder and port (where logins are trusted).
std::string socket_dir() {
  return env("MIGRATE_TEST_POSTGRES_DIR");
}
std::string port() {
  return env("MIGRATE_TEST_POSTGRES_PORT");
}

/// A URL to `database` over the unix socket as `user`, plus extra query parameters.
std::string socket_url(const std::string& user, const std::string& database,
                       const std::string& extra = {}) {
  return fmt::format("postgresql://{}@/{}?host={}&port={}{}", user, database, socket_dir(), port(),
                     extra);
}

DatabaseUrl pg_url(const std::string& text) {
  return parse_database_url(text, "/");
}

/// What connecting to `url` throws.
std::string connect_error(const std::string& url, const ConnectOptions& options = {}) {
  try {
    PostgresConnection connection(pg_url(url), options);
  } catch (const DbError& e) {
    CHECK(e.exit_code() == ExitCode::failure);
    return e.what();
  }
  FAIL("connected to " << url);
  return {};
}

/// The StatementError `sql` throws.
StatementError statement_error(Connection& connection, const std::string& sql,
                               const std::vector<SqlValue>& params = {}) {
  try {
    connection.execute(sql, params);
  } catch (const StatementError& e) {
    return e;
  }
  FAIL("no error from: " << sql);
  throw;  // unreachable
}

/// The LockTimeout `action` throws.
template <typename Action>
std::string lock_timeout_message(Action action) {
  try {
    action();
  } catch (const LockTimeout& e) {
    CHECK(e.exit_code() == ExitCode::failure);
    return e.what();
  }
  FAIL("no LockTimeout");
  return {};
}

std::string single(Connection& connection, const std::string& sql) {
  std::vector<SqlRow> rows = connection.query(sql);
  REQUIRE(rows.size() == 1);
  REQUIRE(rows[0].size() == 1);
  REQUIRE(rows[0][0].has_value());
  return *rows[0][0];
}

/// A login role for one test, dropped afterwards (declare it before the PostgresDatabase it is
/// used in, so that the database goes first).
class TestRole {
 public:
  explicit TestRole(const std::string& password = {}) {
    static std::atomic<int> counter{0};
    m_name = fmt::format("migrate_role_{}_{}", ::getpid(), counter++);
    postgres_exec(postgres_admin_url(),
                  fmt::format("CREATE ROLE {} LOGIN{}", m_name,
                              password.empty() ? "" : " PASSWORD '" + password + "'"));
  }
  TestRole(const TestRole&) = delete;
  TestRole& operator=(const TestRole&) = delete;
  ~TestRole() {
    try {
      postgres_exec(postgres_admin_url(), "DROP ROLE IF EXISTS " + m_name);
    } catch (const std::exception&) {  // the cluster is thrown away anyway
    }
  }
  const std::string& name() const { return m_name; }

 private:
  std::string m_name;
};

/// A TCP port on 127.0.0.1 that nothing listens on.
int closed_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  socklen_t size = sizeof address;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) == 0);
  ::close(fd);  // bound, never listening: connections are refused
  return ntohs(address.sin_port);
}

/// The user libpq connects as when the URL names none.
std::string default_user() {
  if (const char* user = std::getenv("PGUSER"); user != nullptr && *user != '\0') {
    return user;
  }
  const passwd* entry = ::getpwuid(::geteuid());
  REQUIRE(entry != nullptr);
  return entry->pw_name;
}

long long milliseconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start)
      .count();
}

}  // namespace

// --- connecting ----------------------------------------------------------------------------

TEST_CASE("PostgresConnection: an unreachable server", "[db][postgres]") {
  SECTION("a closed TCP port") {
    int closed = closed_port();
    std::string message =
        connect_error(fmt::format("postgres://alice:s3cret-pw@127.0.0.1:{}/app", closed));
    CHECK(message == fmt::format("cannot reach the PostgreSQL server at 127.0.0.1 port {0} "
                                 "(postgres://alice:***@127.0.0.1:{0}/app): connection to server "
                                 "at \"127.0.0.1\", port {0} failed: Connection refused. Is it "
                                 "running, and are the host and port right?",
                                 closed));
    CHECK(message.find("s3cret-pw") == std::string::npos);
  }
  SECTION("a socket folder with no server") {
    std::string message = connect_error("postgresql://alice:s3cret-pw@/app?host=/nonexistent-dir");
    CHECK(message ==
          "cannot reach the PostgreSQL server at /nonexistent-dir port 5432 "
          "(postgresql://alice:***@/app?host=/nonexistent-dir): connection to server on socket "
          "\"/nonexistent-dir/.s.PGSQL.5432\" failed: No such file or directory. Is it running, "
          "and are the host and port right?");
  }
}

TEST_CASE("PostgresConnection: passwords over TCP", "[db][postgres]") {
  TestRole role("right-s3cret");
  std::string host_port = postgres_tcp_host_port();

  SECTION("the right password connects") {
    PostgresConnection connection(
        pg_url(fmt::format("postgres://{}:right-s3cret@{}/postgres", role.name(), host_port)), {});
    CHECK(single(connection, "SELECT current_user") == role.name());
    CHECK(connection.display_name() ==
          fmt::format("postgres://{}:***@{}/postgres", role.name(), host_port));
  }
  SECTION("a wrong password") {
    std::string message = connect_error(
        fmt::format("postgres://{}:wrong-s3cret@{}/postgres", role.name(), host_port));
    CHECK(message == fmt::format("PostgreSQL refused the password of role '{0}' for "
                                 "postgres://{0}:***@{1}/postgres: check the password in the URL "
                                 "(or PGPASSWORD)",
                                 role.name(), host_port));
    CHECK(message.find("s3cret") == std::string::npos);
  }
  SECTION("a wrong password= parameter") {
    std::string message = connect_error(
        fmt::format("postgres://{}@{}/postgres?password=wrong-s3cret", role.name(), host_port));
    CHECK(message == fmt::format("PostgreSQL refused the password of role '{0}' for "
                                 "postgres://{0}@{1}/postgres?password=***: check the password "
                                 "in the URL (or PGPASSWORD)",
                                 role.name(), host_port));
  }
  SECTION("no password") {
    std::string message =
        connect_error(fmt::format("postgres://{}@{}/postgres", role.name(), host_port));
    CHECK(message == fmt::format("the server asks role '{}' for a password and none was given: "
                                 "put it in the URL (postgres://user:password@host/db) or in "
                                 "PGPASSWORD",
                                 role.name()));
  }
  SECTION("a missing database, after a good password") {
    std::string message = connect_error(
        fmt::format("postgres://{}:right-s3cret@{}/no_such_db", role.name(), host_port));
    CHECK(message ==
          fmt::format("the database 'no_such_db' does not exist on 127.0.0.1 port {0}: create it "
                      "first (createdb -h 127.0.0.1 -p {0} -U {1} no_such_db, or CREATE DATABASE "
                      "\"no_such_db\" in psql); migrate creates tables, not databases",
                      port(), role.name()));
    CHECK(message.find("s3cret") == std::string::npos);
  }
}

TEST_CASE("PostgresConnection: a missing database or role", "[db][postgres]") {
  SECTION("a missing database names it and says how to create it") {
    std::string message = connect_error(socket_url("postgres", "no_such_db"));
    CHECK(message == fmt::format("the database 'no_such_db' does not exist on {0} port {1}: "
                                 "create it first (createdb -h {0} -p {1} -U postgres no_such_db, "
                                 "or CREATE DATABASE \"no_such_db\" in psql); migrate creates "
                                 "tables, not databases",
                                 socket_dir(), port()));
  }
  SECTION("a missing role") {
    std::string message = connect_error(socket_url("no_such_role", "postgres"));
    CHECK(message == fmt::format("the role 'no_such_role' does not exist on {} port {}: create "
                                 "it (CREATE ROLE … LOGIN) or connect as another user",
                                 socket_dir(), port()));
  }
  SECTION("a URL without a user: the message names the one libpq used") {
    std::string user = default_user();
    if (user == "postgres") {
      WARN("the tests run as postgres, which exists: nothing to check");
      return;
    }
    std::string message =
        connect_error(fmt::format("postgresql:///postgres?host={}&port={}", socket_dir(), port()));
    CHECK(message == fmt::format("the role '{}' does not exist on {} port {}: create it (CREATE "
                                 "ROLE … LOGIN) or connect as another user",
                                 user, socket_dir(), port()));
  }
  SECTION("a URL without a database: the backup is named after the one libpq used") {
    PostgresConnection connection(
        pg_url(fmt::format("postgresql://postgres@/?host={}&port={}", socket_dir(), port())), {});
    CHECK(single(connection, "SELECT current_database()") == "postgres");
    CHECK(connection.default_backup_path("20261121T142305Z") ==
          std::filesystem::current_path() / "postgres.20261121T142305Z.dump");
  }
}

// --- statements ----------------------------------------------------------------------------

TEST_CASE("PostgresConnection: the server's version, and what it cannot run in a transaction",
          "[db][postgres]") {
  PostgresDatabase db;
  PostgresConnection connection(pg_url(db.url()), {});
  CHECK(std::to_string(connection.server_version()) ==
        db.column("SELECT current_setting('server_version_num')").at(0));
  CHECK(connection.cannot_run_in_transaction("CREATE INDEX CONCURRENTLY i ON t (x)"));
  // A server from 12 on runs ADD VALUE in a transaction.
  CHECK_FALSE(connection.cannot_run_in_transaction("ALTER TYPE mood ADD VALUE 'ok'"));
  // And it really does refuse the first in one.
  connection.execute("CREATE TABLE t (x int)");
  connection.begin();
  CHECK_THROWS_WITH(connection.execute("CREATE INDEX CONCURRENTLY i ON t (x)"),
                    Catch::Contains("cannot run inside a transaction block"));
  connection.rollback();
}

TEST_CASE("PostgresConnection: execute and query, with and without parameters", "[db][postgres]") {
  PostgresDatabase db;
  PostgresConnection connection(pg_url(db.url()), {});

  connection.execute("CREATE TABLE people (id int PRIMARY KEY, name text, note text)");
  connection.execute("INSERT INTO people VALUES (1, 'ada', NULL), (2, 'grace', 'navy')");
  connection.execute("INSERT INTO people VALUES ($1, $2, $3)",
                     {"3", "o'brien; \"x\"", std::nullopt});
  connection.execute("INSERT INTO people VALUES ($1, $2, $3)", {"4", std::nullopt, "é€😀"});

  CHECK(db.rows("SELECT id, name, note FROM people ORDER BY id") ==
        Rows{{"1", "ada", "NULL"},
             {"2", "grace", "navy"},
             {"3", "o'brien; \"x\"", "NULL"},
             {"4", "NULL", "é€😀"}});

  CHECK(connection.query("SELECT id, name, note FROM people ORDER BY id") ==
        std::vector<SqlRow>{{"1", "ada", std::nullopt},
                            {"2", "grace", "navy"},
                            {"3", "o'brien; \"x\"", std::nullopt},
                            {"4", std::nullopt, "é€😀"}});
  CHECK(connection.query("SELECT name FROM people WHERE id = $1", {"2"}) ==
        std::vector<SqlRow>{{"grace"}});
  CHECK(connection.query("SELECT id FROM people WHERE note IS NOT DISTINCT FROM $1 ORDER BY id",
                         {std::nullopt}) == std::vector<SqlRow>{{"1"}, {"3"}});
  CHECK(connection.query("SELECT id FROM people WHERE id > 100").empty());
  CHECK(connection.query("SELECT $1::int + 1, $2::text IS NULL", {"41", std::nullopt}) ==
        std::vector<SqlRow>{{"42", "t"}});
  // Empty SQL is not an error.
  connection.execute("");
  connection.execute("-- nothing");
  // Several statements in one string, without parameters.
  connection.execute(
      "UPDATE people SET note = 'a' WHERE id = 1; UPDATE people SET note = 'b' WHERE id = 2");
  CHECK(db.column("SELECT note FROM people WHERE id IN (1, 2) ORDER BY id") == Strings{"a", "b"});
}

TEST_CASE("PostgresConnection: query_each reads each row in place", "[db][postgres]") {
  PostgresDatabase db;
  PostgresConnection connection(pg_url(db.url()), {});
  std::vector<std::string> seen;
  connection.query_each(
      "SELECT * FROM (VALUES (3000000000::bigint, '12abc', NULL::text), (-7, 'x', 'y')) v", {},
      [&](const SqlRowView& row) {
        REQUIRE(row.size() == 3);
        seen.push_back(fmt::format("{}|{}|{}|{}", row.integer(0).value_or(-1),
                                   row.integer(1).value_or(-1), row.text(2).value_or("NULL"),
                                   row.integer(2).has_value()));
      });
  CHECK(seen == std::vector<std::string>{"3000000000|12|NULL|false", "-7|0|y|true"});
}

TEST_CASE("PostgresConnection: statements with parameters are prepared once per connection",
          "[db][postgres]") {
  PostgresDatabase db;
  PostgresConnection connection(pg_url(db.url()), {});
  connection.execute("CREATE TABLE counter (n int)");
  for (int i = 0; i < 300; ++i) {
    connection.execute("INSERT INTO counter VALUES ($1)", {std::to_string(i)});
    CHECK(connection.query("SELECT count(*) FROM counter WHERE n <= $1", {std::to_string(i)}) ==
          std::vector<SqlRow>{{std::to_string(i + 1)}});
  }
  CHECK(db.column("SELECT sum(n) FROM counter") == Strings{"44850"});
  // Only the two statements with parameters are prepared, once each.
  CHECK(connection.query("SELECT name, statement FROM pg_prepared_statements ORDER BY name") ==
        std::vector<SqlRow>{{"migrate_0", "INSERT INTO counter VALUES ($1)"},
                            {"migrate_1", "SELECT count(*) FROM counter WHERE n <= $1"}});

  // A statement that does not prepare is not cached; the next one still gets a free name.
  StatementError e = statement_error(connection, "SELECT * FROM missing WHERE id = $1", {"1"});
  CHECK(e.sqlstate() == "42P01");
  CHECK(e.offset() == 14u);
  connection.execute("DELETE FROM counter WHERE n >= $1", {"10"});
  CHECK(db.column("SELECT count(*) FROM counter") == Strings{"10"});
  CHECK(connection.query("SELECT name FROM pg_prepared_statements ORDER BY name") ==
        std::vector<SqlRow>{{"migrate_0"}, {"migrate_1"}, {"migrate_2"}});
  // Prepared statements outlive a rolled-back transaction.
  connection.begin();
  connection.execute("INSERT INTO counter VALUES ($1)", {"1000"});
  connection.rollback();
  connection.execute("INSERT INTO counter VALUES ($1)", {"1001"});
  CHECK(db.column("SELECT n FROM counter WHERE n >= 1000") == Strings{"1001"});
}

TEST_CASE("PostgresConnection: a refused statement carries the server's fields", "[db][postgres]") {
  PostgresDatabase db;
  PostgresConnection connection(pg_url(db.url()), {});

  SECTION("message, SQLSTATE and the position as a byte offset") {
    StatementError e = statement_error(connection, "SELECT 1 FROM nowhere");
    CHECK(std::string(e.what()) == "relation \"nowhere\" does not exist (SQLSTATE 42P01)");
    CHECK(e.sqlstate() == "42P01");
    CHECK(e.offset() == 14u);
    CHECK(e.exit_code() == ExitCode::failure);
  }
  SECTION("the position after multibyte text") {
    std::string sql = "SELECT 'é€😀' AS x,\n  'ü' AS y FROM nowhere";
    StatementError e = statement_error(connection, sql);
    CHECK(e.sqlstate() == "42P01");
    CHECK(e.offset() == sql.find("nowhere"));
    CHECK(e.offset() == 42u);
  }
  SECTION("the position after multibyte text, with parameters") {
    std::string sql = "SELECT $1::text || 'ü€' FROM nowhere";
    StatementError e = statement_error(connection, sql, {"x"});
    CHECK(e.offset() == sql.find("nowhere"));
  }
  SECTION("a syntax error") {
    std::string sql = "CREATE TABLE t (id int);\nSELEC 1";
    StatementError e = statement_error(connection, sql);
    CHECK(std::string(e.what()) == "syntax error at or near \"SELEC\" (SQLSTATE 42601)");
    CHECK(e.offset() == 25u);
  }
  SECTION("detail") {
    connection.execute("CREATE TABLE u (id int PRIMARY KEY)");
    connection.execute("INSERT INTO u VALUES (1)");
    StatementError e = statement_error(connection, "INSERT INTO u VALUES (1)");
    CHECK(std::string(e.what()) ==
          "duplicate key value violates unique constraint \"u_pkey\" (SQLSTATE 23505)\n"
          "  detail: Key (id)=(1) already exists.");
    CHECK(e.sqlstate() == "23505");
    CHECK_FALSE(e.offset().has_value());
  }
  SECTION("the server's hint") {
    StatementError e = statement_error(connection, "SELECT no_such_function(1)");
    CHECK(std::string(e.what()) ==
          "function no_such_function(integer) does not exist (SQLSTATE 42883)\n"
          "  hint: No function matches the given name and argument types. You might need to add "
          "explicit type casts.");
    CHECK(e.offset() == 7u);
  }
  SECTION("RAISE in a DO block: detail, hint and context") {
    StatementError e = statement_error(
        connection,
        "DO $$ BEGIN RAISE EXCEPTION 'boom %', 42 USING DETAIL = 'the detail', HINT = 'the "
        "hint'; END $$");
    CHECK(std::string(e.what()) ==
          "boom 42 (SQLSTATE P0001)\n"
          "  detail: the detail\n"
          "  hint: the hint\n"
          "  context: PL/pgSQL function inline_code_block line 1 at RAISE");
    CHECK(e.sqlstate() == "P0001");
    CHECK_FALSE(e.offset().has_value());
  }
  SECTION("25001: our hint for CREATE INDEX CONCURRENTLY in a transaction") {
    connection.execute("CREATE TABLE t (id int)");
    connection.begin();
    StatementError e = statement_error(connection, "CREATE INDEX CONCURRENTLY t_id ON t (id)");
    CHECK(std::string(e.what()) ==
          "CREATE INDEX CONCURRENTLY cannot run inside a transaction block (SQLSTATE 25001)\n"
          "  migrate: this statement cannot run inside a transaction: mark the section "
          "'-- migrate:up transaction:false' (or ':down')");
    CHECK(e.sqlstate() == "25001");
    connection.rollback();
    // Outside a transaction it runs.
    connection.execute("CREATE INDEX CONCURRENTLY t_id ON t (id)");
    CHECK(db.column("SELECT indexname FROM pg_indexes WHERE tablename = 't'") == Strings{"t_id"});
  }
  SECTION("COPY FROM STDIN is refused, and the connection stays usable") {
    connection.execute("CREATE TABLE c (id int)");
    StatementError e = statement_error(connection, "COPY c FROM STDIN");
    CHECK(std::string(e.what()) ==
          "COPY … FROM STDIN / TO STDOUT needs data from a client: in a migration, use INSERT or "
          "COPY from a file the server can read");
    CHECK(e.sqlstate() == "0A000");
    CHECK(single(connection, "SELECT 7") == "7");
    CHECK(db.column("SELECT count(*) FROM c") == Strings{"0"});
  }
}

TEST_CASE("PostgresConnection: 42501 gets our hint", "[db][postgres]") {
  TestRole role;
  PostgresDatabase db;
  PostgresConnection connection(pg_url(socket_url(role.name(), db.name())), {});
  StatementError e = statement_error(connection, "CREATE TABLE mine (id int)");
  CHECK(std::string(e.what()) ==
        "permission denied for schema public (SQLSTATE 42501)\n"
        "  migrate: the connecting role lacks a privilege: grant it, or run the migration as the "
        "owner of the objects");
  CHECK(e.sqlstate() == "42501");
  CHECK(e.offset() == 13u);
}

// --- transactions ----------------------------------------------------------------------------

TEST_CASE("PostgresConnection: transactions", "[db][postgres]") {
  PostgresDatabase db;
  PostgresConnection connection(pg_url(db.url()), {});
  connection.execute("CREATE TABLE t (id int PRIMARY KEY)");
  CHECK_FALSE(connection.in_transaction());

  SECTION("commit keeps") {
    connection.begin();
    CHECK(connection.in_transaction());
    connection.execute("INSERT INTO t VALUES (1)");
    CHECK(db.column("SELECT count(*) FROM t") == Strings{"0"});  // not visible to others yet
    connection.commit();
    CHECK_FALSE(connection.in_transaction());
    CHECK(db.column("SELECT id FROM t") == Strings{"1"});
  }
  SECTION("rollback undoes, DDL included") {
    connection.begin();
    connection.execute("INSERT INTO t VALUES (1)");
    connection.execute("CREATE TABLE other (id int)");
    connection.rollback();
    CHECK_FALSE(connection.in_transaction());
    CHECK(db.column("SELECT count(*) FROM t") == Strings{"0"});
    CHECK(db.relations() == Strings{"t"});
  }
  SECTION("after an error inside a transaction") {
    connection.begin();
    connection.execute("INSERT INTO t VALUES (1)");
    StatementError duplicate = statement_error(connection, "INSERT INTO t VALUES (1)");
    CHECK(duplicate.sqlstate() == "23505");
    CHECK(connection.in_transaction());
    StatementError aborted = statement_error(connection, "INSERT INTO t VALUES (2)");
    CHECK(std::string(aborted.what()) ==
          "current transaction is aborted, commands ignored until end of transaction block "
          "(SQLSTATE 25P02)");
    connection.rollback();
    CHECK_FALSE(connection.in_transaction());
    CHECK(single(connection, "SELECT count(*) FROM t") == "0");
    connection.execute("INSERT INTO t VALUES ($1)", {"3"});
    CHECK(db.column("SELECT id FROM t") == Strings{"3"});
  }
  SECTION("rollback without a transaction does nothing") {
    connection.rollback();
    CHECK_FALSE(connection.in_transaction());
    connection.execute("INSERT INTO t VALUES (5)");
    CHECK(db.column("SELECT id FROM t") == Strings{"5"});
  }
}

TEST_CASE("PostgresConnection: table_columns", "[db][postgres]") {
  PostgresDatabase db;
  PostgresConnection connection(pg_url(db.url()), {});
  connection.execute(
      "CREATE TABLE \"MixedCase\" (\"Id\" int, \"two words\" text, plain int, gone int)");
  connection.execute("ALTER TABLE \"MixedCase\" DROP COLUMN gone");
  connection.execute("CREATE TABLE lower_case (a int)");
  connection.execute("CREATE TABLE \"we\"\"ird\" (x int)");
  connection.execute("CREATE SCHEMA app");
  connection.execute("CREATE TABLE app.items (id int, label text)");

  CHECK(connection.table_columns("MixedCase") == Strings{"Id", "two words", "plain"});
  CHECK(connection.table_columns("mixedcase").empty());
  CHECK(connection.table_columns("lower_case") == Strings{"a"});
  CHECK(connection.table_columns("we\"ird") == Strings{"x"});
  CHECK(connection.table_columns("app.items") == Strings{"id", "label"});
  CHECK(connection.table_columns("public.lower_case") == Strings{"a"});
  CHECK(connection.table_columns("items").empty());  // not on the search_path
  CHECK(connection.table_columns("missing").empty());
  CHECK(connection.table_columns("nope.missing").empty());

  PostgresConnection in_app(pg_url(db.url() + "&search_path=app"), {});
  CHECK(in_app.table_columns("items") == Strings{"id", "label"});
}

TEST_CASE("PostgresConnection: a read-only session asks its state table's columns as it opens",
          "[db][postgres]") {
  PostgresDatabase db;
  db.exec("CREATE TABLE \"MixedCase\" (\"Id\" int, \"two words\" text, gone int)");
  db.exec("ALTER TABLE \"MixedCase\" DROP COLUMN gone");
  db.exec("CREATE TABLE \"we\"\"ird\" (x int)");
  db.exec("CREATE SCHEMA app");
  db.exec("CREATE TABLE app.items (id int, label text)");
  struct Case {
    std::string table;       // as configured
    std::string url_suffix;  // the URL's search_path, if any
    std::string altered;     // the table as an ALTER names it
    Strings columns;         // what the session's first message found
  };
  const Case cases[] = {
      {"MixedCase", "", "\"MixedCase\"", {"Id", "two words"}},
      {"we\"ird", "", "\"we\"\"ird\"", {"x"}},
      {"app.items", "", "app.items", {"id", "label"}},
      {"items", "&search_path=app", "app.items", {"id", "label"}},
  };
  for (const Case& c : cases) {
    INFO(c.table << c.url_suffix);
    ConnectOptions options;
    options.read_only = true;
    options.columns_of = c.table;
    PostgresConnection connection(pg_url(db.url() + c.url_suffix), options);
    // Changed after the session opened: the first answer is the one its message brought (no
    // question asked again), a later one asks again.
    CHECK(connection.table_columns("lower_case").empty());  // another table: asked, not taken
    db.exec(fmt::format("ALTER TABLE {} ADD COLUMN added int", c.altered));
    CHECK(connection.table_columns(connection.qualified_table(c.table)) == c.columns);
    Strings now = c.columns;
    now.push_back("added");
    CHECK(connection.table_columns(connection.qualified_table(c.table)) == now);
    db.exec(fmt::format("ALTER TABLE {} DROP COLUMN added", c.altered));
  }
  SECTION("a table made after the session opened was not there yet; asked again, it is") {
    ConnectOptions options;
    options.read_only = true;
    options.columns_of = "later";
    PostgresConnection connection(pg_url(db.url()), options);
    db.exec("CREATE TABLE later (id int)");
    CHECK(connection.table_columns("public.later").empty());
    CHECK(connection.table_columns("public.later") == Strings{"id"});
  }
  SECTION("a session that may write asks when asked") {
    ConnectOptions options;
    options.columns_of = "MixedCase";
    PostgresConnection connection(pg_url(db.url()), options);
    db.exec("ALTER TABLE \"MixedCase\" ADD COLUMN added int");
    CHECK(connection.table_columns("public.MixedCase") == Strings{"Id", "two words", "added"});
  }
}

TEST_CASE("PostgresConnection: a read-only session refuses writes", "[db][postgres]") {
  PostgresDatabase db;
  db.exec("CREATE TABLE t (id int)");
  ConnectOptions options;
  options.read_only = true;
  PostgresConnection connection(pg_url(db.url()), options);

  CHECK(single(connection, "SHOW default_transaction_read_only") == "on");
  StatementError create = statement_error(connection, "CREATE TABLE other (id int)");
  CHECK(std::string(create.what()) ==
        "cannot execute CREATE TABLE in a read-only transaction (SQLSTATE 25006)");
  CHECK(create.sqlstate() == "25006");
  StatementError insert = statement_error(connection, "INSERT INTO t VALUES ($1)", {"1"});
  CHECK(insert.sqlstate() == "25006");
  connection.begin();
  CHECK(statement_error(connection, "INSERT INTO t VALUES (1)").sqlstate() == "25006");
  connection.rollback();
  CHECK(connection.query("SELECT count(*) FROM t") == std::vector<SqlRow>{{"0"}});
  CHECK(db.relations() == Strings{"t"});

  // The URL's settings, read-only and the session's schema go in one message: all of them hold.
  db.exec("CREATE SCHEMA app");
  PostgresConnection in_app(pg_url(db.url() + "&search_path=app,public"), options);
  CHECK(single(in_app, "SHOW default_transaction_read_only") == "on");
  CHECK(single(in_app, "SHOW search_path") == "app, public");
  CHECK(in_app.qualified_table("schema_migrations") == "app.schema_migrations");
  CHECK(in_app.table_columns("t") == Strings{"id"});  // found through public, one round trip
}

// --- search_path and the state table ---------------------------------------------------------

TEST_CASE("PostgresConnection: search_path puts the state table in its first schema",
          "[db][postgres]") {
  PostgresDatabase db;

  SECTION("search_path=") {
    PostgresConnection connection(pg_url(db.url() + "&search_path=migrate_state,public"), {});
    CHECK(connection.search_path() == Strings{"migrate_state", "public"});
    CHECK(connection.session_settings() ==
          Strings{"SET search_path TO \"migrate_state\", \"public\""});
    CHECK(single(connection, "SHOW search_path") == "migrate_state, public");
    StateTable table(connection, "schema_migrations");
    table.ensure();
    CHECK(db.relations("migrate_state") == Strings{"schema_migrations"});
    CHECK(db.relations("public").empty());
    CHECK(table.read().empty());
    table.ensure();  // a second time: found, left alone
    CHECK(db.relations("migrate_state") == Strings{"schema_migrations"});
    // Unqualified names in migrations go there too.
    connection.execute("CREATE TABLE users (id int)");
    CHECK(db.relations("migrate_state") == Strings{"schema_migrations", "users"});
  }
  SECTION("schema= with a mixed-case name, kept as written") {
    PostgresConnection connection(pg_url(db.url() + "&schema=MyApp"), {});
    StateTable(connection, "schema_migrations").ensure();
    CHECK(db.relations("MyApp") == Strings{"schema_migrations"});
    CHECK(db.relations("myapp").empty());
  }
  SECTION("a qualified state table makes its own schema") {
    PostgresConnection connection(pg_url(db.url()), {});
    CHECK(connection.session_settings().empty());
    StateTable(connection, "audit.schema_migrations").ensure();
    CHECK(db.relations("audit") == Strings{"schema_migrations"});
    CHECK(db.relations("public").empty());
  }
  SECTION("create_schema_for on its own") {
    PostgresConnection plain(pg_url(db.url()), {});
    plain.create_schema_for("schema_migrations");  // nothing to create
    plain.create_schema_for("Odd Schema.state");
    plain.create_schema_for("Odd Schema.state");  // already there: fine
    PostgresConnection with_path(pg_url(db.url() + "&search_path=first,second"), {});
    with_path.create_schema_for("schema_migrations");
    CHECK(db.column("SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND "
                    "nspname <> 'information_schema' ORDER BY 1") ==
          Strings{"Odd Schema", "first", "public"});
  }
  SECTION("without search_path: public") {
    PostgresConnection connection(pg_url(db.url()), {});
    StateTable(connection, "schema_migrations").ensure();
    CHECK(db.relations("public") == Strings{"schema_migrations"});
    CHECK(db.column("SELECT count(*) FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND "
                    "nspname <> 'information_schema'") == Strings{"1"});
  }
}

TEST_CASE("PostgresConnection: the state table is qualified with the schema resolved on connecting",
          "[db][postgres][session]") {
  PostgresDatabase db;
  db.exec("CREATE SCHEMA other");
  PostgresConnection plain(pg_url(db.url()), {});
  PostgresConnection with_path(pg_url(db.url() + "&search_path=app,public"), {});
  PostgresConnection with_options(pg_url(db.url() + "&options=-c%20search_path%3Dother"), {});
  plain.execute("SET search_path TO other");  // later changes do not move it
  CHECK(plain.qualified_table("schema_migrations") == "public.schema_migrations");
  CHECK(plain.qualified_table("audit.state") == "audit.state");
  CHECK(with_path.qualified_table("schema_migrations") == "app.schema_migrations");
  CHECK(with_options.qualified_table("schema_migrations") == "other.schema_migrations");
  StateTable table(plain, "schema_migrations");
  table.ensure();
  CHECK(db.relations("public") == Strings{"schema_migrations"});
  CHECK(db.relations("other").empty());
  CHECK(table.read().empty());
}

TEST_CASE("PostgresConnection: reset_session undoes a migration's SETs and keeps the lock",
          "[db][postgres][session]") {
  PostgresDatabase db;
  const std::string role = "migrate_reset_role_" + std::to_string(::getpid());
  db.exec(fmt::format("CREATE SCHEMA other; DROP ROLE IF EXISTS {0}; CREATE ROLE {0}", role));
  ConnectOptions options;
  options.server.statement_timeout = 7s;
  PostgresConnection connection(pg_url(db.url() + "&search_path=app,public"), options);
  connection.lock_migrations("schema_migrations");
  for (bool in_transaction : {false, true}) {
    INFO("in a transaction: " << in_transaction);
    if (in_transaction) {
      connection.begin();
    }
    connection.execute("SET search_path TO other; SET statement_timeout = '1min'; SET ROLE " +
                       role + "; SET application_name = 'changed'");
    CHECK(single(connection, "SELECT current_user") == role);
    connection.reset_session();
    CHECK(single(connection, "SHOW search_path") == "app, public");
    CHECK(single(connection, "SHOW statement_timeout") == "7s");
    CHECK(single(connection, "SELECT current_user") == "postgres");
    CHECK(single(connection, "SHOW application_name") == "migrate");
    CHECK(single(connection,
                 "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND "
                 "granted AND pid = pg_backend_pid()") == "1");
    if (in_transaction) {
      connection.commit();
    }
  }
  connection.unlock_migrations();
  db.exec("DROP ROLE " + role);
}

// --- the migration lock ----------------------------------------------------------------------

TEST_CASE("PostgresConnection: the session migration lock", "[db][postgres]") {
  PostgresDatabase db;
  ConnectOptions quick;
  quick.lock_timeout = 300ms;
  PostgresConnection first(pg_url(db.url()), {});
  PostgresConnection second(pg_url(db.url()), quick);
  std::string first_pid = single(first, "SELECT pg_backend_pid()");
  std::string second_pid = single(second, "SELECT pg_backend_pid()");
  REQUIRE(first_pid != second_pid);

  first.lock_migrations("schema_migrations");
  auto start = std::chrono::steady_clock::now();
  std::string message = lock_timeout_message([&] { second.lock_migrations("schema_migrations"); });
  long long waited = milliseconds_since(start);
  CHECK(waited >= 280);
  CHECK(waited < 5000);
  std::regex expected(
      "another migrate is running on " +
      std::regex_replace(db.url(), std::regex(R"([.?*+^$|()\[\]{}\\])"), R"(\$&)") +
      ": its lock is held by backend pid " + first_pid +
      R"( \(migrate, from the local socket, connected \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\); )"
      R"(gave up after 300 ms \(wait longer with --lock-timeout\))");
  INFO(message);
  CHECK(std::regex_match(message, expected));
  // The loser's session is as it was: no transaction, the server's lock_timeout.
  CHECK_FALSE(second.in_transaction());
  CHECK(single(second, "SHOW lock_timeout") == "0");

  // Released: the other one gets it, and now holds it against the first.
  first.unlock_migrations();
  second.lock_migrations("schema_migrations");
  CHECK(single(second, "SHOW lock_timeout") == "0");
  PostgresConnection third(pg_url(db.url()), quick);
  CHECK_THAT(lock_timeout_message([&] { third.lock_migrations("schema_migrations"); }),
             Contains("its lock is held by backend pid " + second_pid + " (migrate, "));
  // The same table named with its schema is the same lock.
  CHECK_THAT(lock_timeout_message([&] { third.lock_migrations("public.schema_migrations"); }),
             Contains("backend pid " + second_pid + " "));
  second.unlock_migrations();
  third.lock_migrations("public.schema_migrations");
  third.unlock_migrations();
  // unlock_migrations twice, or without a lock, is harmless.
  third.unlock_migrations();
  first.unlock_migrations();
}

TEST_CASE("PostgresConnection: on_lock_wait hears once, before waiting, who holds the lock",
          "[db][postgres][lock-wait]") {
  PostgresDatabase db;
  for (LockMode mode : {LockMode::session, LockMode::transaction}) {
    INFO("transaction lock mode: " << (mode == LockMode::transaction));
    std::vector<std::string> heard;
    ConnectOptions listening;
    listening.lock_timeout = 300ms;
    listening.server.lock_mode = mode;
    listening.on_lock_wait = [&heard](std::string_view text) { heard.emplace_back(text); };
    PostgresConnection holder(pg_url(db.url()), {});
    PostgresConnection waiter(pg_url(db.url()), listening);
    // Free: taken without a word.
    waiter.lock_migrations("schema_migrations");
    waiter.begin();
    waiter.commit();
    waiter.unlock_migrations();
    CHECK(heard.empty());

    holder.lock_migrations("schema_migrations");
    std::string holder_pid = single(holder, "SELECT pg_backend_pid()");
    lock_timeout_message([&] {
      waiter.lock_migrations("schema_migrations");
      waiter.begin();  // where the transaction lock mode takes it
    });
    REQUIRE(heard.size() == 1);
    CHECK_THAT(heard[0], StartsWith("waiting for the migration lock on " + db.url() +
                                    ", held by backend pid " + holder_pid + " (migrate, "));
    CHECK_THAT(heard[0], Contains(": up to 300 ms (--lock-timeout)"));
    holder.unlock_migrations();
  }
}

TEST_CASE("PostgresConnection: cancel() ends a statement and a wait for the migration lock",
          "[db][postgres][stop]") {
  PostgresDatabase db;
  ConnectOptions patient;
  patient.lock_timeout = 60s;
  PostgresConnection connection(pg_url(db.url()), patient);
  StopRequest stop;
  std::thread stopper;
  auto stop_when = [&](const std::string& waiting) {
    // Once the server shows the call running, as Ctrl-C would come.
    stopper = std::thread([&stop, &db, waiting] {
      for (int i = 0; i < 3000 && db.column("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                                            "current_database() AND state = 'active' "
                                            "AND query LIKE '" +
                                            waiting + "%'") != Strings{"1"};
           ++i) {
        std::this_thread::sleep_for(10ms);
      }
      stop.request("test");
    });
  };
  std::string sqlstate;
  SECTION("a statement") {
    stop_when("SELECT pg_sleep(60)");
    try {
      cancellable(&stop, connection, [&] { connection.execute("SELECT pg_sleep(60)"); });
    } catch (const StatementError& e) {
      sqlstate = e.sqlstate();
    }
  }
  SECTION("a wait for the migration lock") {
    PostgresConnection holder(pg_url(db.url()), {});
    holder.lock_migrations("schema_migrations");
    stop_when("SELECT pg_advisory_lock(");
    try {
      cancellable(&stop, connection, [&] { connection.lock_migrations("schema_migrations"); });
    } catch (const StatementError& e) {  // not a LockTimeout
      sqlstate = e.sqlstate();
    }
    holder.unlock_migrations();
  }
  stopper.join();
  CHECK(sqlstate == "57014");  // canceling statement due to user request
  // Nothing of it runs on the server, and the connection works on.
  // pg_stat_activity is cluster-wide; other tests run beside this one.
  CHECK(db.column("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND "
                  "state = 'active' AND query LIKE 'SELECT pg_%'") == Strings{"0"});
  CHECK(single(connection, "SELECT 1") == "1");
}

TEST_CASE("PostgresConnection: the lock ends with the connection", "[db][postgres]") {
  PostgresDatabase db;
  ConnectOptions quick;
  quick.lock_timeout = 200ms;
  PostgresConnection waiting(pg_url(db.url()), quick);
  {
    PostgresConnection holder(pg_url(db.url()), {});
    holder.lock_migrations("schema_migrations");
    CHECK_THROWS_AS(waiting.lock_migrations("schema_migrations"), LockTimeout);
  }
  waiting.lock_migrations("schema_migrations");
  CHECK(db.column(kAdvisoryHere + " AND granted") == Strings{"1"});
  waiting.unlock_migrations();
  CHECK(db.column(kAdvisoryHere) == Strings{"0"});
}

TEST_CASE("PostgresConnection: different state tables, schemas or databases do not block",
          "[db][postgres]") {
  PostgresDatabase db;
  PostgresDatabase other_db;
  ConnectOptions quick;
  quick.lock_timeout = 200ms;
  PostgresConnection holder(pg_url(db.url()), {});
  holder.lock_migrations("schema_migrations");

  PostgresConnection other_table(pg_url(db.url()), quick);
  other_table.lock_migrations("other_migrations");
  PostgresConnection other_schema(pg_url(db.url() + "&search_path=tenant"), quick);
  other_schema.lock_migrations("schema_migrations");
  PostgresConnection qualified(pg_url(db.url()), quick);
  qualified.lock_migrations("tenant2.schema_migrations");
  PostgresConnection other_database(pg_url(other_db.url()), quick);
  other_database.lock_migrations("schema_migrations");

  // …while the same one still does.
  PostgresConnection same(pg_url(db.url() + "&search_path=public"), quick);
  CHECK_THROWS_AS(same.lock_migrations("schema_migrations"), LockTimeout);
}

TEST_CASE("PostgresConnection: transaction lock mode takes the lock in each begin()",
          "[db][postgres]") {
  PostgresDatabase db;
  db.exec("CREATE TABLE t (id int)");
  ConnectOptions per_transaction;
  per_transaction.server.lock_mode = LockMode::transaction;
  per_transaction.lock_timeout = 300ms;
  PostgresConnection first(pg_url(db.url()), per_transaction);
  PostgresConnection second(pg_url(db.url()), per_transaction);
  std::string first_pid = single(first, "SELECT pg_backend_pid()");

  // lock_migrations only picks the key: nothing is held yet, so both get past it.
  first.lock_migrations("schema_migrations");
  second.lock_migrations("schema_migrations");
  CHECK(db.column(kAdvisoryHere) == Strings{"0"});

  first.begin();
  CHECK(db.column(kAdvisoryHere + " AND granted") == Strings{"1"});
  first.execute("INSERT INTO t VALUES (1)");
  std::string message = lock_timeout_message([&] { second.begin(); });
  CHECK_THAT(message, StartsWith("another migrate is running on " + db.url() +
                                 ": its lock is held by backend pid " + first_pid + " (migrate, "));
  CHECK_THAT(message, Contains("; gave up after 300 ms (wait longer with --lock-timeout)"));
  CHECK_FALSE(second.in_transaction());
  CHECK(single(second, "SHOW lock_timeout") == "0");

  // A session lock on the same key waits for the transaction too.
  ConnectOptions session;
  session.lock_timeout = 200ms;
  PostgresConnection third(pg_url(db.url()), session);
  CHECK_THROWS_AS(third.lock_migrations("schema_migrations"), LockTimeout);

  first.commit();  // the lock goes with the transaction
  CHECK(db.column(kAdvisoryHere) == Strings{"0"});
  second.begin();
  CHECK(single(second, "SHOW lock_timeout") == "0");
  second.execute("INSERT INTO t VALUES (2)");
  second.commit();
  CHECK(db.column("SELECT id FROM t ORDER BY id") == Strings{"1", "2"});

  // begin() before lock_migrations (no key yet) takes no lock.
  PostgresConnection fresh(pg_url(db.url()), per_transaction);
  fresh.begin();
  CHECK(db.column(kAdvisoryHere) == Strings{"0"});
  fresh.rollback();
}

// --- timeouts ----------------------------------------------------------------------------------

TEST_CASE("PostgresConnection: statement_timeout applies to the session", "[db][postgres]") {
  PostgresDatabase db;
  ConnectOptions options;
  options.server.statement_timeout = 300ms;
  PostgresConnection connection(pg_url(db.url()), options);
  CHECK(connection.session_settings() == Strings{"SET statement_timeout = '300ms'"});
  CHECK(single(connection, "SHOW statement_timeout") == "300ms");
  auto start = std::chrono::steady_clock::now();
  StatementError e = statement_error(connection, "SELECT pg_sleep(5)");
  CHECK(milliseconds_since(start) < 4000);
  CHECK(std::string(e.what()) == "canceling statement due to statement timeout (SQLSTATE 57014)");
  CHECK(e.sqlstate() == "57014");
  // Also inside a transaction.
  connection.begin();
  CHECK(statement_error(connection, "SELECT pg_sleep(5)").sqlstate() == "57014");
  connection.rollback();
}

TEST_CASE("PostgresConnection: migration_lock_timeout bounds waits on locks in a migration",
          "[db][postgres]") {
  PostgresDatabase db;
  db.exec("CREATE TABLE t (id int PRIMARY KEY, v int); INSERT INTO t VALUES (1, 1)");
  PostgresConnection holder(pg_url(db.url()), {});
  holder.begin();
  holder.execute("UPDATE t SET v = 2 WHERE id = 1");  // holds the row lock

  ConnectOptions options;
  options.server.migration_lock_timeout = 300ms;
  PostgresConnection connection(pg_url(db.url()), options);
  CHECK(single(connection, "SHOW lock_timeout") == "0");  // only inside migrations
  connection.begin();
  CHECK(single(connection, "SHOW lock_timeout") == "300ms");
  auto start = std::chrono::steady_clock::now();
  StatementError e = statement_error(connection, "UPDATE t SET v = 3 WHERE id = 1");
  long long waited = milliseconds_since(start);
  CHECK(waited >= 280);
  CHECK(waited < 5000);
  CHECK(e.sqlstate() == "55P03");
  CHECK(std::string(e.what()) ==
        "canceling statement due to lock timeout (SQLSTATE 55P03)\n"
        "  context: while updating tuple (0,1) in relation \"t\"\n"
        "  migrate: a lock stayed taken longer than --migration-lock-timeout; run again when the "
        "database is quieter, or allow longer");
  connection.rollback();
  CHECK(single(connection, "SHOW lock_timeout") == "0");

  // DDL waiting for a table lock too.
  connection.begin();
  StatementError alter = statement_error(connection, "ALTER TABLE t ADD COLUMN w int");
  CHECK(alter.sqlstate() == "55P03");
  CHECK_THAT(std::string(alter.what()),
             Contains("\n  migrate: a lock stayed taken longer than --migration-lock-timeout"));
  connection.rollback();

  holder.commit();
  connection.begin();
  connection.execute("UPDATE t SET v = 3 WHERE id = 1");
  connection.commit();
  CHECK(db.column("SELECT v FROM t") == Strings{"3"});
}

TEST_CASE("PostgresConnection: the migration lock with migration_lock_timeout in transaction mode",
          "[db][postgres]") {
  PostgresDatabase db;
  ConnectOptions options;
  options.server.lock_mode = LockMode::transaction;
  options.lock_timeout = 5000ms;
  options.server.migration_lock_timeout = 250ms;
  PostgresConnection connection(pg_url(db.url()), options);
  connection.lock_migrations("schema_migrations");
  connection.begin();
  // After the advisory lock, the transaction's lock_timeout is the migration's.
  CHECK(single(connection, "SHOW lock_timeout") == "250ms");
  connection.commit();
  CHECK(single(connection, "SHOW lock_timeout") == "0");
}

// --- backups -----------------------------------------------------------------------------------

TEST_CASE("PostgresConnection: backup writes a pg_dump archive that pg_restore reads",
          "[db][postgres]") {
  PostgresDatabase db;
  PostgresDatabase restored;
  TempDir dir;
  PostgresConnection connection(pg_url(db.url()), {});
  connection.execute("CREATE TABLE items (id int PRIMARY KEY, name text)");
  connection.execute("INSERT INTO items VALUES (1, 'one'), (2, 'two; ''quoted''')");
  connection.execute("CREATE SCHEMA app; CREATE VIEW app.names AS SELECT name FROM public.items");

  std::filesystem::path path = dir / "backup.dump";
  connection.backup(path);
  REQUIRE(std::filesystem::is_regular_file(path));
  CHECK(read_text(path).substr(0, 5) == "PGDMP");  // the custom format's magic

  ProcessResult list = run_process({"pg_restore", "--list", path.string()});
  INFO(list.err);
  REQUIRE(list.exit_code == 0);
  CHECK_THAT(list.out, Contains(" TABLE public items postgres"));
  CHECK_THAT(list.out, Contains(" TABLE DATA public items postgres"));
  CHECK_THAT(list.out, Contains(" VIEW app names postgres"));
  CHECK_THAT(list.out, Contains("dbname: " + db.name()));

  ProcessResult restore =
      run_process({"pg_restore", "--no-owner", "--dbname=" + restored.url(), path.string()});
  INFO(restore.err);
  REQUIRE(restore.exit_code == 0);
  CHECK(restored.rows("SELECT id, name FROM items ORDER BY id") ==
        Rows{{"1", "one"}, {"2", "two; 'quoted'"}});
  CHECK(restored.relations("app") == Strings{"names"});
}

TEST_CASE("PostgresConnection: backup over TCP passes the password to pg_dump", "[db][postgres]") {
  TestRole role("dump-s3cret");
  PostgresDatabase db;
  TempDir dir;
  db.exec(fmt::format("GRANT CREATE ON SCHEMA public TO {}", role.name()));
  PostgresConnection connection(pg_url(fmt::format("postgres://{}:dump-s3cret@{}/{}", role.name(),
                                                   postgres_tcp_host_port(), db.name())),
                                {});
  connection.execute("CREATE TABLE mine (id int)");
  connection.execute("INSERT INTO mine VALUES (42)");
  std::filesystem::path path = dir / "tcp.dump";
  connection.backup(path);
  ProcessResult list = run_process({"pg_restore", "--list", path.string()});
  INFO(list.err);
  REQUIRE(list.exit_code == 0);
  CHECK_THAT(list.out, Contains(" TABLE DATA public mine " + role.name()));
  db.exec(fmt::format("DROP TABLE mine; REVOKE ALL ON SCHEMA public FROM {}", role.name()));
}

TEST_CASE("PostgresConnection: a backup that cannot be written fails cleanly", "[db][postgres]") {
  PostgresDatabase db;
  TempDir dir;
  PostgresConnection connection(pg_url(db.url()), {});
  connection.execute("CREATE TABLE items (id int)");

  SECTION("a missing folder") {
    std::filesystem::path path = dir / "missing" / "backup.dump";
    try {
      connection.backup(path);
      FAIL("the backup succeeded");
    } catch (const DbError& e) {
      CHECK(std::string(e.what()) == fmt::format("cannot back up to {}: the folder {} does not "
                                                 "exist",
                                                 path.string(), path.parent_path().string()));
    }
    CHECK_FALSE(std::filesystem::exists(path));
    CHECK_FALSE(std::filesystem::exists(dir / "missing"));
  }
  SECTION("an existing file is not overwritten, nor removed") {
    std::filesystem::path path = dir / "keep.dump";
    write_text(path, "precious");
    try {
      connection.backup(path);
      FAIL("the backup succeeded");
    } catch (const DbError& e) {
      CHECK(std::string(e.what()) ==
            fmt::format("cannot back up to {}: the file exists", path.string()));
    }
    CHECK(read_text(path) == "precious");
  }
  SECTION("a folder in the way is left alone") {
    std::filesystem::path path = dir / "a_folder";
    std::filesystem::create_directory(path);
    CHECK_THROWS_AS(connection.backup(path), DbError);
    CHECK(std::filesystem::is_directory(path));
  }
  CHECK(db.relations() == Strings{"items"});
}

TEST_CASE("PostgresConnection: default_backup_path", "[db][postgres]") {
  PostgresDatabase db;
  PostgresConnection connection(pg_url(db.url()), {});
  CHECK(connection.default_backup_path("20261121T142305Z") ==
        std::filesystem::current_path() / (db.name() + ".20261121T142305Z.dump"));
}

TEST_CASE("PostgresConnection: a lost connection is a DbError that says so", "[db][postgres]") {
  PostgresDatabase db;
  PostgresConnection connection(pg_url(db.url()), {});
  connection.lock_migrations("schema_migrations");
  connection.begin();
  std::string pid = single(connection, "SELECT pg_backend_pid()");
  postgres_exec(postgres_admin_url(), "SELECT pg_terminate_backend(" + pid + ")");
  try {
    connection.execute("SELECT 1");
    FAIL("the connection survived");
  } catch (const StatementError& e) {
    FAIL("a StatementError: " << e.what());
  } catch (const DbError& e) {
    CHECK_THAT(std::string(e.what()), StartsWith("lost the connection to " + db.url() + ": "));
    CHECK_THAT(std::string(e.what()), Contains("terminating connection due to administrator"));
  }
  // The error paths still run without throwing.
  CHECK_FALSE(connection.in_transaction());
  connection.rollback();
  connection.unlock_migrations();
}

TEST_CASE("PostgresConnection: migration SQL is UTF-8 whatever the database's encoding",
          "[db][postgres]") {
  std::string name = fmt::format("migrate_latin1_{}", ::getpid());
  struct Latin1Database {
    explicit Latin1Database(std::string database) : name(std::move(database)) {
      postgres_exec(postgres_admin_url(), "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      postgres_exec(postgres_admin_url(),
                    "CREATE DATABASE " + name + " ENCODING 'LATIN1' TEMPLATE template0");
    }
    ~Latin1Database() {
      try {
        postgres_exec(postgres_admin_url(), "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      } catch (const std::exception&) {  // the cluster is thrown away anyway
      }
    }
    std::string name;
  } latin1(name);

  PostgresConnection connection(pg_url(socket_url("postgres", name)), {});
  CHECK(single(connection, "SHOW server_encoding") == "LATIN1");
  connection.execute("CREATE TABLE t (s text)");
  connection.execute("INSERT INTO t VALUES ('café')");
  connection.execute("INSERT INTO t VALUES ($1)", {"naïve"});
  // Stored as the characters written, not as their UTF-8 bytes read as Latin-1.
  CHECK(connection.query("SELECT s, length(s) FROM t ORDER BY s") ==
        std::vector<SqlRow>{{"café", "4"}, {"naïve", "5"}});
  std::string sql = "SELECT 'àéîõü' FROM nowhere";
  StatementError e = statement_error(connection, sql);
  CHECK(e.offset() == sql.find("nowhere"));
}
