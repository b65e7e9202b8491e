#include <catch2/catch.hpp>

#include <algorithm>

#include "graph/revision_graph.hpp"
#include "migration/migration_dir.hpp"
#include "support/temp_dir.hpp"
#include "util/error.hpp"

using namespace migrate;
using Catch::Contains;
using Catch::EndsWith;
using Catch::StartsWith;
using migrate::test::read_text;
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

/// The message of the Error that reading the folder throws.
std::string read_error(const std::filesystem::path& dir) {
  try {
    read_migration_dir(dir);
  } catch (const Error& e) {
    CHECK(e.exit_code() == ExitCode::bad_input);
    return e.what();
  }
  FAIL("no error reading " << dir);
  return {};
}

constexpr std::string_view kGood = "-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 2;\n";

}  // namespace

TEST_CASE("migration_dir: reads our files sorted by id, ignoring other files", "[migration]") {
  TempDir dir;
  write_text(dir / "202611211423_add_phone.sql", "-- Add phone.\n" + std::string(kGood));
  write_text(dir / "202611201010_create_users.sql", kGood);
  write_text(dir / "202611201200_more.sql", kGood);
  write_text(dir / "README.md", "not a migration");
  write_text(dir / "HEAD", "202611211423_add_phone\n");
  write_text(dir / ".draft.sql", "garbage");
  write_text(dir / "notes.txt", "garbage");
  std::filesystem::create_directories(dir / "archive");
  write_text(dir / "archive" / "old.sql", "garbage in a subfolder is not read");

  std::vector<Migration> migrations = read_migration_dir(dir.path());
  CHECK(stems(migrations) == std::vector<std::string>{"202611201010_create_users",
                                                      "202611201200_more",
                                                      "202611211423_add_phone"});
  CHECK(migrations[2].title() == "Add phone.");
  CHECK(migrations[2].file == dir / "202611211423_add_phone.sql");
  CHECK(migrations[0].up.sql == "SELECT 1;");
}

TEST_CASE("migration_dir: an empty folder has no migrations", "[migration]") {
  TempDir dir;
  CHECK(read_migration_dir(dir.path()).empty());
}

TEST_CASE("migration_dir: a missing folder is a config error naming it", "[migration]") {
  TempDir dir;
  try {
    read_migration_dir(dir / "nope");
    FAIL("no error");
  } catch (const ConfigError& e) {
    CHECK(e.exit_code() == ExitCode::bad_input);
    CHECK_THAT(e.what(),
               StartsWith("cannot read the migrations folder " + (dir / "nope").string()));
    CHECK_THAT(e.what(), Contains("migrate-create"));
  }
}

TEST_CASE("migration_dir: golang-migrate pairs read as they are", "[migration]") {
  TempDir dir;
  write_text(dir / "000001_create_users.up.sql", "CREATE TABLE users (id INT);\n");
  write_text(dir / "000001_create_users.down.sql", "DROP TABLE users;\n");
  write_text(dir / "000002_add_email.up.sql", "-- Add email.\nALTER TABLE users ADD email TEXT;\n");
  write_text(dir / "000002_add_email.down.sql", "ALTER TABLE users DROP email;\n");
  write_text(dir / "000010_seed.up.sql",
             "\xEF\xBB\xBFINSERT INTO users VALUES (1);\n");  // BOM, no down

  std::vector<Migration> migrations = read_migration_dir(dir.path());
  REQUIRE(stems(migrations) ==
          std::vector<std::string>{"000001_create_users", "000002_add_email", "000010_seed"});
  const Migration& first = migrations[0];
  CHECK(first.file == dir / "000001_create_users.up.sql");
  CHECK(first.up.sql == "CREATE TABLE users (id INT);");
  REQUIRE(first.down);
  CHECK(first.down->sql == "DROP TABLE users;");
  CHECK(first.down->file == dir / "000001_create_users.down.sql");
  CHECK_FALSE(first.depends);
  CHECK(migrations[1].title() == "Add email.");
  CHECK(migrations[2].up.sql == "INSERT INTO users VALUES (1);");
  CHECK_FALSE(migrations[2].down);
  CHECK_FALSE(migrations[2].reversible());
  // ids compare as numbers
  CHECK(migrations[2].id == *MigrationId::from_digits("10"));
}

