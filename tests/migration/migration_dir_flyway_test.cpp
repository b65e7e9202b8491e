#include <catch2/catch.hpp>

#include "migration/migration_dir.hpp"
#include "support/temp_dir.hpp"
#include "util/error.hpp"

using namespace migrate;
using Catch::Contains;
using Catch::EndsWith;
using Catch::StartsWith;
using migrate::test::TempDir;
using migrate::test::write_text;

namespace {

std::vector<std::string> stems(const std::vector<Migration>& migrations) {
  std::vector<std::string> out;
  for (const Migration& m : migrations) {
    out.push_back(m.stem());
  }
  return out;
}

std::string read_error(const std::filesystem::path& dir,
                       const std::optional<FormatChoice>& choice = {}) {
  try {
    read_migration_dir(dir, choice);
  } catch (const Error& e) {
    CHECK(e.exit_code() == ExitCode::bad_input);
    return e.what();
  }
  FAIL("no error reading " << dir);
  return {};
}

}  // namespace

TEST_CASE("migration_dir flyway: versions in Flyway's order, subfolders too",
          "[migration][flyway]") {
  TempDir dir;
  write_text(dir / "V1__init.sql", "-- the users\nCREATE TABLE users (id int);\n");
  write_text(dir / "V1.2__b.sql", "SELECT 12;\n");
  write_text(dir / "V1_10__c.sql", "SELECT 110;\n");
  write_text(dir / "V2.SQL", "SELECT 2;\n");  // no description; the suffix in any case
  write_text(dir / "U1__init.sql", "DROP TABLE users;\n");
  write_text(dir / "sub" / "deeper" / "V1.5__nested.sql", "SELECT 15;\n");
  write_text(dir / ".hidden" / "V9__hidden.sql", "SELECT 9;\n");  // Flyway skips hidden folders
  write_text(dir / "beforeMigrate.sql", "SELECT 0;\n");           // a callback
  write_text(dir / "README.md", "Flyway's\n");
  write_text(dir / "V1__init.sql.conf", "executeInTransaction=true\n");
  std::vector<Migration> migrations = read_migration_dir(dir.path());
  CHECK(stems(migrations) ==
        std::vector<std::string>{"V1__init", "V1.2__b", "V1.5__nested", "V1_10__c", "V2"});
  const Migration& init = migrations[0];
  CHECK(init.format == MigrationFormat::flyway);
  CHECK(init.id.text() == "1");
  CHECK(init.title() == "the users");
  CHECK(init.up.sql == "-- the users\nCREATE TABLE users (id int);");
  REQUIRE(init.down);
  CHECK(init.down->sql == "DROP TABLE users;");
  CHECK(init.down->file == dir / "U1__init.sql");
  CHECK(init.reversible());
  CHECK(migrations[3].id.text() == "1.10");  // '_' read as '.'
  CHECK(migrations[3].title() == "c");
  CHECK_FALSE(migrations[1].down);
  CHECK_FALSE(migrations[1].reversible());
  CHECK(migrations[2].file == dir / "sub" / "deeper" / "V1.5__nested.sql");
  // Chosen, the same.
  CHECK(stems(read_migration_dir(dir.path(), FormatChoice{MigrationFormat::flyway, "--format"}))
            .size() == 5);
}

TEST_CASE("migration_dir flyway: the checksum is the raw file's, placeholders and all",
          "[migration][flyway]") {
  TempDir dir;
  write_text(dir / "V1__a.sql", "CREATE TABLE ${table} (x int);\n");
  Migration before = read_migration_dir(dir.path()).front();
  CHECK(before.up.sql == "CREATE TABLE ${table} (x int);");
  write_text(dir / "V1__a.sql", "CREATE TABLE other (x int);\n");
  CHECK(read_migration_dir(dir.path()).front().checksum != before.checksum);
}

