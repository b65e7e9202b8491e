#include <catch2/catch.hpp>

#include "migration/checksum.hpp"
#include "migration/migration_parser.hpp"
#include "util/error.hpp"

using namespace migrate;
using Catch::Contains;
using Catch::StartsWith;

namespace {

const std::filesystem::path kDir = "migrations";

Migration parse(std::string_view file_name, std::string_view text) {
  std::filesystem::path file = kDir / file_name;
  std::optional<MigrationFileName> name = parse_file_name(file);
  REQUIRE(name);
  return parse_migration(*name, file, text);
}

/// The ParseError that parsing throws; fails the test when it does not throw.
ParseError parse_error(std::string_view file_name, std::string_view text) {
  try {
    parse(file_name, text);
  } catch (const ParseError& e) {
    CHECK(e.exit_code() == ExitCode::bad_input);
    CHECK(e.file() == kDir / file_name);
    return e;
  }
  FAIL("no ParseError for " << file_name);
  throw std::logic_error("unreachable");
}

ParseError file_name_error(std::string_view file_name) {
  try {
    parse_file_name(kDir / file_name);
  } catch (const ParseError& e) {
    CHECK(e.exit_code() == ExitCode::bad_input);
    CHECK(e.line() == 0);
    return e;
  }
  FAIL("no ParseError for " << file_name);
  throw std::logic_error("unreachable");
}

std::vector<std::string> ref_texts(const std::vector<MigrationRef>& refs) {
  std::vector<std::string> out;
  for (const MigrationRef& ref : refs) {
    out.push_back(ref.text);
  }
  return out;
}

std::vector<std::string> ref_ids(const std::vector<MigrationRef>& refs) {
  std::vector<std::string> out;
  for (const MigrationRef& ref : refs) {
    out.push_back(ref.id.text());
  }
  return out;
}

constexpr std::string_view kDesignExample =
    "-- Add a phone number to users.\n"
    "--\n"
    "-- Needed for SMS login. Nullable: backfilled later by the app.\n"
    "-- depends: 202611201010_create_users\n"
    "-- migrate:up\n"
    "ALTER TABLE users ADD COLUMN phone TEXT;\n"
    "\n"
    "-- migrate:down\n"
    "ALTER TABLE users DROP COLUMN phone;\n";

}  // namespace

// ---------------------------------------------------------------------------------------------
// File names

TEST_CASE("parser: file names give id, slug and kind", "[migration]") {
  auto name = parse_file_name("migrations/202611211423_add_phone_to_users.sql");
  REQUIRE(name);
  CHECK(name->id.text() == "202611211423");
  CHECK(name->slug == "add_phone_to_users");
  CHECK(name->kind == MigrationFileName::Kind::single);

  name = parse_file_name("000001_create_users.up.sql");
  REQUIRE(name);
  CHECK(name->id.text() == "000001");
  CHECK(name->slug == "create_users");
  CHECK(name->kind == MigrationFileName::Kind::up);

  name = parse_file_name("/abs/000001_create_users.down.sql");
  REQUIRE(name);
  CHECK(name->id.text() == "000001");
  CHECK(name->slug == "create_users");
  CHECK(name->kind == MigrationFileName::Kind::down);

  name = parse_file_name("20261121142305.sql");  // no slug at all
  REQUIRE(name);
  CHECK(name->id.text() == "20261121142305");
  CHECK(name->slug.empty());

  name = parse_file_name("1.up.sql");
  REQUIRE(name);
  CHECK(name->id.text() == "1");
  CHECK(name->kind == MigrationFileName::Kind::up);

  name = parse_file_name("12_with.dots_in.name.sql");
  REQUIRE(name);
  CHECK(name->slug == "with.dots_in.name");
}