TEST_CASE("migration_dir: a dbmate folder with 14-digit ids reads as it is", "[migration]") {
  TempDir dir;
  write_text(dir / "20261121142305_create_users.sql",
             "-- migrate:up\ncreate table users (id integer);\n\n-- migrate:down\ndrop table "
             "users;\n");
  write_text(dir / "20261120101000_init.sql", "-- migrate:up\nselect 1;\n-- migrate:down\n");
  write_text(dir / "20261121142400_no_tx.sql",
             "-- migrate:up transaction:false\ncreate index concurrently i on users (id);\n");
  std::vector<Migration> migrations = read_migration_dir(dir.path());
  CHECK(stems(migrations) == std::vector<std::string>{"20261120101000_init",
                                                      "20261121142305_create_users",
                                                      "20261121142400_no_tx"});
  CHECK_FALSE(migrations[2].up.options.transaction);
  CHECK(migrations[1].down->sql == "drop table users;");
}

TEST_CASE("migration_dir: 12- and 14-digit ids and zero padding sort as numbers", "[migration]") {
  TempDir dir;
  write_text(dir / "20261120101000_seconds.sql", kGood);
  write_text(dir / "202611211423_minutes.sql", kGood);
  write_text(dir / "0003_three.sql", kGood);
  write_text(dir / "20_twenty.sql", kGood);
  CHECK(stems(read_migration_dir(dir.path())) ==
        std::vector<std::string>{"0003_three", "20_twenty", "202611211423_minutes",
                                 "20261120101000_seconds"});
}

TEST_CASE("migration_dir: a .sql file without an id is an error, not skipped", "[migration]") {
  TempDir dir;
  write_text(dir / "1_ok.sql", kGood);
  write_text(dir / "add_users.sql", kGood);
  std::string message = read_error(dir.path());
  CHECK_THAT(message, StartsWith((dir / "add_users.sql").string() + ": the file name has no "
                                                                    "leading id"));
}

TEST_CASE("migration_dir: a single bad file is a ParseError with file and line", "[migration]") {
  TempDir dir;
  write_text(dir / "1_ok.sql", kGood);
  write_text(dir / "2_bad.sql", "-- Title\nSELECT 1;\n-- migrate:up\n");
  try {
    read_migration_dir(dir.path());
    FAIL("no error");
  } catch (const ParseError& e) {
    CHECK(e.exit_code() == ExitCode::bad_input);
    CHECK(e.file() == dir / "2_bad.sql");
    CHECK(e.line() == 2);
    CHECK_THAT(e.what(), StartsWith((dir / "2_bad.sql").string() + ":2: text before"));
  }
}

TEST_CASE("migration_dir: a down file without its up file", "[migration]") {
  TempDir dir;
  write_text(dir / "000001_a.up.sql", "SELECT 1;");
  write_text(dir / "000001_a.down.sql", "SELECT 2;");
  write_text(dir / "000002_b.down.sql", "DROP TABLE b;");
  std::string message = read_error(dir.path());
  CHECK_THAT(message, StartsWith((dir / "000002_b.down.sql").string() +
                                 ": a down file without its up file: create 000002_b.up.sql"));
}

TEST_CASE("migration_dir: up and down files pair by version, as golang-migrate pairs them",
          "[migration]") {
  TempDir dir;
  write_text(dir / "30_add_x.up.sql", "-- Add x.\nALTER TABLE t ADD x INT;\n");
  write_text(dir / "30_drop_x.down.sql", "ALTER TABLE t DROP x;\n");
  write_text(dir / "031_b.up.sql", "SELECT 1;\n");
  write_text(dir / "31_b.down.sql", "SELECT 2;\n");  // 031 and 31: one version, as numbers
  std::vector<Migration> migrations = read_migration_dir(dir.path());
  REQUIRE(migrations.size() == 2);
  CHECK(migrations[0].stem() == "30_add_x");  // named by its up file
  CHECK(migrations[0].title() == "Add x.");
  CHECK(migrations[0].up.sql == "-- Add x.\nALTER TABLE t ADD x INT;");  // the file as it is
  CHECK(migrations[0].down->sql == "ALTER TABLE t DROP x;");
  CHECK(migrations[1].stem() == "031_b");
  CHECK(migrations[1].down->sql == "SELECT 2;");
}