TEST_CASE("migration_dir flyway: two files of one version are refused, naming both",
          "[migration][flyway]") {
  TempDir dir;
  write_text(dir / "V1__a.sql", "SELECT 1;\n");
  write_text(dir / "V1.0__b.sql", "SELECT 1;\n");
  write_text(dir / "V2__c.sql", "SELECT 2;\n");
  write_text(dir / "sub" / "V002__d.sql", "SELECT 2;\n");
  std::string message = read_error(dir.path());
  CHECK_THAT(message, StartsWith("2 migration files are invalid:"));
  CHECK_THAT(
      message,
      Contains((dir / "V1__a.sql").string() + ": Found more than one migration with version 1: " +
               (dir / "V1.0__b.sql").string() + " and " + (dir / "V1__a.sql").string() +
               ". Flyway refuses them too: give one of them another version"));
  CHECK_THAT(message, Contains("version 002: " + (dir / "V2__c.sql").string() + " and " +
                               (dir / "sub" / "V002__d.sql").string()));
  CHECK_THAT(message,
             EndsWith("is read in Flyway's format: V002__d.sql is named as Flyway names "
                      "its migrations. If it is written for another tool, say which "
                      "with `format =` (migrate, dbmate, golang-migrate, goose or flyway) in "
                      "migrate.conf's [migrate] section, or --format."));
}

TEST_CASE("migration_dir flyway: names Flyway does not run are errors, not skipped",
          "[migration][flyway]") {
  TempDir dir;
  write_text(dir / "V1__a.sql", "SELECT 1;\n");
  write_text(dir / "V2_b.sql", "SELECT 2;\n");
  std::string message = read_error(dir.path());
  CHECK_THAT(message, StartsWith((dir / "V2_b.sql").string() +
                                 ": not a Flyway migration name: '2_b' is not a version: "));
  CHECK_THAT(message, Contains("does not run this file either"));

  TempDir lower;
  write_text(lower / "V1__a.sql", "SELECT 1;\n");
  write_text(lower / "v2__b.sql", "SELECT 2;\n");
  CHECK_THAT(read_error(lower.path()),
             Contains("v2__b.sql: not a Flyway migration name: it does not start with V, U, R or "
                      "B (in capitals)"));

  TempDir undo;
  write_text(undo / "V1__a.sql", "SELECT 1;\n");
  write_text(undo / "U2__b.sql", "SELECT 2;\n");
  CHECK_THAT(read_error(undo.path()),
             StartsWith((undo / "U2__b.sql").string() +
                        ": an undo file without its migration: no V2__….sql in the folder"));
}

TEST_CASE("migration_dir flyway: repeatable and baseline migrations are refused, not skipped",
          "[migration][flyway]") {
  TempDir dir;
  write_text(dir / "V1__a.sql", "SELECT 1;\n");
  write_text(dir / "R__views.sql", "CREATE VIEW v AS SELECT 1;\n");
  write_text(dir / "B5__base.sql", "SELECT 5;\n");
  std::string message = read_error(dir.path());
  CHECK_THAT(message, Contains((dir / "R__views.sql").string() +
                               ": a repeatable (R__…) migration, which migrate does not run yet"));
  CHECK_THAT(message, Contains((dir / "B5__base.sql").string() +
                               ": a baseline (B<version>__…) migration, which migrate does not "
                               "run yet"));
}

TEST_CASE("migration_dir flyway: the files that are no migrations, for a note",
          "[migration][flyway]") {
  TempDir dir;
  write_text(dir / "V1__a.sql", "SELECT 1;\n");
  write_text(dir / "README.md", "x\n");
  write_text(dir / "V1__a.sql.conf", "x\n");
  write_text(dir / "sub" / "afterMigrate__vacuum.sql", "VACUUM;\n");
  write_text(dir / "sub" / "U1__a.sql", "SELECT 1;\n");
  write_text(dir / ".git" / "config", "x\n");
  write_text(dir / ".hidden.md", "x\n");
  write_text(dir / "HEAD", "x\n");
  CHECK(flyway_files_not_read(dir.path()) ==
        std::vector<std::filesystem::path>{dir / "README.md", dir / "V1__a.sql.conf",
                                           dir / "sub" / "afterMigrate__vacuum.sql"});
}