TEST_CASE("parser: files that are not migrations are not names", "[migration]") {
  CHECK_FALSE(parse_file_name("migrations/README.md"));
  CHECK_FALSE(parse_file_name("migrations/HEAD"));
  CHECK_FALSE(parse_file_name("migrations/.hidden.sql"));
  CHECK_FALSE(parse_file_name("migrations/.1_a.sql"));
  CHECK_FALSE(parse_file_name("migrations/1_a.sql.orig"));
  CHECK_FALSE(parse_file_name("migrations/1_a.sqlite"));
  // The name is the last part of the path, as filename() reads it: a folder's name, or a
  // path ending in '/', is not one.
  CHECK_FALSE(parse_file_name("migrations/1_a.sql/"));
  CHECK_FALSE(parse_file_name("1_a.sql.d/README"));
  CHECK_FALSE(parse_file_name(".sql"));
  CHECK_FALSE(named_like_migration("migrations/.sql"));
  CHECK(named_like_migration("1_a.sql"));
  CHECK(named_like_migration("a.b/1_a.SQL"));  // a migration in another case, refused below
  CHECK(parse_file_name("a.sql/1_b.sql")->slug == "b");
}

TEST_CASE("parser: a .sql file without a leading id is an error naming it", "[migration]") {
  for (std::string_view bad : {"add_users.sql", "v1_add_users.sql", "1a_add_users.sql",
                               "_1_add.sql", "1-add-users.sql", "add.up.sql", "notes.down.sql"}) {
    ParseError e = file_name_error(bad);
    CHECK(e.file() == kDir / bad);
    CHECK_THAT(e.what(), StartsWith((kDir / bad).string() + ": "));
    CHECK_THAT(e.what(), Contains("no leading id"));
  }
}

// ---------------------------------------------------------------------------------------------
// Good files

TEST_CASE("parser: the DESIGN.md example", "[migration]") {
  Migration m = parse("202611211423_add_phone_to_users.sql", kDesignExample);
  CHECK(m.id.text() == "202611211423");
  CHECK(m.slug == "add_phone_to_users");
  CHECK(m.file == kDir / "202611211423_add_phone_to_users.sql");
  CHECK(m.doc == std::vector<std::string>{"Add a phone number to users.", "",
                                          "Needed for SMS login. Nullable: backfilled later by "
                                          "the app."});
  CHECK(m.title() == "Add a phone number to users.");
  REQUIRE(m.depends);
  CHECK(ref_texts(*m.depends) == std::vector<std::string>{"202611201010_create_users"});
  CHECK(ref_ids(*m.depends) == std::vector<std::string>{"202611201010"});
  CHECK((*m.depends)[0].line == 4);
  CHECK(m.replaces.empty());
  CHECK(m.up.sql == "ALTER TABLE users ADD COLUMN phone TEXT;");
  CHECK(m.up.first_line == 6);
  CHECK(m.up.file == m.file);
  CHECK(m.up.options == SectionOptions{});
  REQUIRE(m.down);
  CHECK(m.down->sql == "ALTER TABLE users DROP COLUMN phone;");
  CHECK(m.down->first_line == 9);
  CHECK(m.reversible());
  CHECK(m.checksum == section_checksum("ALTER TABLE users ADD COLUMN phone TEXT;"));
  CHECK(m.stem() == "202611211423_add_phone_to_users");
}

TEST_CASE("parser: a dbmate file with no header", "[migration]") {
  Migration m = parse("20261121142305_create_users.sql",
                      "-- migrate:up\n"
                      "create table users (id integer primary key);\n"
                      "create index users_id on users (id);\n"
                      "\n"
                      "-- migrate:down\n"
                      "drop table users;\n");
  CHECK(m.id.text() == "20261121142305");
  CHECK(m.doc.empty());
  CHECK_FALSE(m.depends);  // the implicit parent rule applies
  CHECK(m.up.sql ==
        "create table users (id integer primary key);\ncreate index users_id on users (id);");
  CHECK(m.up.first_line == 2);
  CHECK(m.down->sql == "drop table users;");
  CHECK(m.down->first_line == 6);
  CHECK(m.title() == "create users");
}