TEST_CASE("migration_dir: files of one version pair by name first, then by version",
          "[migration]") {
  TempDir dir;
  // Two branches both added version 2: two migrations with one id, which the graph reports
  // and migrate-renumber fixes, not a folder that does not load.
  write_text(dir / "2_mine.up.sql", "SELECT 1;");
  write_text(dir / "2_mine.down.sql", "SELECT 2;");
  write_text(dir / "2_theirs.up.sql", "SELECT 3;");
  write_text(dir / "2_theirs.down.sql", "SELECT 4;");
  write_text(dir / "3_only.up.sql", "SELECT 5;");
  write_text(dir / "03_other.up.sql", "SELECT 6;");
  std::vector<Migration> migrations = read_migration_dir(dir.path());
  CHECK(stems(migrations) == std::vector<std::string>{"2_mine", "2_theirs", "03_other", "3_only"});
  CHECK(migrations[0].down->sql == "SELECT 2;");
  CHECK(migrations[1].down->sql == "SELECT 4;");
  CHECK_FALSE(migrations[2].down);
}

TEST_CASE("migration_dir: a down file no up file of its version can take", "[migration]") {
  TempDir dir;
  write_text(dir / "2_c.up.sql", "SELECT 1;");
  write_text(dir / "2_c.down.sql", "SELECT 2;");
  write_text(dir / "2_d.down.sql", "SELECT 3;");
  write_text(dir / "3_e.up.sql", "SELECT 4;");
  write_text(dir / "3_f.up.sql", "SELECT 5;");
  write_text(dir / "3_g.down.sql", "SELECT 6;");
  write_text(dir / "4_h.up.sql", "SELECT 7;");
  write_text(dir / "4_i.down.sql", "SELECT 8;");
  write_text(dir / "4_j.down.sql", "SELECT 9;");
  std::string message = read_error(dir.path());
  CHECK_THAT(message, Contains((dir / "2_d.down.sql").string() +
                               ": a down file without its up file: create 2_d.up.sql"));
  CHECK_THAT(message, Contains((dir / "3_g.down.sql").string() +
                               ": a down file of version 3 that could go with more than one up "
                               "file (3_e.up.sql, 3_f.up.sql): name it after its up file "
                               "(<its name>.down.sql)"));
  CHECK_THAT(message, Contains((dir / "4_i.down.sql").string() +
                               ": 2 down files of version 4 (4_i.down.sql, 4_j.down.sql) for 1 "
                               "up file (4_h.up.sql): keep one down file per up file, named "
                               "after it (<its name>.down.sql)"));
}

TEST_CASE("migration_dir: several bad files are reported together, sorted", "[migration]") {
  TempDir dir;
  write_text(dir / "1_ok.sql", kGood);
  write_text(dir / "2_no_marker.sql", "-- just a comment\n");
  write_text(dir / "3_bad_option.sql", "-- migrate:up sometimes\nSELECT 1;\n");
  write_text(dir / "readme.sql", "-- not named right\n");
  write_text(dir / "4_lonely.down.sql", "DROP TABLE x;");
  std::string message = read_error(dir.path());
  CHECK_THAT(message, StartsWith("4 migration files are invalid:\n  "));
  std::string expected = "4 migration files are invalid:\n  " + (dir / "2_no_marker.sql").string() +
                         ": no '-- migrate:up' line";
  CHECK_THAT(message, StartsWith(expected));
  std::size_t no_marker = message.find((dir / "2_no_marker.sql").string() + ": no '-- migrate:up'");
  std::size_t bad_option =
      message.find((dir / "3_bad_option.sql").string() + ":1: unknown section option 'sometimes'");
  std::size_t lonely = message.find((dir / "4_lonely.down.sql").string() + ": a down file");
  std::size_t readme = message.find((dir / "readme.sql").string() + ": the file name has no");
  CHECK(no_marker != std::string::npos);
  CHECK(bad_option != std::string::npos);
  CHECK(lonely != std::string::npos);
  CHECK(readme != std::string::npos);
  CHECK(no_marker < bad_option);
  CHECK(bad_option < lonely);
  CHECK(lonely < readme);
}

