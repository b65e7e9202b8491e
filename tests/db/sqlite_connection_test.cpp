// SqliteConnection against real database files: running with error offsets, transactions, the
// dialect's foreign-key switch and check on it, and the messages for a database that cannot be
// opened (splitting is SqliteDialect's: sqlite_dialect_test). Assertions read the file with the raw
// C API (support/sqlite_probe).
#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "db/cancellable.hpp"
#include "db/database_url.hpp"
#include "db/sqlite/sqlite_connection.hpp"
#include "support/hot_journal.hpp"
#include "support/sqlite_probe.hpp"
#include "support/temp_dir.hpp"
#include "util/stop_request.hpp"

using namespace migrate;
using namespace migrate::test;

namespace {

using namespace std::chrono_literals;

DatabaseUrl file_url(const std::filesystem::path& path) {
  return parse_database_url("sqlite://" + path.string(), "/");
}

SqliteConnection open_file(const std::filesystem::path& path, bool read_only = false,
                           std::chrono::milliseconds timeout = 2000ms) {
  return SqliteConnection(file_url(path), read_only, timeout);
}

/// The StatementError execute() throws for `sql`.
StatementError execute_error(SqliteConnection& connection, const std::string& sql) {
  try {
    connection.execute(sql);
  } catch (const StatementError& e) {
    return e;
  }
  FAIL("no error from: " << sql);
  throw;  // unreachable
}

/// A raw connection to the same file, outside our connection.
struct RawConnection {
  explicit RawConnection(const std::filesystem::path& path) {
    REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                            nullptr) == SQLITE_OK);
  }
  ~RawConnection() { sqlite3_close_v2(db); }
  void exec(const char* sql) {
    REQUIRE(sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK);
  }
  sqlite3* db = nullptr;
};

}  // namespace

TEST_CASE("SqliteConnection: execute runs every statement of a text", "[db]") {
  TempDir dir;
  std::filesystem::path file = dir / "db.sqlite";
  SqliteConnection connection = open_file(file);
  connection.execute(
      "CREATE TABLE a (x INTEGER);\n-- comment\nINSERT INTO a VALUES (1);\n"
      "INSERT INTO a VALUES (2); -- trailing comment\n");
  CHECK(schema_objects(file) == std::vector<std::string>{"a"});
  CHECK(sqlite_column(file, "SELECT x FROM a ORDER BY x") == std::vector<std::string>{"1", "2"});
}

TEST_CASE("SqliteConnection: execute and query bind $n parameters, NULL included", "[db]") {
  TempDir dir;
  std::filesystem::path file = dir / "db.sqlite";
  SqliteConnection connection = open_file(file);
  connection.execute("CREATE TABLE t (a TEXT, b INTEGER, c TEXT)");
  connection.execute("INSERT INTO t VALUES ($1, $2, $3)", {"it's", "42", std::nullopt});
  connection.execute("INSERT INTO t (b, a) VALUES ($2, $1)", {"second", "7"});
  CHECK(sqlite_rows(file, "SELECT a, b, typeof(b), c FROM t ORDER BY b") ==
        Rows{{"second", "7", "integer", "NULL"}, {"it's", "42", "integer", "NULL"}});
  std::vector<SqlRow> rows = connection.query("SELECT a, c FROM t WHERE b = $1", {"42"});
  REQUIRE(rows.size() == 1);
  CHECK(rows[0] == SqlRow{std::string("it's"), std::nullopt});
  CHECK(connection.query("SELECT a FROM t WHERE b > $1", {"100"}).empty());
}

TEST_CASE("SqliteConnection: a syntax error gives the byte offset of the token", "[db]") {
  TempDir dir;
  SqliteConnection connection = open_file(dir / "db.sqlite");
  const std::string sql = "CREATE TABLE a (x);\nSELECT x FROM a;\nSELEC x FROM a;\n";
  StatementError error = execute_error(connection, sql);
  REQUIRE(error.offset());
  CHECK(*error.offset() == sql.find("SELEC x"));
  CHECK_THAT(error.what(), Catch::Contains("near \"SELEC\": syntax error"));
  CHECK(error.exit_code() == ExitCode::failure);
}

