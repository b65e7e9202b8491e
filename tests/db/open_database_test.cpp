// open_database: the driver for a URL's scheme; read-only never creates a database.
#include <catch2/catch.hpp>

#include "db/database_url.hpp"
#include "db/open_database.hpp"
#include "support/sqlite_probe.hpp"
#include "support/temp_dir.hpp"

using namespace migrate;
using namespace migrate::test;

TEST_CASE("open_database: a sqlite URL opens the file, creating it", "[db]") {
  TempDir dir;
  std::unique_ptr<Connection> driver =
      open_database(parse_database_url("sqlite:app.db", dir.path()), {});
  REQUIRE(driver != nullptr);
  driver->execute("CREATE TABLE a (x)");
  CHECK(schema_objects(dir / "app.db") == std::vector<std::string>{"a"});
  CHECK(driver->display_name() == "sqlite:app.db");
  CHECK(driver->dialect().foreign_key_switch() != nullptr);
}

TEST_CASE("open_database: read-only on a missing file is null and creates nothing", "[db]") {
  TempDir dir;
  std::unique_ptr<Connection> driver =
      open_database(parse_database_url("sqlite:app.db", dir.path()), {.read_only = true});
  CHECK(driver == nullptr);
  CHECK_FALSE(std::filesystem::exists(dir / "app.db"));
  // Also when the folder is missing: nothing to read is not an error.
  CHECK(open_database(parse_database_url("sqlite:no/such/app.db", dir.path()),
                      {.read_only = true}) == nullptr);
  CHECK_FALSE(std::filesystem::exists(dir / "no"));
}

TEST_CASE("open_database: read-only on an existing file reads it", "[db]") {
  TempDir dir;
  write_text(dir / "app.db", "");
  sqlite_exec(dir / "app.db", "CREATE TABLE a (x); INSERT INTO a VALUES ('v')");
  std::unique_ptr<Connection> driver =
      open_database(parse_database_url("sqlite:app.db", dir.path()), {.read_only = true});
  REQUIRE(driver != nullptr);
  CHECK(driver->query("SELECT x FROM a") == std::vector<SqlRow>{{std::string("v")}});
  CHECK_THROWS_AS(driver->execute("DELETE FROM a"), StatementError);
  CHECK(sqlite_column(dir / "app.db", "SELECT x FROM a") == std::vector<std::string>{"v"});
}

TEST_CASE("open_database: an in-memory database, even read-only", "[db]") {
  std::unique_ptr<Connection> driver =
      open_database(parse_database_url("sqlite::memory:", "/"), {.read_only = true});
  REQUIRE(driver != nullptr);
  CHECK(driver->dialect().split("SELECT 1; SELECT 2;").size() == 2);
}

TEST_CASE("open_database: a missing folder is a DbError (exit 1)", "[db]") {
  TempDir dir;
  try {
    open_database(parse_database_url("sqlite:no/such/app.db", dir.path()), {});
    FAIL("opened");
  } catch (const DbError& e) {
    CHECK(e.exit_code() == ExitCode::failure);
    CHECK_THAT(e.what(), Catch::Contains("does not exist"));
  }
  CHECK_FALSE(std::filesystem::exists(dir / "no"));
}

TEST_CASE("open_database: postgres opens the PostgreSQL driver, an unreachable server is exit 1",
          "[db]") {
  // Nothing listens on port 1: the driver is chosen by the scheme and reports the failure.
  try {
    open_database(parse_database_url("postgres://u:secret@127.0.0.1:1/db", "/"), {});
    FAIL("opened");
  } catch (const DbError& e) {
    CHECK(e.exit_code() == ExitCode::failure);
    CHECK_THAT(e.what(), Catch::Contains("cannot reach the PostgreSQL server at 127.0.0.1 port 1"));
    CHECK_THAT(e.what(), !Catch::Contains("secret"));
  }
}
