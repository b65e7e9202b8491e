// SqliteConnection::backup (SQLite's online backup API) and default_backup_path, for --backup. The
// copy is read with the raw C API (support/sqlite_probe), not through the driver.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "db/database_url.hpp"
#include "db/sqlite/sqlite_connection.hpp"
#include "support/sqlite_probe.hpp"
#include "support/temp_dir.hpp"

using namespace migrate;
using namespace migrate::test;
using namespace std::chrono_literals;
using Strings = std::vector<std::string>;

namespace {

SqliteConnection open_file(const std::filesystem::path& path) {
  return SqliteConnection(parse_database_url("sqlite://" + path.string(), "/"), false, 2000ms);
}

std::string backup_error(Connection& driver, const std::filesystem::path& path) {
  try {
    driver.backup(path);
  } catch (const DbError& e) {
    return e.what();
  }
  FAIL("the backup to " << path << " succeeded");
  return {};
}

}  // namespace

TEST_CASE("SqliteConnection::backup copies a populated database", "[db]") {
  TempDir dir;
  std::filesystem::path source = dir / "app.db";
  SqliteConnection driver = open_file(source);
  driver.execute(
      "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE);"
      "CREATE INDEX users_email ON users (email);"
      "CREATE VIEW emails AS SELECT email FROM users;");
  for (int i = 0; i < 500; ++i) {
    driver.execute("INSERT INTO users (email) VALUES ($1)", {fmt::format("user{}@example.com", i)});
  }
  driver.execute("INSERT INTO users (email) VALUES ('é€😀@example.com')");

  std::filesystem::path copy = dir / "copy.db";
  driver.backup(copy);

  REQUIRE(std::filesystem::is_regular_file(copy));
  CHECK(schema_objects(copy) == Strings{"emails", "users"});
  CHECK(sqlite_column(copy,
                      "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT "
                      "NULL") == Strings{"users_email"});
  CHECK(sqlite_column(copy, "SELECT count(*) FROM users") == Strings{"501"});
  CHECK(
      sqlite_rows(copy, "SELECT id, email FROM users WHERE id IN (1, 500, 501) ORDER BY id") ==
      Rows{{"1", "user0@example.com"}, {"500", "user499@example.com"}, {"501", "é€😀@example.com"}});
  CHECK(sqlite_column(copy, "PRAGMA integrity_check") == Strings{"ok"});

  // The source is untouched and still usable; the copy is independent of it.
  driver.execute("DELETE FROM users");
  CHECK(sqlite_column(source, "SELECT count(*) FROM users") == Strings{"0"});
  CHECK(sqlite_column(copy, "SELECT count(*) FROM users") == Strings{"501"});
}

namespace {

/// Sets the process's umask for a scope.
class Umask {
 public:
  explicit Umask(mode_t mask) : m_old(::umask(mask)) {}
  Umask(const Umask&) = delete;
  Umask& operator=(const Umask&) = delete;
  ~Umask() { ::umask(m_old); }

 private:
  mode_t m_old;
};

}  // namespace

TEST_CASE("SqliteConnection::backup: the database's mode or 0600, whichever is stricter",
          "[db][backup-mode]") {
  using std::filesystem::perms;
  const std::vector<std::pair<perms, perms>> cases = {
      {perms(0600), perms(0600)},
      {perms(0640), perms(0600)},
      {perms(0644), perms(0600)},
      {perms(0400), perms(0400)},
  };
  for (const auto& [database_mode, expected] : cases) {
    for (mode_t mask : {mode_t(022), mode_t(0), mode_t(0277)}) {
      INFO(fmt::format("database {:o}, umask {:03o}", static_cast<int>(database_mode), mask));
      TempDir dir;
      std::filesystem::path source = dir / "app.db";
      sqlite_exec(source, "CREATE TABLE t (id INTEGER); INSERT INTO t VALUES (7)");
      std::filesystem::permissions(source, database_mode);
      // Read-only, as a user who may only read a 0400 database would have it.
      SqliteConnection driver(parse_database_url("sqlite://" + source.string(), "/"), true, 2000ms);
      std::filesystem::path copy = dir / "copy.db";
      {
        Umask umask(mask);
        driver.backup(copy);
      }
      CHECK(std::filesystem::status(copy).permissions() == expected);
      CHECK(std::filesystem::status(source).permissions() == database_mode);
      CHECK_FALSE(std::filesystem::exists(dir / "copy.db-journal"));
    }
  }
}