TEST_CASE("SqliteConnection: an unknown column points at the column", "[db]") {
  TempDir dir;
  SqliteConnection connection = open_file(dir / "db.sqlite");
  const std::string sql = "CREATE TABLE a (x);\nSELECT x,\n  nope FROM a;";
  StatementError error = execute_error(connection, sql);
  REQUIRE(error.offset());
  CHECK(*error.offset() == sql.find("nope"));
  CHECK_THAT(error.what(), Catch::Contains("no such column: nope"));
}

TEST_CASE("SqliteConnection: an error without a position points at its statement", "[db]") {
  TempDir dir;
  std::filesystem::path file = dir / "db.sqlite";
  SqliteConnection connection = open_file(file);
  SECTION("no such table (prepare)") {
    const std::string sql = "CREATE TABLE a (x);\n  -- next\n  INSERT INTO missing VALUES (1);";
    StatementError error = execute_error(connection, sql);
    REQUIRE(error.offset());
    CHECK(*error.offset() == sql.find("INSERT"));
    CHECK_THAT(error.what(), Catch::Contains("no such table: missing"));
  }
  SECTION("a constraint (step)") {
    const std::string sql =
        "CREATE TABLE a (x UNIQUE);\nINSERT INTO a VALUES (1);\n\n  INSERT INTO a VALUES (1);";
    StatementError error = execute_error(connection, sql);
    REQUIRE(error.offset());
    CHECK(*error.offset() == sql.rfind("INSERT"));
    CHECK_THAT(error.what(), Catch::Contains("UNIQUE constraint failed: a.x"));
    // The statements before the failing one ran (execute() itself is not transactional).
    CHECK(sqlite_column(file, "SELECT x FROM a") == std::vector<std::string>{"1"});
  }
}

TEST_CASE("SqliteConnection: begin, commit and rollback", "[db]") {
  TempDir dir;
  std::filesystem::path file = dir / "db.sqlite";
  SqliteConnection connection = open_file(file);
  connection.execute("CREATE TABLE a (x)");
  CHECK_FALSE(connection.in_transaction());
  connection.begin();
  CHECK(connection.in_transaction());
  connection.execute("INSERT INTO a VALUES (1)");
  connection.rollback();
  CHECK_FALSE(connection.in_transaction());
  CHECK(sqlite_column(file, "SELECT count(*) FROM a") == std::vector<std::string>{"0"});
  connection.rollback();  // nothing open: a no-op, never throws
  connection.begin();
  connection.execute("INSERT INTO a VALUES (2)");
  connection.commit();
  CHECK_FALSE(connection.in_transaction());
  CHECK(sqlite_column(file, "SELECT x FROM a") == std::vector<std::string>{"2"});
}

TEST_CASE("SqliteConnection: begin waits for another writer, then gives up with LockTimeout",
          "[db]") {
  TempDir dir;
  std::filesystem::path file = dir / "db.sqlite";
  SqliteConnection connection = open_file(file, false, 100ms);
  connection.execute("CREATE TABLE a (x)");
  RawConnection other(file);
  other.exec("BEGIN IMMEDIATE");
  auto started = std::chrono::steady_clock::now();
  try {
    connection.begin();
    FAIL("begin() did not wait for the lock");
  } catch (const LockTimeout& e) {
    CHECK(e.exit_code() == ExitCode::failure);
    CHECK_THAT(e.what(), Catch::Contains("is locked by another process"));
    CHECK_THAT(e.what(), Catch::Contains("100 ms"));
    CHECK_THAT(e.what(), Catch::Contains("--lock-timeout"));
  }
  CHECK(std::chrono::steady_clock::now() - started >= 90ms);
  CHECK_FALSE(connection.in_transaction());
  other.exec("COMMIT");
  connection.begin();
  connection.commit();
}

