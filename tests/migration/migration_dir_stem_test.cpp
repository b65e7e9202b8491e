// migration_dir, a name-ordered folder (`format = stem`, maragudk/migrate's): the whole stem is
// the id, in name order, each up file with its down file; bad names, a down file alone and two
// suffix styles refused, all in one round.
#include <catch2/catch.hpp>

#include "graph/revision_graph.hpp"
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

const FormatChoice kStem{MigrationFormat::stem, "format = in migrate.conf"};

std::vector<Migration> read_stems(const TempDir& dir) {
  return read_migration_dir(dir.path(), kStem);
}

std::vector<std::string> ids(const std::vector<Migration>& migrations) {
  std::vector<std::string> out;
  for (const Migration& m : migrations) {
    out.push_back(m.id.text());
  }
  return out;
}

std::string read_error(const TempDir& dir) {
  try {
    read_stems(dir);
  } catch (const Error& e) {
    CHECK(e.exit_code() == ExitCode::bad_input);
    return e.what();
  }
  FAIL("no error reading " << dir.path());
  return {};
}

}  // namespace

TEST_CASE("migration_dir stem: the whole stem is the id, in name order, with its down file",
          "[migration][stem]") {
  TempDir dir;
  write_text(dir / "0002_index_a.up.sql", "CREATE INDEX a_id ON a (id);\n");
  write_text(dir / "0002_index_a.down.sql", "");  // empty: reverts nothing, as maragudk runs it
  write_text(dir / "0001_create_b.up.sql", "CREATE TABLE b (id int);\n");  // no down: irreversible
  write_text(dir / "0001_create_a.up.sql", "-- The a table.\nCREATE TABLE a (id int);\n");
  write_text(dir / "0001_create_a.down.sql", "DROP TABLE a;\n");
  write_text(dir / "0003-seed.up.sql", "INSERT INTO a VALUES (1);\n");
  write_text(dir / "0003-seed.down.sql", "DELETE FROM a;\n");
  write_text(dir / "README.md", "not read");
  write_text(dir / "HEAD", "not ours\n");
  write_text(dir / "sub" / "0000_nested.up.sql", "maragudk reads one folder");
  std::vector<Migration> migrations = read_stems(dir);
  REQUIRE(ids(migrations) ==
          std::vector<std::string>{"0001_create_a", "0001_create_b", "0002_index_a", "0003-seed"});
  const Migration& a = migrations[0];
  CHECK(a.id.named());
  CHECK(a.format == MigrationFormat::stem);
  CHECK(a.stem() == "0001_create_a");
  CHECK(a.title() == "The a table.");
  CHECK(a.file == dir / "0001_create_a.up.sql");
  CHECK(a.files() == std::vector<std::filesystem::path>{dir / "0001_create_a.up.sql",
                                                        dir / "0001_create_a.down.sql"});
  CHECK(a.down->sql == "DROP TABLE a;");
  CHECK(a.reversible());
  CHECK(migrations[1].title() == "create b");
  CHECK_FALSE(migrations[1].down);
  CHECK_FALSE(migrations[1].reversible());
  CHECK(migrations[2].reversible());  // its empty down file reverts nothing
  CHECK_FALSE(migrations[2].empty_down_irreversible());
  CHECK(migrations[3].title() == "seed");
  // Each one's parent is the one before it in name order.
  RevisionGraph graph(migrations);
  CHECK(graph.heads() == std::vector<std::size_t>{3});
  CHECK(graph.find(MigrationId::from_row("0001_create_b")) == std::size_t{1});
}