TEST_CASE("parser: the up section alone, empty and missing down sections", "[migration]") {
  Migration m = parse("1_a.sql", "-- migrate:up\nCREATE TABLE t (x INT);\n");
  CHECK(m.up.sql == "CREATE TABLE t (x INT);");
  CHECK_FALSE(m.down);
  CHECK_FALSE(m.reversible());

  m = parse("1_a.sql", "-- migrate:up\nCREATE TABLE t (x INT);\n-- migrate:down\n");
  REQUIRE(m.down);
  CHECK(m.down->sql.empty());
  CHECK_FALSE(m.reversible());

  m = parse("1_a.sql",
            "-- migrate:up\nCREATE TABLE t (x INT);\n-- migrate:down\n-- irreversible\n");
  REQUIRE(m.down);
  CHECK(m.down->sql == "-- irreversible");
  CHECK_FALSE(m.reversible());

  m = parse("1_a.sql", "-- migrate:up\n-- migrate:down\nDROP TABLE t;");
  CHECK(m.up.sql.empty());
  CHECK(m.down->sql == "DROP TABLE t;");
}

TEST_CASE("parser: blank lines around sections are cut, first_line moves down", "[migration]") {
  Migration m = parse("1_a.sql",
                      "-- migrate:up\n"    // 1
                      "\n"                 // 2
                      "   \n"              // 3
                      "  SELECT 1;\n"      // 4
                      "\n"                 // 5
                      "  SELECT 2;   \n"   // 6
                      "\n\n"               // 7, 8
                      "-- migrate:down\n"  // 9
                      "\n"                 // 10
                      "SELECT 3;\n\n\n");  // 11
  CHECK(m.up.sql == "  SELECT 1;\n\n  SELECT 2;");
  CHECK(m.up.first_line == 4);
  CHECK(m.down->sql == "SELECT 3;");
  CHECK(m.down->first_line == 11);
}

TEST_CASE("parser: CRLF files parse like LF files, with the same checksum", "[migration]") {
  std::string crlf;
  for (char c : kDesignExample) {
    if (c == '\n') {
      crlf += '\r';
    }
    crlf += c;
  }
  Migration lf = parse("202611211423_add_phone_to_users.sql", kDesignExample);
  Migration dos = parse("202611211423_add_phone_to_users.sql", crlf);
  CHECK(dos.doc == lf.doc);
  CHECK(ref_texts(*dos.depends) == ref_texts(*lf.depends));
  CHECK(dos.checksum == lf.checksum);
  CHECK(dos.up.first_line == lf.up.first_line);
  CHECK(dos.down->first_line == lf.down->first_line);
  CHECK(std::string(dos.down->sql) == "ALTER TABLE users DROP COLUMN phone;");
}

TEST_CASE("parser: a UTF-8 byte order mark is not text before the marker", "[migration]") {
  Migration m = parse("1_a.sql", "\xEF\xBB\xBF-- Title\n-- migrate:up\nSELECT 1;\n");
  CHECK(m.doc == std::vector<std::string>{"Title"});
  CHECK(m.up.sql == "SELECT 1;");
  CHECK(m.up.first_line == 3);
  CHECK(m.checksum == section_checksum("SELECT 1;"));
}

TEST_CASE("parser: depends and replaces, by id or stem, with spaces or commas", "[migration]") {
  Migration m = parse("5_squash.sql",
                      "-- Squash of 2 to 4.\n"
                      "-- depends: 1_init, 000003\n"
                      "-- depends: 0004_more.sql\n"
                      "-- replaces: 2 3,4\n"
                      "-- migrate:up\n"
                      "SELECT 1;\n");
  REQUIRE(m.depends);
  CHECK(ref_texts(*m.depends) == std::vector<std::string>{"1_init", "000003", "0004_more"});
  CHECK(ref_ids(*m.depends) == std::vector<std::string>{"1", "000003", "0004"});
  CHECK((*m.depends)[0].line == 2);
  CHECK((*m.depends)[2].line == 3);
  CHECK(ref_ids(m.replaces) == std::vector<std::string>{"2", "3", "4"});
  CHECK(m.replaces[1].line == 4);
  CHECK(m.doc == std::vector<std::string>{"Squash of 2 to 4."});
}