TEST_CASE("migration_dir: duplicate ids are read, the graph rejects them", "[migration]") {
  TempDir dir;
  write_text(dir / "1_a.sql", kGood);
  write_text(dir / "0001_b.sql", kGood);
  std::vector<Migration> migrations = read_migration_dir(dir.path());
  REQUIRE(migrations.size() == 2);
  // same id: ordered by file name, so the result does not depend on the file system
  CHECK(migrations[0].file == dir / "0001_b.sql");
  CHECK(migrations[1].file == dir / "1_a.sql");
}

TEST_CASE("migration_dir: the HEAD file", "[migration]") {
  TempDir dir;
  CHECK(head_file_path(dir.path()) == dir / "HEAD");
  CHECK_FALSE(read_head_file(dir.path()));
  write_head_file(dir.path(), "202611211423_add_phone");
  CHECK(read_text(dir / "HEAD") == "202611211423_add_phone\n");
  CHECK(read_head_file(dir.path()) == std::optional<std::string>("202611211423_add_phone"));
  write_text(dir / "HEAD", "  202611211500_other \r\n\n");
  CHECK(read_head_file(dir.path()) == std::optional<std::string>("202611211500_other"));
  write_head_file(dir.path(), "3_c");
  CHECK(read_head_file(dir.path()) == std::optional<std::string>("3_c"));
}

TEST_CASE("migration_dir: entries named like migrations that are not files are errors",
          "[migration]") {
  TempDir dir;
  write_text(dir / "0001_a.sql", "-- migrate:up\nSELECT 1;\n");
  std::filesystem::create_symlink(dir / "gone.sql", dir / "0002_x.sql");
  std::filesystem::create_directory(dir / "0003_dir.sql");
  write_text(dir / "0004_upper.SQL", "-- migrate:up\nSELECT 1;\n");
  std::string message = read_error(dir.path());
  CHECK_THAT(message, StartsWith("3 migration files are invalid"));
  CHECK_THAT(message, Contains((dir / "0002_x.sql").string() + ": a symbolic link to " +
                               (dir / "gone.sql").string() + ", which does not exist"));
  CHECK_THAT(message,
             Contains((dir / "0003_dir.sql").string() + ": a folder named like a migration file"));
  CHECK_THAT(message, Contains((dir / "0004_upper.SQL").string() +
                               ": the name ends in '.SQL': migration files end in '.sql'"));
}

TEST_CASE("migration_dir: a link to a migration file is read, editors' hidden links are not",
          "[migration]") {
  TempDir dir;
  write_text(dir / "shared" / "0001_a.sql.txt", "-- migrate:up\nSELECT 1;\n");
  std::filesystem::create_symlink(dir / "shared" / "0001_a.sql.txt", dir / "0001_a.sql");
  std::filesystem::create_symlink("user@host.1234", dir / ".#0001_a.sql");  // Emacs' lock
  CHECK(stems(read_migration_dir(dir.path())) == std::vector<std::string>{"0001_a"});
}

TEST_CASE("migration_dir: several bad files are one InvalidFiles, one a ParseError",
          "[migration]") {
  TempDir dir;
  write_text(dir / "1_no_marker.sql", "-- just a comment\n");
  CHECK_THROWS_AS(read_migration_dir(dir.path()), ParseError);
  write_text(dir / "2_no_marker.sql", "-- just a comment\n");
  CHECK_THROWS_AS(read_migration_dir(dir.path()), InvalidFiles);
}

// ---------------------------------------------------------------------------------------------
// Formats