TEST_CASE("migration_dir stem: _up.sql and _down.sql, maragudk's own names", "[migration][stem]") {
  TempDir dir;
  write_text(dir / "1-accounts_up.sql", "CREATE TABLE accounts (id int);\n");
  write_text(dir / "1-accounts_down.sql", "DROP TABLE accounts;\n");
  write_text(dir / "2-users_up.sql", "CREATE TABLE users (id int);\n");
  std::vector<Migration> migrations = read_stems(dir);
  CHECK(ids(migrations) == std::vector<std::string>{"1-accounts", "2-users"});
  CHECK(migrations[0].down->file == dir / "1-accounts_down.sql");
  CHECK_FALSE(migrations[1].down);
  CHECK(migrations[0].id.named());
  CHECK(migrations[1].stem() == "2-users");
  // Beside 1-accounts_up.sql, 1_up.sql would never run there: maragudk/migrate reads
  // 1-accounts_up.sql first ('-' < '_') and then skips 1, which its versions put before.
  write_text(dir / "1_up.sql", "SELECT 1;\n");
  CHECK_THAT(read_error(dir), Contains("/1-accounts_up.sql: maragudk/migrate runs it before "
                                       "1_up.sql"));
}

TEST_CASE("migration_dir stem: bad names, a down file alone and two styles, in one round",
          "[migration][stem]") {
  TempDir dir;
  write_text(dir / "0001_a.up.sql", "SELECT 1;\n");
  write_text(dir / "0002_b_up.sql", "SELECT 2;\n");
  write_text(dir / "0003_c.down.sql", "SELECT 3;\n");
  write_text(dir / "0004_d.sql", "-- migrate:up\nSELECT 4;\n");
  write_text(dir / "0005 e.up.sql", "SELECT 5;\n");
  std::string message = read_error(dir);
  std::string d = dir.path().string();
  CHECK_THAT(message, StartsWith("4 migration files are invalid:\n  " + d + "/0002_b_up.sql: "));
  CHECK_THAT(
      message,
      Contains(d + "/0002_b_up.sql: named with _up.sql/_down.sql, while 0001_a.up.sql is "
                   "named with .up.sql/.down.sql: a name-ordered folder keeps one style, which "
                   "migrate-create's new files follow. Rename it 0002_b.up.sql\n"));
  CHECK_THAT(message, Contains(d + "/0003_c.down.sql: a down file without its up file: create "
                                   "0003_c.up.sql beside it, or remove it\n"));
  const std::string not_named =
      ": not named as a name-ordered folder's migrations are: <stem>.up.sql and <stem>.down.sql "
      "(or <stem>_up.sql and <stem>_down.sql), the stem of ASCII letters, digits, '_' and '-'. "
      "Rename it, or move it out of the migrations folder\n";
  CHECK_THAT(message, Contains(d + "/0004_d.sql" + not_named));
  CHECK_THAT(message, Contains(d + "/0005 e.up.sql" + not_named));
  CHECK_THAT(message,
             EndsWith("\n" + d +
                      "/ is read in the name-ordered (stem) format, as format = in migrate.conf "
                      "says."));
}

TEST_CASE(
    "migration_dir stem: one bad file is a ParseError, a folder of other files says how "
    "it was read",
    "[migration][stem]") {
  TempDir dir;
  write_text(dir / "20240101000000_create_notes.sql",
             "-- migrate:up\nCREATE TABLE notes (id int);\n-- migrate:down\nDROP TABLE notes;\n");
  try {
    read_stems(dir);
    FAIL("no error");
  } catch (const ParseError& e) {
    CHECK(e.file() == dir / "20240101000000_create_notes.sql");
    CHECK_THAT(std::string(e.what()),
               EndsWith("is read in the name-ordered (stem) format, as format = in migrate.conf "
                        "says."));
  }
  // An empty folder is a name-ordered folder with nothing in it yet.
  TempDir empty;
  CHECK(read_migration_dir(empty.path(), kStem).empty());
}