TEST_CASE("SqliteConnection: a wait for the write lock that lasts is told once",
          "[db][lock-wait]") {
  TempDir dir;
  std::filesystem::path file = dir / "db.sqlite";
  std::vector<std::string> heard;
  auto listening = [&heard](std::chrono::milliseconds lock_timeout) {
    ConnectOptions options{.lock_timeout = lock_timeout};
    options.on_lock_wait = [&heard](std::string_view text) { heard.emplace_back(text); };
    return options;
  };
  SqliteConnection connection(file_url(file), listening(300ms));
  connection.execute("CREATE TABLE a (x)");
  // Free: taken without a word.
  connection.begin();
  connection.commit();
  CHECK(heard.empty());

  RawConnection other(file);
  other.exec("BEGIN IMMEDIATE");
  SECTION("a wait that lasts") {
    CHECK_THROWS_AS(connection.begin(), LockTimeout);  // the wait still ends at the lock timeout
    REQUIRE(heard.size() == 1);
    CHECK(heard[0] == "waiting for the write lock on sqlite://" + file.string() +
                          ", held by another process: up to 300 ms (--lock-timeout)");
    CHECK_THROWS_AS(connection.begin(), LockTimeout);
    CHECK(heard.size() == 1);  // once
  }
  SECTION("brief contention is not worth a note") {
    // The lock timeout ends the wait before it is worth a note (100 ms).
    SqliteConnection brief(file_url(file), listening(50ms));
    CHECK_THROWS_AS(brief.begin(), LockTimeout);
    CHECK(heard.empty());
  }
  other.exec("COMMIT");
  connection.begin();
  connection.commit();
}

TEST_CASE("SqliteConnection: cancel() interrupts a statement and a wait for the write lock",
          "[db][stop]") {
  TempDir dir;
  std::filesystem::path file = dir / "db.sqlite";
  SqliteConnection connection = open_file(file, false, 60s);
  connection.execute("CREATE TABLE a (x)");
  StopRequest stop;
  auto stop_soon = [&stop] {
    return std::thread([&stop] {
      std::this_thread::sleep_for(100ms);
      stop.request("test");
    });
  };
  SECTION("a statement") {
    std::thread stopper = stop_soon();
    auto run = [&] {
      cancellable(&stop, connection, [&] {
        connection.execute(
            "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 1000000000) "
            "SELECT count(*) FROM c");
      });
    };
    CHECK_THROWS_WITH(run(), Catch::Contains("interrupted"));
    stopper.join();
  }
  SECTION("a wait for the write lock, far shorter than the lock timeout") {
    RawConnection other(file);
    other.exec("BEGIN IMMEDIATE");
    std::thread stopper = stop_soon();
    auto run = [&] { cancellable(&stop, connection, [&] { connection.begin(); }); };
    CHECK_THROWS_WITH(run(), Catch::Contains("interrupted"));
    stopper.join();
    CHECK_FALSE(connection.in_transaction());
    other.exec("COMMIT");
  }
  // The connection works on, and a stop requested before a call keeps it from starting.
  CHECK_THROWS_AS(
      cancellable(&stop, connection, [&] { connection.execute("INSERT INTO a VALUES (1)"); }),
      StatementError);
  connection.execute("INSERT INTO a VALUES (2)");
  CHECK(sqlite_column(file, "SELECT x FROM a") == std::vector<std::string>{"2"});
}

TEST_CASE("SqliteConnection: foreign keys are on, and the dialect's switch and check work on it",
          "[db]") {
  TempDir dir;
  std::filesystem::path file = dir / "db.sqlite";
  SqliteConnection connection = open_file(file);
  CHECK(sqlite_foreign_keys(connection.handle()) == 1);
  const ForeignKeySwitch& keys = *connection.dialect().foreign_key_switch();
  auto enabled = [&] { return keys.enabled(connection.query(keys.state_query())); };
  auto violations = [&] { return keys.describe_violations(connection.query(keys.check_query())); };
  CHECK(enabled());
  connection.execute(
      "CREATE TABLE parent (id INTEGER PRIMARY KEY);\n"
      "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id));\n"
      "INSERT INTO parent VALUES (1);\n"
      "INSERT INTO child VALUES (10, 1);");
  CHECK(violations().empty());

  StatementError enforced = execute_error(connection, "INSERT INTO child VALUES (11, 99)");
  CHECK_THAT(enforced.what(), Catch::Contains("FOREIGN KEY constraint failed"));

  connection.execute(keys.set(false));
  CHECK(sqlite_foreign_keys(connection.handle()) == 0);
  CHECK_FALSE(enabled());
  connection.execute("INSERT INTO child VALUES (11, 99); INSERT INTO child VALUES (12, 98);");
  std::string found = violations();
  CHECK_THAT(found, Catch::Contains("PRAGMA foreign_key_check"));
  CHECK_THAT(found, Catch::Contains("child row 11 has no matching row in parent"));
  CHECK_THAT(found, Catch::Contains("child row 12 has no matching row in parent"));
  connection.execute(keys.set(true));
  CHECK(sqlite_foreign_keys(connection.handle()) == 1);
}