namespace {

/// dbmate's template, filled in: the down section left empty.
constexpr std::string_view kEmptyDown =
    "-- migrate:up\nINSERT INTO t VALUES (1);\n\n"
    "-- migrate:down\n\n";
/// An up section holding a line that is a marker in our format, SQL text in dbmate's.
constexpr std::string_view kIndentedMarker =
    "-- migrate:up\nCREATE TABLE t (\n  x INTEGER\n  -- migrate:down\n);\n\n"
    "-- migrate:down\nDROP TABLE t;\n";

std::vector<Migration> read_as(const TempDir& dir, MigrationFormat format) {
  return read_migration_dir(dir.path(), FormatChoice{format, "--format x"});
}

/// The ParseError that reading the folder (in `choice`, else detected) throws.
ParseError read_parse_error(const TempDir& dir, const std::optional<FormatChoice>& choice = {}) {
  try {
    read_migration_dir(dir.path(), choice);
  } catch (const ParseError& e) {
    return e;
  }
  FAIL("no ParseError reading " << dir.path());
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("migration_dir: a dbmate folder is read with dbmate's rules", "[migration]") {
  TempDir dir;
  write_text(dir / "20240101000000_t.sql", kIndentedMarker);
  write_text(dir / "20240102000000_seed.sql", kEmptyDown);
  std::vector<Migration> migrations = read_migration_dir(dir.path());
  REQUIRE(migrations.size() == 2);
  CHECK(migrations[0].format == MigrationFormat::dbmate);
  CHECK(migrations[0].up.sql == "CREATE TABLE t (\n  x INTEGER\n  -- migrate:down\n);");
  CHECK(migrations[1].format == MigrationFormat::dbmate);
  CHECK(migrations[1].reversible());  // its empty down section reverts nothing

  // A HEAD file says the folder is ours: the indented marker is a marker again.
  write_text(dir / "HEAD", "20240102000000_seed\n");
  std::string message = read_error(dir.path());
  CHECK_THAT(message, Contains("a second '-- migrate:down' (the first is on line 4)"));
  CHECK_THAT(message,
             Contains(dir.path().string() +
                      "/ is read in migrate's own format: it has a HEAD file, which "
                      "migrate writes. If it is written for another tool, say which "
                      "with `format =` (migrate, dbmate, golang-migrate, goose, flyway or stem) in "
                      "migrate.conf's [migrate] section, or --format."));
  // ... unless the user says otherwise.
  CHECK(read_as(dir, MigrationFormat::dbmate).size() == 2);
}

TEST_CASE("migration_dir: a chosen format wins over detection", "[migration]") {
  TempDir dir;
  write_text(dir / "20240102000000_seed.sql", kEmptyDown);
  CHECK(read_migration_dir(dir.path())[0].reversible());
  std::vector<Migration> ours = read_as(dir, MigrationFormat::migrate);
  CHECK(ours[0].format == MigrationFormat::migrate);
  CHECK_FALSE(ours[0].reversible());
  CHECK(ours[0].empty_down_irreversible());
  // golang-migrate's folders read single files with our rules, as they always were.
  CHECK(read_as(dir, MigrationFormat::golang_migrate)[0].format == MigrationFormat::migrate);

  // A file that fails says how the folder was read, and who said so.
  write_text(dir / "20240101000000_t.sql", kIndentedMarker);
  ParseError e = read_parse_error(dir, FormatChoice{MigrationFormat::migrate, "--format x"});
  CHECK(e.file() == dir / "20240101000000_t.sql");
  CHECK(e.line() == 7);
  CHECK_THAT(e.what(), EndsWith("\n" + dir.path().string() +
                                "/ is read in migrate's own format, as --format x says."));
}

TEST_CASE("migration_dir: a file that fails in a dbmate folder says it is read as dbmate's",
          "[migration]") {
  TempDir dir;
  write_text(dir / "20240101000000_t.sql", kEmptyDown);
  write_text(dir / "20240102000000_u.sql", "-- migrate:up\nSELECT 1;\n  -- migrate:down\n");
  CHECK(std::string(read_parse_error(dir).what()) ==
        (dir / "20240102000000_u.sql").string() +
            ": no '-- migrate:down' line (line 3 has one after white space, which dbmate "
            "reads as SQL text: a marker starts its line), which dbmate requires. Add one "
            "after the up section (left empty, the migration reverts nothing)\n" +
            dir.path().string() +
            "/ is read in dbmate's format: its files have '-- migrate:up' and "
            "'-- migrate:down' lines, and no HEAD file or '-- depends:' line says it is "
            "migrate's. If it is written for another tool, say which with `format =` "
            "(migrate, dbmate, golang-migrate, goose, flyway or stem) in migrate.conf's [migrate] "
            "section, or "
            "--format.");
}

TEST_CASE("migration_dir: a file's problems and the folder's duplicate ids come in one message",
          "[migration]") {
  TempDir dir;
  write_text(dir / "1_a.sql", kGood);
  write_text(dir / "01_b.sql", kGood);
  write_text(dir / "2_c.sql", "-- migrate:up\nSELECT 1;\n-- migrate:up\n");
  write_text(dir / "3_d.up.sql", "SELECT 1;\n");
  write_text(dir / "3_e.sql", kGood);
  std::string message = read_error(dir.path());
  CHECK_THAT(message, StartsWith("1 migration file is invalid, and 2 ids are used twice:\n  " +
                                 (dir / "2_c.sql").string() +
                                 ":3: a second '-- migrate:up' (the first is on line 1)"));
  CHECK_THAT(message, Contains("\n  duplicate id 1: " + (dir / "01_b.sql").string() + " and " +
                               (dir / "1_a.sql").string() + ". Give one of them a new id"));
  CHECK_THAT(message, Contains("\n  duplicate id 3: " + (dir / "3_d.up.sql").string() + " and " +
                               (dir / "3_e.sql").string() + "."));
  // Fixed file: the duplicates alone are left to the graph (migrate-renumber reads such a
  // folder to fix it).
  write_text(dir / "2_c.sql", kGood);
  CHECK(read_migration_dir(dir.path()).size() == 5);
}

TEST_CASE("migration_dir: goose folders are read as goose runs them", "[migration]") {
  TempDir goose;
  write_text(goose / "00001_a.sql", "-- +goose Up\nCREATE TABLE a (x int);\n-- +goose Down\n");
  write_text(goose / "00002_b.sql", "-- +goose Up\nCREATE TABLE b (x int);\n");
  write_text(goose / "00003_c_test.go", "package migrations\n");  // not a migration
  std::vector<Migration> read = read_migration_dir(goose.path());
  REQUIRE(read.size() == 2);
  CHECK(read[0].format == MigrationFormat::goose);
  CHECK(read[1].up.sql == "CREATE TABLE b (x int);");
  CHECK(read[1].reversible());  // no Down: reverting runs nothing, as in goose
  // A Go migration is refused, named; skipped with a warning when asked.
  write_text(goose / "00003_c.go", "package migrations\n");
  CHECK_THAT(read_error(goose.path()),
             StartsWith((goose / "00003_c.go").string() +
                        ": a Go migration, which migrate cannot run (it runs SQL only)."));
  std::vector<std::string> warnings;
  CHECK(read_migration_dir(goose.path(), {}, GooseSettings{{}, true, &warnings}).size() == 2);
  REQUIRE(warnings.size() == 1);
  CHECK_THAT(warnings[0], StartsWith("skipped the Go migration " + (goose / "00003_c.go").string() +
                                     " (--skip-go)"));
  // Read as ours anyway, each file says what it looks like.
  try {
    read_as(goose, MigrationFormat::migrate);
    FAIL("no error");
  } catch (const InvalidFiles& e) {
    CHECK_THAT(e.what(), Contains((goose / "00002_b.sql").string() +
                                  ":2: text before '-- migrate:up' is not a comment"));
    CHECK_THAT(e.what(), Contains("It is written for goose ('-- +goose' annotations): read the "
                                  "folder with `format = goose`"));
  }
}

TEST_CASE("migration_dir: Flyway files among ours are bad files", "[migration]") {
  // A Flyway file among ours is one bad file, named as what it looks like.
  TempDir mixed;
  write_text(mixed / "1_a.sql", kGood);
  write_text(mixed / "V2__b.sql", "SELECT 1;\n");
  CHECK(read_error(mixed.path()) ==
        (mixed / "V2__b.sql").string() +
            ": the file name has no leading id. Migration files are named <id>_<slug>.sql (for "
            "example 202611211423_add_phone_to_users.sql); rename it, or move it out of the "
            "migrations folder if it is not a migration. It is named as Flyway names its "
            "migrations: to read the folder as Flyway's, say `format = flyway` in "
            "migrate.conf's [migrate] section, or --format flyway\n" +
            mixed.path().string() +
            "/ is read in dbmate's format: its files have "
            "'-- migrate:up' and '-- migrate:down' lines, and no HEAD file or '-- depends:' line "
            "says it is migrate's. If it is written for another tool, say which with `format =` "
            "(migrate, dbmate, golang-migrate, goose, flyway or stem) in migrate.conf's [migrate] "
            "section, or "
            "--format.");
}

TEST_CASE("migration_dir: golang-migrate pairs beside single files, as always", "[migration]") {
  TempDir dir;
  write_text(dir / "1_a.up.sql", "CREATE TABLE a (x int);\n");
  write_text(dir / "1_a.down.sql", "\n");
  write_text(dir / "2_b.sql", kEmptyDown);
  std::vector<Migration> migrations = read_migration_dir(dir.path());
  REQUIRE(migrations.size() == 2);
  CHECK(migrations[0].format == MigrationFormat::golang_migrate);
  CHECK_FALSE(migrations[0].reversible());  // an empty down file: irreversible, as before
  CHECK(migrations[1].format == MigrationFormat::migrate);
  CHECK_FALSE(migrations[1].reversible());
  // Read as dbmate's, the single file takes dbmate's rules; the pair stays a pair.
  std::vector<Migration> dbmate = read_as(dir, MigrationFormat::dbmate);
  CHECK(dbmate[0].format == MigrationFormat::golang_migrate);
  CHECK(dbmate[1].format == MigrationFormat::dbmate);
  CHECK(dbmate[1].reversible());
}

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
  CHECK(init.title() == "init");  // the description, as Flyway shows it, not a comment
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

TEST_CASE("migration_dir: tests/ holds migrate-verify's data tests, in every format",
          "[migration][flyway]") {
  TempDir flyway;
  write_text(flyway / "V1__init.sql", "CREATE TABLE users (id int);\n");
  write_text(flyway / "sub" / "V2__nested.sql", "SELECT 2;\n");
  write_text(flyway / "tests" / "V1__init.sql", "-- after:\nSELECT 1;\n");  // Flyway's name
  write_text(flyway / "tests" / "deeper" / "V3__x.sql", "-- after:\nSELECT 3;\n");
  std::vector<std::filesystem::path> listing;
  CHECK(stems(read_migration_dir(flyway.path(), {}, {}, &listing)) ==
        std::vector<std::string>{"V1__init", "V2__nested"});
  // Listed (for flyway_files_not_run's warning about files Flyway would run), never read.
  CHECK(flyway_files_not_run(listing, flyway.path()).in_data_tests ==
        std::vector<std::filesystem::path>{flyway / "tests" / "V1__init.sql",
                                           flyway / "tests" / "deeper" / "V3__x.sql"});
  TempDir ours;
  write_text(ours / "0001_a.sql", "-- migrate:up\nCREATE TABLE a (id int);\n");
  write_text(ours / "tests" / "0001_a.sql", "-- after:\nSELECT 1;\n");
  CHECK(stems(read_migration_dir(ours.path())) == std::vector<std::string>{"0001_a"});
  CHECK(in_data_tests_folder("tests/0001_a.sql"));
  CHECK_FALSE(in_data_tests_folder("tests"));
  CHECK_FALSE(in_data_tests_folder("testsuite/V1__a.sql"));
  CHECK_FALSE(in_data_tests_folder("sub/tests/V1__a.sql"));
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
                      "with `format =` (migrate, dbmate, golang-migrate, goose, flyway or stem) in "
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

TEST_CASE("migration_dir flyway: a baseline replaces the versions up to it, and the one before",
          "[migration][flyway]") {
  TempDir dir;
  write_text(dir / "V1__a.sql", "CREATE TABLE a (x int);\n");
  write_text(dir / "V2__b.sql", "CREATE TABLE b (x int);\n");
  write_text(dir / "B1__one.sql", "CREATE TABLE a (x int);\n");
  write_text(dir / "sub" / "B2__two.sql", "CREATE TABLE a (x int);\nCREATE TABLE b (x int);\n");
  write_text(dir / "V3__c.sql", "CREATE TABLE c (x int);\n");
  RevisionGraph graph(read_migration_dir(dir.path()));
  auto at = [&](std::string_view id) -> const Migration& {
    std::optional<std::size_t> m = graph.find(MigrationId::from_row(id));
    REQUIRE(m);
    return graph.at(*m);
  };
  const Migration& two = at("B2");
  CHECK(two.baseline);
  CHECK(two.id.named());
  CHECK(two.version() == *MigrationId::from_digits("2"));
  CHECK(two.stem() == "B2__two");
  CHECK(two.title() == "two");
  CHECK(two.depends == std::vector<MigrationRef>{});  // from nothing
  std::vector<std::string> replaced;
  for (const MigrationRef& ref : two.replaces) {
    replaced.push_back(ref.id.text());
  }
  CHECK(replaced == std::vector<std::string>{"B1", "2"});
  CHECK(at("B1").replaces == std::vector<MigrationRef>{{*MigrationId::from_digits("1"), "", 0}});
  // After each baseline, the first version is its child; the others follow as always.
  CHECK(at("2").depends == std::vector<MigrationRef>{{MigrationId::from_name("B1"), "", 0}});
  CHECK(at("3").depends == std::vector<MigrationRef>{{MigrationId::from_name("B2"), "", 0}});
  CHECK_FALSE(at("1").depends);
  CHECK(graph.heads().size() == 1);
  CHECK(graph.at(graph.heads().front()).id.text() == "3");
}

TEST_CASE("migration_dir flyway: two baselines of one version are refused, as in Flyway",
          "[migration][flyway]") {
  TempDir dir;
  write_text(dir / "V1__a.sql", "SELECT 1;\n");
  write_text(dir / "B5__base.sql", "SELECT 5;\n");
  write_text(dir / "B05__again.sql", "SELECT 5;\n");
  CHECK_THAT(read_error(dir.path()),
             Contains("Found more than one baseline migration with version 5: "));
}

TEST_CASE("migration_dir flyway: repeatables are read by description, named by their file",
          "[migration][flyway]") {
  TempDir dir;
  write_text(dir / "V1__a.sql", "SELECT 1;\n");
  write_text(dir / "R__views.sql",
             "\xEF\xBB\xBF"
             "CREATE VIEW v AS SELECT 1;\n");
  write_text(dir / "sub" / "R__All_grants.sql", "GRANT SELECT ON v TO ${user};\n");
  std::vector<Migration> migrations = read_migration_dir(dir.path());
  REQUIRE(migrations.size() == 3);
  CHECK_FALSE(migrations[0].repeatable);
  const Migration& views = migrations[2];
  CHECK(views.repeatable);
  CHECK(views.id.named());
  CHECK(views.id.text() == "R__views");
  CHECK(views.stem() == "R__views");
  CHECK(views.title() == "views");
  CHECK(views.up.sql == "CREATE VIEW v AS SELECT 1;");  // without its BOM
  CHECK_FALSE(views.down);
  CHECK(views.format == MigrationFormat::flyway);
  CHECK(migrations[1].id.text() == "R__All_grants");
  CHECK(migrations[1].title() == "All grants");
}

TEST_CASE("migration_dir flyway: two repeatables of one description are refused, as in Flyway",
          "[migration][flyway]") {
  TempDir dir;
  write_text(dir / "R__all_views.sql", "SELECT 1;\n");
  write_text(dir / "sub" / "R__all views.sql", "SELECT 2;\n");
  write_text(dir / "Rx__views.sql", "SELECT 3;\n");
  std::string message = read_error(dir.path());
  CHECK_THAT(message, Contains("Found more than one repeatable migration with description 'all "
                               "views': "));
  CHECK_THAT(message, Contains("Rx__views.sql: not a Flyway migration name: 'x' stands between "
                               "the prefix and '__'"));
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
  write_text(dir / "B1__first.sql", "SELECT 1;\n");
  write_text(dir / "sub" / "B1.5__second.sql", "SELECT 1;\n");
  write_text(dir / "B2__newest.sql", "SELECT 1;\n");
  // migrate-verify's data tests: one for V1 (not a migration's name, no word of it) and a file
  // Flyway would run as a migration (named, not read).
  write_text(dir / "tests" / "1.sql", "-- before:\nSELECT 1;\n");
  write_text(dir / "tests" / "V3__misplaced.sql", "SELECT 1;\n");
  std::vector<std::filesystem::path> listing;
  std::vector<Migration> read = read_migration_dir(
      dir.path(), FormatChoice{MigrationFormat::flyway, "the test"}, {}, &listing);
  for (const Migration& migration : read) {
    CHECK(migration.id.text() != "3");
  }
  FlywayFilesNotRun not_run = flyway_files_not_run(listing, dir.path());
  CHECK(not_run.in_data_tests ==
        std::vector<std::filesystem::path>{dir / "tests" / "V3__misplaced.sql"});
  CHECK(not_run.not_migrations ==
        std::vector<std::filesystem::path>{dir / "README.md", dir / "V1__a.sql.conf",
                                           dir / "sub" / "afterMigrate__vacuum.sql"});
  CHECK(not_run.older_baselines == std::vector<std::filesystem::path>{
                                       dir / "B1__first.sql", dir / "sub" / "B1.5__second.sql"});
}