TEST_CASE("migration_dir stem: read as golang-migrate's, shared versions say `format = stem`",
          "[migration][stem]") {
  TempDir dir;
  write_text(dir / "0001_create_a.up.sql", "SELECT 1;\n");
  write_text(dir / "0001_create_b.up.sql", "SELECT 2;\n");
  std::vector<Migration> migrations = read_migration_dir(dir.path());  // detected: pairs
  CHECK_THROWS_WITH(RevisionGraph(migrations),
                    Contains("duplicate id 0001: " + (dir / "0001_create_a.up.sql").string() +
                             " and " + (dir / "0001_create_b.up.sql").string() +
                             ". Give one of them a new id (after a rebase, migrate-renumber does "
                             "it); or, if the folder is name-ordered (maragudk/migrate: the whole "
                             "file stem is the version, in name order), read it so with `format "
                             "= stem` in migrate.conf's [migrate] section, or --format stem"));
  // _up.sql names read as ours fail, and say so.
  TempDir underscored;
  write_text(underscored / "0001_create_a_up.sql", "CREATE TABLE a (id int);\n");
  try {
    read_migration_dir(underscored.path());
    FAIL("no error");
  } catch (const ParseError& e) {
    CHECK_THAT(std::string(e.what()),
               Contains("It is named as a name-ordered folder's files are (maragudk/migrate: the "
                        "whole stem is the version): to read the folder so, say `format = stem`"));
  }
}

TEST_CASE("migration_dir stem: stems of digits alone must keep the names' order as numbers",
          "[migration][stem]") {
  TempDir dir;
  for (const char* stem : {"1", "2", "9", "10", "11"}) {
    write_text(dir / (std::string(stem) + ".up.sql"), "SELECT 1;\n");
  }
  // maragudk/migrate runs 1, 10, 11, 2, 9; the state table gives back 1, 2, 9, 10, 11.
  std::string message = read_error(dir);
  CHECK_THAT(message, Contains(dir.path().string() +
                               "/2.up.sql: maragudk/migrate runs it after 11.up.sql (it orders "
                               "the names as text), but to migrate, whose state table reads a "
                               "stem of digits alone back as a number, it comes first. Name "
                               "them so that both agree: numbers of one width (02, 10), or "
                               "words after the digits (2_init)"));
  CHECK_THAT(message, Contains("/9.up.sql: maragudk/migrate runs it after 11.up.sql"));
  TempDir same;
  write_text(same / "01.up.sql", "SELECT 1;\n");
  write_text(same / "1.up.sql", "SELECT 1;\n");
  CHECK_THROWS_WITH(read_migration_dir(same.path(), kStem),
                    Contains("1.up.sql: maragudk/migrate runs it after 01.up.sql (it orders the "
                             "names as text), but to migrate, whose state table reads a stem of "
                             "digits alone back as a number, they are the same number"));
  // One width, or words: both orders agree.
  TempDir padded;
  for (const char* stem : {"01", "02", "09", "10", "10_a", "11-b"}) {
    write_text(padded / (std::string(stem) + ".up.sql"), "SELECT 1;\n");
  }
  CHECK(ids(read_migration_dir(padded.path(), kStem)) ==
        std::vector<std::string>{"01", "02", "09", "10", "10_a", "11-b"});
}

TEST_CASE("migration_dir stem: _up.sql names whose order is not the stems' are refused",
          "[migration][stem]") {
  TempDir dir;
  write_text(dir / "0001_create_a_up.sql", "SELECT 1;\n");
  write_text(dir / "0001_create_a_b_up.sql", "SELECT 2;\n");
  // maragudk/migrate runs 0001_create_a_b_up.sql first ('b' < 'u'); the stems say the other.
  CHECK_THAT(read_error(dir),
             Contains("/0001_create_a_b_up.sql: maragudk/migrate runs it before "
                      "0001_create_a_up.sql (it reads the files in the order of their names), "
                      "but its stem, 0001_create_a_b, sorts after 0001_create_a"));
  TempDir dotted;  // with .up.sql, the two orders agree
  write_text(dotted / "0001_create_a.up.sql", "SELECT 1;\n");
  write_text(dotted / "0001_create_a_b.up.sql", "SELECT 2;\n");
  CHECK(read_migration_dir(dotted.path(), kStem).size() == 2);
}