TEST_CASE("SqliteConnection: the foreign key check lists five problems and the count", "[db]") {
  TempDir dir;
  SqliteConnection connection = open_file(dir / "db.sqlite");
  const ForeignKeySwitch& keys = *connection.dialect().foreign_key_switch();
  connection.execute(keys.set(false));
  connection.execute(
      "CREATE TABLE parent (id INTEGER PRIMARY KEY);\n"
      "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id));\n"
      "INSERT INTO child VALUES (1, 5), (2, 5), (3, 5), (4, 5), (5, 5), (6, 5), (7, 5);");
  std::string message = keys.describe_violations(connection.query(keys.check_query()));
  CHECK_THAT(message, Catch::Contains("child row 5 has no matching row in parent"));
  CHECK_THAT(message, !Catch::Contains("child row 6 "));
  CHECK_THAT(message, Catch::Contains("7 rows in all"));
}

TEST_CASE("SqliteConnection: table_columns, and the dialect's quote_identifier", "[db]") {
  TempDir dir;
  SqliteConnection connection = open_file(dir / "db.sqlite");
  connection.execute(
      "CREATE TABLE \"odd\"\"name\" (a, b); CREATE TABLE t (id INTEGER, title TEXT)");
  CHECK(connection.table_columns("t") == std::vector<std::string>{"id", "title"});
  CHECK(connection.table_columns("main.t") == std::vector<std::string>{"id", "title"});
  CHECK(connection.table_columns("odd\"name") == std::vector<std::string>{"a", "b"});
  CHECK(connection.table_columns("missing").empty());
  CHECK(connection.table_columns("temp.t").empty());
  CHECK(connection.dialect().quote_identifier("t") == "\"t\"");
  CHECK(connection.dialect().quote_identifier("main.t") == "\"main\".\"t\"");
  CHECK(connection.dialect().quote_identifier("odd\"name") == "\"odd\"\"name\"");
  CHECK(connection.query("SELECT count(*) FROM " +
                         connection.dialect().quote_identifier("odd\"name")) ==
        std::vector<SqlRow>{{std::string("0")}});
}

TEST_CASE("SqliteConnection: a missing folder is explained and nothing is created", "[db]") {
  TempDir dir;
  std::filesystem::path file = dir / "no" / "such" / "folder" / "db.sqlite";
  for (bool read_only : {false, true}) {
    INFO("read_only " << read_only);
    try {
      open_file(file, read_only);
      FAIL("opened a database in a missing folder");
    } catch (const DbError& e) {
      CHECK(e.exit_code() == ExitCode::failure);
      std::string message = e.what();
      CHECK_THAT(message, Catch::Contains("cannot create the SQLite database " + file.string()));
      CHECK_THAT(message,
                 Catch::Contains("the folder " + file.parent_path().string() + " does not exist"));
      CHECK_THAT(message, Catch::Contains("mkdir -p " + file.parent_path().string()));
    }
  }
  CHECK_FALSE(std::filesystem::exists(dir / "no"));
}

TEST_CASE("SqliteConnection: a new file is created, read-only never creates or writes", "[db]") {
  TempDir dir;
  std::filesystem::path file = dir / "db.sqlite";
  SECTION("read-only on a missing file fails without creating it") {
    CHECK_THROWS_AS(open_file(file, true), DbError);
    CHECK_FALSE(std::filesystem::exists(file));
  }
  SECTION("read-write creates it; read-only can read but not write") {
    {
      SqliteConnection connection = open_file(file);
      connection.execute("CREATE TABLE a (x); INSERT INTO a VALUES (1)");
    }
    REQUIRE(std::filesystem::exists(file));
    SqliteConnection reader = open_file(file, true);
    CHECK(reader.query("SELECT x FROM a") == std::vector<SqlRow>{{std::string("1")}});
    StatementError error = execute_error(reader, "INSERT INTO a VALUES (2)");
    CHECK_THAT(error.what(), Catch::Contains("readonly"));
    CHECK(sqlite_column(file, "SELECT count(*) FROM a") == std::vector<std::string>{"1"});
  }
}