TEST_CASE("parser: an empty depends line makes an explicit root", "[migration]") {
  Migration m = parse("7_root.sql", "-- depends:\n-- migrate:up\nSELECT 1;\n");
  REQUIRE(m.depends);
  CHECK(m.depends->empty());
}

TEST_CASE("parser: directives inside the documentation are not documentation", "[migration]") {
  Migration m = parse("2_b.sql",
                      "\n"
                      "--\n"
                      "-- Title\n"
                      "--   indented detail\n"
                      "-- depends: 1\n"
                      "--\n"
                      "-- after\n"
                      "\n"
                      "--\n"
                      "-- migrate:up\n"
                      "SELECT 1;\n");
  // leading empty lines are dropped, trailing ones too; indentation after "-- " is kept
  CHECK(m.doc == std::vector<std::string>{"Title", "  indented detail", "", "after"});
}

TEST_CASE("parser: section options on either marker", "[migration]") {
  Migration m = parse("1_a.sql",
                      "-- migrate:up transaction:false\n"
                      "CREATE INDEX CONCURRENTLY i ON t (x);\n"
                      "-- migrate:down   foreign_keys:off\n"
                      "DROP INDEX i;\n");
  CHECK_FALSE(m.up.options.transaction);
  CHECK(m.up.options.foreign_keys);
  CHECK(m.down->options.transaction);
  CHECK_FALSE(m.down->options.foreign_keys);

  m = parse("1_a.sql", "--migrate:up foreign_keys:off transaction:true foreign_keys:on\nX;\n");
  CHECK(m.up.options == SectionOptions{});
  m = parse("1_a.sql", "  --   migrate:up\tforeign_keys:off\nX;\n");
  CHECK_FALSE(m.up.options.foreign_keys);
}

TEST_CASE("parser: a comment that only starts like a marker is SQL", "[migration]") {
  Migration m = parse("1_a.sql",
                      "-- migrate:upgrade notes are not a marker\n"
                      "-- migrate:up\n"
                      "SELECT 1;\n"
                      "-- migrate:downgrade is not either\n"
                      "SELECT 2;\n");
  CHECK(m.doc == std::vector<std::string>{"migrate:upgrade notes are not a marker"});
  CHECK(m.up.sql == "SELECT 1;\n-- migrate:downgrade is not either\nSELECT 2;");
  CHECK_FALSE(m.down);
}

// ---------------------------------------------------------------------------------------------
// Bad files

TEST_CASE("parser: a file without '-- migrate:up' is an error naming the file", "[migration]") {
  ParseError e = parse_error("1_a.sql", "-- Title\nCREATE TABLE t (x INT);\n");
  // the SQL is the first thing reported: it is text before the marker (line 2)
  CHECK(e.line() == 2);

  e = parse_error("1_a.sql", "-- just a comment\n");
  CHECK(e.line() == 0);
  CHECK_THAT(e.what(), StartsWith("migrations/1_a.sql: no '-- migrate:up' line"));

  e = parse_error("1_a.sql", "");
  CHECK_THAT(e.what(), StartsWith("migrations/1_a.sql: no '-- migrate:up' line"));
}

TEST_CASE("parser: text before the marker that is not a comment names file and line",
          "[migration]") {
  ParseError e = parse_error("1_a.sql",
                             "-- Title\n"
                             "\n"
                             "CREATE TABLE t (x INT);\n"
                             "-- migrate:up\n"
                             "SELECT 1;\n");
  CHECK(e.line() == 3);
  CHECK_THAT(e.what(), StartsWith("migrations/1_a.sql:3: text before '-- migrate:up' is not a "
                                  "comment: 'CREATE TABLE t (x INT);'"));

  e = parse_error("1_a.sql", "/* block */\n-- migrate:up\nSELECT 1;\n");
  CHECK(e.line() == 1);
  CHECK_THAT(e.what(), Contains("'/* block */'"));
}

