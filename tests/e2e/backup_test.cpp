// --backup, end to end: the backup is never readable by more people than the database (the
// SQLite copy gets the database's mode or 0600, whichever is stricter; a pg_dump archive is
// 0600), and without pg_dump on PATH the upgrade says what to install and changes nothing.
#include <catch2/catch.hpp>

#include <regex>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "support/postgres.hpp"
#include "support/project.hpp"
#include "support/sqlite_probe.hpp"

using namespace migrate::test;
using Catch::Contains;
using Strings = std::vector<std::string>;
using std::filesystem::perms;

namespace {

/// The backup file an upgrade's output names ("Backed up … to <file>").
std::filesystem::path backup_named_in(const Project& project, const std::string& output) {
  std::smatch match;
  REQUIRE(std::regex_search(output, match, std::regex(R"(Backed up \S+ to (\S+))")));
  return project.root() / match[1].str();
}

perms mode_of(const std::filesystem::path& path) {
  return std::filesystem::status(path).permissions();
}

}  // namespace

TEST_CASE("backup: the SQLite copy is no more readable than the database", "[e2e][backup]") {
  for (auto [database_mode, expected] :
       {std::pair{perms(0600), perms(0600)}, std::pair{perms(0640), perms(0600)},
        std::pair{perms(0644), perms(0600)}}) {
    INFO(fmt::format("database mode {:o}", static_cast<int>(database_mode)));
    Project project;
    project.add("0001_a.sql", migration_text("CREATE TABLE a (x int);", "DROP TABLE a;"));
    REQUIRE(project.run("migrate-upgrade").exit_code == 0);
    std::filesystem::permissions(project.db(), database_mode);
    project.add("0002_b.sql", migration_text("CREATE TABLE b (x int);", "DROP TABLE b;"));
    ProcessResult result = project.run("migrate-upgrade", {"--backup"});
    INFO(result.out << result.err);
    REQUIRE(result.exit_code == 0);
    std::filesystem::path copy = backup_named_in(project, result.out);
    CHECK(mode_of(copy) == expected);
    CHECK(applied_ids(copy) == Strings{"0001"});
    CHECK(mode_of(project.db()) == database_mode);
  }
}

TEST_CASE("backup: the pg_dump archive is 0600", "[e2e][backup][postgres]") {
  PostgresDatabase db;
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x int);", "DROP TABLE a;"));
  ProcessResult result = project.run("migrate-upgrade", {"--database", db.url(), "--backup"});
  INFO(result.out << result.err);
  REQUIRE(result.exit_code == 0);
  std::filesystem::path dump = backup_named_in(project, result.out);
  CHECK(mode_of(dump) == perms(0600));
  CHECK(run_process({"pg_restore", "--list", dump.string()}).exit_code == 0);
}

TEST_CASE("backup: without pg_dump on PATH, says what to install and changes nothing",
          "[e2e][backup][postgres]") {
  PostgresDatabase db;
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x int);", "DROP TABLE a;"));
  std::filesystem::path empty = project.root() / "empty-bin";
  std::filesystem::create_directories(empty);
  ProcessResult result = project.run("migrate-upgrade", {"--database", db.url(), "--backup"},
                                     {.env = {{"PATH", empty.string()}}});
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Contains("--backup runs pg_dump, which is not on PATH"));
  CHECK_THAT(result.err, Contains("apt-get install postgresql-client"));
  CHECK_THAT(result.err, Contains("Nothing was changed"));
  // Untouched: not even the state table, and no archive.
  CHECK(db.relations().empty());
  for (const auto& entry : std::filesystem::directory_iterator(project.root())) {
    CHECK(entry.path().extension() != ".dump");
  }
}