TEST_CASE("SqliteConnection: a reader rolls back the hot journal an interrupted write left",
          "[db][hot-journal]") {
  TempDir dir;
  std::filesystem::path file = dir / "db.sqlite";
  sqlite_exec(file, "CREATE TABLE a (x); INSERT INTO a VALUES (1)");
  leave_hot_journal(file);
  std::filesystem::path journal = file.string() + "-journal";
  REQUIRE(std::filesystem::exists(journal));
  {
    // What the read commands open: it must read the database as it was before the write.
    SqliteConnection reader = open_file(file, true);
    CHECK(reader.query("SELECT x FROM a") == std::vector<SqlRow>{{std::string("1")}});
    CHECK(reader.table_columns("hot_journal_filler").empty());
    // It still writes nothing of its own, and says so without blaming the file.
    StatementError error = execute_error(reader, "INSERT INTO a VALUES (2)");
    CHECK(std::string(error.what()) == "attempt to write a readonly database");
  }
  CHECK_FALSE(std::filesystem::exists(journal));
  CHECK(sqlite_column(file, "SELECT x FROM a") == std::vector<std::string>{"1"});
  CHECK(schema_objects(file) == std::vector<std::string>{"a"});
  CHECK(sqlite_column(file, "PRAGMA integrity_check") == std::vector<std::string>{"ok"});
}

TEST_CASE("SqliteConnection: a reader of a writable file never creates one", "[db][hot-journal]") {
  TempDir dir;
  std::filesystem::path file = dir / "db.sqlite";
  CHECK_THROWS_AS(open_file(file, true), DbError);
  CHECK_FALSE(std::filesystem::exists(file));
  CHECK(std::filesystem::is_empty(dir.path()));
}

TEST_CASE("SqliteConnection: display_name is the redacted URL", "[db]") {
  TempDir dir;
  std::filesystem::path file = dir / "db.sqlite";
  SqliteConnection connection = open_file(file);
  CHECK(connection.display_name() == "sqlite://" + file.string());
  SqliteConnection memory(parse_database_url("sqlite::memory:", "/"), false, 100ms);
  CHECK(memory.display_name() == "sqlite::memory:");
  memory.execute("CREATE TABLE a (x)");
  CHECK(memory.table_columns("a") == std::vector<std::string>{"x"});
}

TEST_CASE("SqliteConnection: query_each reads each row in place, numbers as numbers", "[db]") {
  TempDir dir;
  SqliteConnection connection = open_file(dir.path() / "rows.db");
  connection.execute("CREATE TABLE t (i INTEGER, r REAL, s TEXT, n TEXT)");
  connection.execute("INSERT INTO t VALUES (3000000000, 1.5, '12abc', NULL), (-7, NULL, 'x', 'y')");
  std::vector<std::string> seen;
  connection.query_each("SELECT i, r, s, n FROM t ORDER BY rowid", {}, [&](const SqlRowView& row) {
    REQUIRE(row.size() == 4);
    seen.push_back(fmt::format("{}|{}|{}|{}|{}", row.integer(0).value_or(-1),
                               row.text(1).value_or("NULL"), row.integer(2).value_or(-1),
                               row.text(3).value_or("NULL"), row.integer(3).has_value()));
  });
  // Past 32 bits intact; a text's leading digits; REAL as SQLite writes it; NULL as none.
  CHECK(seen == std::vector<std::string>{"3000000000|1.5|12|NULL|false", "-7|NULL|0|y|true"});
  // query() copies the same rows as text, integers as SQLite's own digits.
  CHECK(connection.query("SELECT i, r, s, n FROM t ORDER BY rowid") ==
        std::vector<SqlRow>{{"3000000000", "1.5", "12abc", std::nullopt},
                            {"-7", std::nullopt, "x", "y"}});
}