TEST_CASE("parser: foreign_keys:off without a transaction is refused", "[migration]") {
  // The foreign key check runs before the section's commit: no transaction, no check.
  ParseError e = parse_error("1_a.sql",
                             "-- migrate:up\nSELECT 1;\n-- migrate:down transaction:false "
                             "foreign_keys:off\nSELECT 2;\n");
  CHECK(e.line() == 3);
  CHECK_THAT(e.what(), Contains("foreign_keys:off needs the section's transaction"));
}

TEST_CASE("parser: an unknown section option names file, line and option", "[migration]") {
  ParseError e = parse_error("1_a.sql", "-- Title\n-- migrate:up transactions:false\nSELECT 1;\n");
  CHECK(e.line() == 2);
  CHECK_THAT(e.what(), StartsWith("migrations/1_a.sql:2: unknown section option "
                                  "'transactions:false'"));

  e = parse_error("1_a.sql", "-- migrate:up\nSELECT 1;\n-- migrate:down foreign_keys:maybe\n");
  CHECK(e.line() == 3);
  CHECK_THAT(e.what(), Contains("'foreign_keys:maybe'"));

  e = parse_error("1_a.sql", "-- migrate:up\nSELECT 1;\n-- migrate:down is below\n");
  CHECK(e.line() == 3);
  CHECK_THAT(e.what(), Contains("'is'"));
}

TEST_CASE("parser: duplicate and misordered markers name both lines", "[migration]") {
  ParseError e = parse_error("1_a.sql", "-- migrate:up\nA;\n-- migrate:up\nB;\n");
  CHECK(e.line() == 3);
  CHECK_THAT(e.what(), StartsWith("migrations/1_a.sql:3: a second '-- migrate:up' (the first is "
                                  "on line 1)"));

  e = parse_error("1_a.sql", "-- migrate:up\nA;\n-- migrate:down\nB;\n\n-- migrate:down\nC;\n");
  CHECK(e.line() == 6);
  CHECK_THAT(e.what(), StartsWith("migrations/1_a.sql:6: a second '-- migrate:down' (the first is "
                                  "on line 3)"));

  e = parse_error("1_a.sql", "-- Title\n-- migrate:down\nB;\n-- migrate:up\nA;\n");
  CHECK(e.line() == 2);
  CHECK_THAT(e.what(), StartsWith("migrations/1_a.sql:2: '-- migrate:down' comes before any "
                                  "'-- migrate:up'"));

  e = parse_error("1_a.sql", "-- migrate:down\nB;\n");
  CHECK(e.line() == 1);
  CHECK_THAT(e.what(), Contains("comes before any '-- migrate:up'"));
}

TEST_CASE("parser: a bad depends or replaces reference names file and line", "[migration]") {
  ParseError e = parse_error("2_b.sql", "-- Title\n-- depends: create_users\n-- migrate:up\nX;\n");
  CHECK(e.line() == 2);
  CHECK_THAT(e.what(), StartsWith("migrations/2_b.sql:2: 'create_users' is not a migration id or "
                                  "file stem"));

  e = parse_error("2_b.sql", "-- replaces: 1 2x\n-- migrate:up\nX;\n");
  CHECK(e.line() == 1);
  CHECK_THAT(e.what(), Contains("'2x' is not a migration id"));
}

// ---------------------------------------------------------------------------------------------
// golang-migrate pairs