TEST_CASE("SqliteConnection::backup of an in-memory database is 0600", "[db][backup-mode]") {
  TempDir dir;
  SqliteConnection driver(parse_database_url("sqlite::memory:", "/"), false, 2000ms);
  driver.execute("CREATE TABLE t (id INTEGER)");
  Umask umask(0);
  driver.backup(dir / "copy.db");
  CHECK(std::filesystem::status(dir / "copy.db").permissions() == std::filesystem::perms(0600));
}

TEST_CASE("SqliteConnection::backup refuses to overwrite a file", "[db]") {
  TempDir dir;
  SqliteConnection driver = open_file(dir / "app.db");
  driver.execute("CREATE TABLE t (id INTEGER)");
  std::filesystem::path path = dir / "existing.db";
  write_text(path, "precious");
  CHECK(backup_error(driver, path) ==
        fmt::format("cannot back up to {}: the file exists", path.string()));
  CHECK(read_text(path) == "precious");

  std::filesystem::path folder = dir / "folder";
  std::filesystem::create_directory(folder);
  CHECK(backup_error(driver, folder) ==
        fmt::format("cannot back up to {}: the file exists", folder.string()));
  CHECK(std::filesystem::is_directory(folder));
}

TEST_CASE("SqliteConnection::backup into a missing folder fails without leaving a file", "[db]") {
  TempDir dir;
  std::filesystem::path source = dir / "app.db";
  SqliteConnection driver = open_file(source);
  driver.execute("CREATE TABLE t (id INTEGER)");
  std::filesystem::path path = dir / "missing" / "copy.db";
  CHECK(backup_error(driver, path) ==
        fmt::format("cannot back up to {}: the folder {} does not exist", path.string(),
                    path.parent_path().string()));
  CHECK_FALSE(std::filesystem::exists(path));
  CHECK_FALSE(std::filesystem::exists(dir / "missing"));
}

TEST_CASE("SqliteConnection::backup of an in-memory database", "[db]") {
  TempDir dir;
  SqliteConnection driver(parse_database_url("sqlite::memory:", "/"), false, 2000ms);
  driver.execute("CREATE TABLE t (id INTEGER); INSERT INTO t VALUES (7)");
  std::filesystem::path copy = dir / "memory-copy.db";
  driver.backup(copy);
  CHECK(sqlite_column(copy, "SELECT id FROM t") == Strings{"7"});
  try {
    driver.default_backup_path("20261121T142305Z");
    FAIL("an in-memory database has a backup path");
  } catch (const DbError& e) {
    CHECK(std::string(e.what()) == "an in-memory database has nothing to back up");
  }
}

TEST_CASE("SqliteConnection::default_backup_path is beside the database", "[db]") {
  TempDir dir;
  CHECK(open_file(dir / "app.db").default_backup_path("20261121T142305Z") ==
        dir / "app.20261121T142305Z.backup.db");
  CHECK(open_file(dir / "data.v2.sqlite3").default_backup_path("20261121T142305Z") ==
        dir / "data.v2.20261121T142305Z.backup.sqlite3");
  CHECK(open_file(dir / "plain").default_backup_path("20261121T142305Z") ==
        dir / "plain.20261121T142305Z.backup");
}

TEST_CASE("SqliteConnection::backup of an empty database still writes a database file", "[db]") {
  TempDir dir;
  SqliteConnection driver = open_file(dir / "empty.db");
  std::filesystem::path copy = dir / "empty-copy.db";
  driver.backup(copy);
  CHECK(std::filesystem::exists(copy));
  CHECK(schema_objects(copy).empty());
}