TEST_CASE("parser: a golang-migrate pair reads both files as they are", "[migration]") {
  auto name = parse_file_name("migrations/000001_create_users.up.sql");
  REQUIRE(name);
  std::filesystem::path up = "migrations/000001_create_users.up.sql";
  std::filesystem::path down = "migrations/000001_create_users.down.sql";
  Migration m = parse_migration_pair(*name, up,
                                     "-- Create the users table.\n"
                                     "-- (golang-migrate)\n"
                                     "\n"
                                     "CREATE TABLE users (id INT);\n",
                                     down, "\n\nDROP TABLE users;\n\n");
  CHECK(m.id.text() == "000001");
  CHECK(m.slug == "create_users");
  CHECK(m.file == up);
  CHECK(m.doc == std::vector<std::string>{"Create the users table.", "(golang-migrate)"});
  CHECK_FALSE(m.depends);
  CHECK(m.up.sql ==
        "-- Create the users table.\n-- (golang-migrate)\n\nCREATE TABLE users (id INT);");
  CHECK(m.up.file == up);
  CHECK(m.up.first_line == 1);
  REQUIRE(m.down);
  CHECK(m.down->sql == "DROP TABLE users;");
  CHECK(m.down->file == down);
  CHECK(m.down->first_line == 3);
  CHECK(m.checksum == section_checksum(m.up.sql));

  Migration up_only = parse_migration_pair(*name, up, "CREATE TABLE t (x INT);", std::nullopt, "");
  CHECK_FALSE(up_only.down);
  CHECK(up_only.doc.empty());
  CHECK(up_only.title() == "create users");
}

// ---------------------------------------------------------------------------------------------
// Stored down sections

TEST_CASE("parser: stored sections round-trip with their options", "[migration]") {
  Section section;
  section.sql = "DROP INDEX i;\nDROP TABLE t;";
  section.options.transaction = false;
  std::string stored = stored_section_text(section);
  CHECK(stored == "-- migrate:down transaction:false\nDROP INDEX i;\nDROP TABLE t;");
  Section back = parse_stored_section(stored, "state table row 1");
  CHECK(back == section);
  CHECK(back.file == "state table row 1");
  CHECK(back.first_line == 2);

  Section rebuild;
  rebuild.sql = "DROP TABLE t;";
  rebuild.options.foreign_keys = false;
  CHECK(stored_section_text(rebuild) == "-- migrate:down foreign_keys:off\nDROP TABLE t;");
  CHECK(parse_stored_section(stored_section_text(rebuild), "x") == rebuild);

  Section plain;
  plain.sql = "DROP TABLE t;";
  CHECK(stored_section_text(plain) == "-- migrate:down\nDROP TABLE t;");
  CHECK(parse_stored_section(stored_section_text(plain), "x") == plain);

  Section empty;
  CHECK(parse_stored_section(stored_section_text(empty), "x") == empty);
}

TEST_CASE("parser: a stored section written by hand, without a marker", "[migration]") {
  Section s = parse_stored_section("\nDROP TABLE t;\n", "row");
  CHECK(s.sql == "DROP TABLE t;");
  CHECK(s.options == SectionOptions{});
  CHECK(s.first_line == 2);
}

TEST_CASE("parser: a stored section with a bad option is an error naming its origin",
          "[migration]") {
  try {
    parse_stored_section("-- migrate:down transaction:never\nDROP TABLE t;", "row of 12");
    FAIL("no error");
  } catch (const ParseError& e) {
    CHECK(e.exit_code() == ExitCode::bad_input);
    CHECK_THAT(e.what(), StartsWith("row of 12:1: unknown section option 'transaction:never'"));
  }
}

TEST_CASE("parser: a NUL byte anywhere is an error at its line", "[migration]") {
  using namespace std::string_literals;
  ParseError in_up = parse_error("0001_a.sql", "-- migrate:up\nSELECT 1;\0DROP TABLE t;\n"s);
  CHECK(in_up.line() == 2);
  CHECK_THAT(in_up.what(), Contains("a NUL byte (\\0) in column 10"));
  CHECK(parse_error("0001_a.sql", "-- Ti\0tle\n-- migrate:up\nSELECT 1;\n"s).line() == 1);
  CHECK(parse_error("0001_a.sql", "-- migrate:up\nSELECT 1;\n-- migrate:down\n\0"s).line() == 4);
  // UTF-16 text is full of them: the first one is reported, with the advice.
  ParseError utf16 = parse_error("0001_a.sql", "S\0E\0L\0"s);
  CHECK(utf16.line() == 1);
  CHECK_THAT(utf16.what(), Contains("save it as UTF-8"));
}

TEST_CASE("parser: a misspelled marker is an error at its line, not a comment", "[migration]") {
  for (const char* marker :
       {"-- migrate: up", "-- migrate :up", "-- Migrate:Up", "--MIGRATE: UP"}) {
    INFO(marker);
    ParseError error =
        parse_error("0001_a.sql", std::string("-- Title.\n") + marker + "\nCREATE TABLE x (a);\n");
    CHECK(error.line() == 2);
    CHECK_THAT(error.what(), Contains("looks like a section marker but is not one"));
  }
  // In the up section, a misspelled down marker would have made the down SQL part of the up.
  ParseError down = parse_error(
      "0001_a.sql", "-- migrate:up\nCREATE TABLE x (a);\n-- migrate: down\nDROP TABLE x;\n");
  CHECK(down.line() == 3);
  // Comments that only mention the words are comments.
  Migration fine = parse("0001_a.sql",
                         "-- Title.\n-- migrate:upgrade notes here\n-- migrate up later\n"
                         "-- migrate:up\nSELECT 1;\n");
  CHECK(fine.up.sql == "SELECT 1;");
}

// ---------------------------------------------------------------------------------------------
// dbmate's rules

namespace {

Migration parse_dbmate(std::string_view file_name, std::string_view text) {
  std::filesystem::path file = kDir / file_name;
  std::optional<MigrationFileName> name = parse_file_name(file);
  REQUIRE(name);
  return parse_migration(*name, file, text, MigrationFormat::dbmate);
}

ParseError dbmate_error(std::string_view file_name, std::string_view text) {
  try {
    parse_dbmate(file_name, text);
  } catch (const ParseError& e) {
    CHECK(e.exit_code() == ExitCode::bad_input);
    return e;
  }
  FAIL("no ParseError for " << file_name);
  throw std::logic_error("unreachable");
}

constexpr std::string_view kIndented =
    "-- migrate:up\n"
    "CREATE TABLE notes (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    -- migrate:down\n"
    "    body TEXT\n"
    ");\n"
    "\n"
    "-- migrate:down\n"
    "DROP TABLE notes;\n";

}  // namespace

TEST_CASE("parser: in dbmate's format an indented marker is SQL text", "[migration]") {
  Migration m = parse_dbmate("20240101000000_notes.sql", kIndented);
  CHECK(m.format == MigrationFormat::dbmate);
  CHECK(
      m.up.sql ==
      "CREATE TABLE notes (\n    id INTEGER PRIMARY KEY,\n    -- migrate:down\n    body TEXT\n);");
  REQUIRE(m.down);
  CHECK(m.down->sql == "DROP TABLE notes;");
  CHECK(m.down->first_line == 9);
  // In ours, a marker may be indented: the same text has two down markers.
  ParseError ours = parse_error("20240101000000_notes.sql", kIndented);
  CHECK(ours.line() == 8);
  CHECK_THAT(ours.what(), Contains("a second '-- migrate:down' (the first is on line 4)"));
  // dbmate allows no space, or several, after the dashes; options as ours.
  Migration tight = parse_dbmate("1_a.sql",
                                 "--migrate:up transaction:false\nVACUUM;\n"
                                 "--   migrate:down\n");
  CHECK_FALSE(tight.up.options.transaction);
  CHECK(tight.up.sql == "VACUUM;");
}

TEST_CASE("parser: in dbmate's format a near miss counts at the start of a line only",
          "[migration]") {
  ParseError error = dbmate_error("1_a.sql", "-- migrate: up\nSELECT 1;\n-- migrate:down\n");
  CHECK(error.line() == 1);
  CHECK_THAT(error.what(), Contains("looks like a section marker but is not one"));
  Migration m = parse_dbmate("1_a.sql",
                             "-- migrate:up\nSELECT 1\n  -- Migrate:Down, said nobody\n;"
                             "\n-- migrate:down\n");
  CHECK(m.up.sql == "SELECT 1\n  -- Migrate:Down, said nobody\n;");
}

TEST_CASE("parser: dbmate's format requires the down marker, and says when it is indented",
          "[migration]") {
  ParseError missing = dbmate_error("1_a.sql", "-- migrate:up\nSELECT 1;\n");
  CHECK(missing.line() == 0);
  CHECK(std::string(missing.what()) ==
        "migrations/1_a.sql: no '-- migrate:down' line, which dbmate requires. Add one after the "
        "up section (left empty, the migration reverts nothing)");
  ParseError indented = dbmate_error("1_a.sql", "-- migrate:up\nSELECT 1;\n  -- migrate:down\n");
  CHECK_THAT(indented.what(),
             Contains("no '-- migrate:down' line (line 3 has one after white space, which dbmate "
                      "reads as SQL text: a marker starts its line), which dbmate requires"));
  ParseError up = dbmate_error("1_a.sql", "\t-- migrate:up\n-- a comment\n");
  CHECK_THAT(up.what(), Contains("no '-- migrate:up' line (line 1 has one after white space"));
  ParseError order = dbmate_error("1_a.sql", "  -- migrate:up\n-- migrate:down\n");
  CHECK_THAT(order.what(), Contains("comes before any '-- migrate:up': write the up section first "
                                    "(line 1 has one after white space"));
  ParseError sql = dbmate_error("1_a.sql", "\t-- migrate:up\nSELECT 1;\n-- migrate:down\n");
  CHECK(sql.line() == 2);
  CHECK_THAT(sql.what(), Contains("text before '-- migrate:up' is not a comment"));
  CHECK_THAT(sql.what(), Contains("(line 1 has one after white space"));
  // An empty down section is dbmate's template: the migration parses, with a blank down.
  Migration empty = parse_dbmate("1_a.sql", "-- migrate:up\n\n\n-- migrate:down\n\n");
  REQUIRE(empty.down);
  CHECK(empty.down->blank());
  CHECK(empty.reversible());
}

TEST_CASE("parser: dbmate's files with several sections are refused, saying so", "[migration]") {
  ParseError error = dbmate_error(
      "1_a.sql",
      "-- migrate:up\nA;\n-- migrate:down\nB;\n-- migrate:up\nC;\n-- migrate:down\nD;\n");
  CHECK(error.line() == 5);
  CHECK_THAT(error.what(), Contains("dbmate's files with several sections are not read"));
}

TEST_CASE("parser: what a file says about its format", "[migration]") {
  CHECK(read_format_clues("") == TextClues{});
  CHECK(read_format_clues("-- depends: 1\n-- migrate:up\nA;\n-- migrate:down\n") ==
        TextClues{true, true, true, false, false});
  CHECK(read_format_clues("\xEF\xBB\xBF-- replaces: 1 2\n  -- migrate:up\nA;\n") ==
        TextClues{true, false, false, false, false});
  // After the up marker a depends: line is SQL text, not a header.
  CHECK(read_format_clues("-- migrate:up\n-- depends: 1\n-- migrate:down\n") ==
        TextClues{false, true, true, false, false});
  CHECK(read_format_clues("-- migrate:up\nA;\n    -- migrate:down\n") ==
        TextClues{false, true, false, true, false});
  CHECK(read_format_clues("-- +goose Up\nA;\n-- +GOOSE DOWN\nB;\n") ==
        TextClues{false, false, false, false, true});
  CHECK(read_format_clues("--+goose StatementBegin\n").goose_annotation);
  CHECK_FALSE(read_format_clues("-- goose up\n").goose_annotation);
}

TEST_CASE("parser: a golang-migrate pair is read with golang-migrate's rules", "[migration]") {
  std::filesystem::path up = kDir / "1_a.up.sql";
  Migration m = parse_migration_pair(*parse_file_name(up), up, "A;\n", std::nullopt, "");
  CHECK(m.format == MigrationFormat::golang_migrate);
  CHECK(parse("1_a.sql", "-- migrate:up\nA;\n").format == MigrationFormat::migrate);
}
