#include <catch2/catch.hpp>

#include "migration/checksum.hpp"
#include "migration/migration_parser.hpp"
#include "migration/migration_writer.hpp"
#include "util/error.hpp"

using namespace migrate;
using Catch::Contains;

namespace {

MigrationId id(std::string_view digits) {
  return *MigrationId::from_digits(digits);
}

MigrationRef ref(std::string_view text) {
  std::string_view digits = text.substr(0, text.find('_'));
  return {id(digits), std::string(text), 0};
}

Migration parse_written(const Migration& m) {
  std::filesystem::path file =
      std::filesystem::path("migrations") / migration_file_name(m.id, m.slug);
  std::optional<MigrationFileName> name = parse_file_name(file);
  REQUIRE(name);
  return parse_migration(*name, file, write_migration(m));
}

std::vector<std::string> texts(const std::vector<MigrationRef>& refs) {
  std::vector<std::string> out;
  for (const MigrationRef& r : refs) {
    out.push_back(r.text);
  }
  return out;
}

void check_round_trip(const Migration& m) {
  INFO(write_migration(m));
  Migration back = parse_written(m);
  CHECK(back.id == m.id);
  CHECK(back.id.text() == m.id.text());
  CHECK(back.slug == m.slug);
  CHECK(back.doc == m.doc);
  REQUIRE(back.depends.has_value() == m.depends.has_value());
  if (m.depends) {
    CHECK(*back.depends == *m.depends);
    CHECK(texts(*back.depends) == texts(*m.depends));
  }
  CHECK(back.replaces == m.replaces);
  CHECK(texts(back.replaces) == texts(m.replaces));
  CHECK(back.up.sql == m.up.sql);
  CHECK(back.up.options == m.up.options);
  CHECK(back.up == m.up);
  REQUIRE(back.down.has_value() == m.down.has_value());
  if (m.down) {
    CHECK(back.down->sql == m.down->sql);
    CHECK(back.down->options == m.down->options);
  }
  CHECK(back.checksum == section_checksum(m.up.sql));
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Slugs

TEST_CASE("writer: slugs are lower snake case", "[migration]") {
  CHECK(make_slug("add phone to users") == "add_phone_to_users");
  CHECK(make_slug("Add phone to users!") == "add_phone_to_users");
  CHECK(make_slug("  Add  Phone -- to USERS...  ") == "add_phone_to_users");
  CHECK(make_slug("users.phone: NOT NULL (v2)") == "users_phone_not_null_v2");
  CHECK(make_slug("snake_case_already") == "snake_case_already");
  CHECK(make_slug("__x__") == "x");
  CHECK(make_slug("2026 cleanup") == "2026_cleanup");
  CHECK(make_slug("a\tb\nc") == "a_b_c");
}

TEST_CASE("writer: slugs keep UTF-8 letters as they are", "[migration]") {
  CHECK(make_slug("Ajouter le numéro de téléphone") == "ajouter_le_numéro_de_téléphone");
  CHECK(make_slug("Größe ändern") == "größe_ändern");
  CHECK(make_slug("Ünïcode") == "Ünïcode");  // only ASCII letters are lowered
  CHECK(make_slug("日本語 テスト") == "日本語_テスト");
}

TEST_CASE("writer: a message with nothing to name the file after is a usage error", "[migration]") {
  for (std::string_view message : {"", "   ", "!!!", "-- _ --", "..."}) {
    try {
      make_slug(message);
      FAIL("no error for '" << message << "'");
    } catch (const UsageError& e) {
      CHECK(e.exit_code() == ExitCode::bad_input);
      CHECK_THAT(e.what(), Contains("no letters or digits"));
      CHECK_THAT(e.what(), Contains(std::string(message)));
    }
  }
}

TEST_CASE("writer: long slugs are cut at a word boundary, at most 60 bytes", "[migration]") {
  std::string words;
  for (int i = 0; i < 20; ++i) {
    words += "word" + std::to_string(i) + " ";
  }
  std::string slug = make_slug(words);
  CHECK(slug == "word0_word1_word2_word3_word4_word5_word6_word7_word8_word9");
  CHECK(slug.size() <= 60);

  // no word boundary in the second half: a hard cut at 60
  CHECK(make_slug(std::string(70, 'a')) == std::string(60, 'a'));
  CHECK(make_slug("ab " + std::string(70, 'c')) == "ab_" + std::string(57, 'c'));
  // exactly 60 is kept whole
  CHECK(make_slug(std::string(60, 'b')) == std::string(60, 'b'));
  // the boundary at 60 itself
  CHECK(make_slug(std::string(60, 'd') + " tail") == std::string(60, 'd'));
}

TEST_CASE("writer: the length cut never splits or drops a whole UTF-8 character", "[migration]") {
  std::string e2 = "é";  // two bytes
  std::string many;
  for (int i = 0; i < 40; ++i) {
    many += e2;
  }
  // 80 bytes: the cut at 60 falls between two characters; keep all 30
  std::string thirty;
  for (int i = 0; i < 30; ++i) {
    thirty += e2;
  }
  CHECK(make_slug(many) == thirty);
  // 81 bytes: byte 60 is inside a character, which goes as a whole
  std::string shifted = "a" + many;
  CHECK(make_slug(shifted) == "a" + thirty.substr(0, 58));
  // a cut at an underscore right after a multi-byte character keeps that character
  std::string twenty = thirty.substr(0, 40);
  CHECK(make_slug(twenty + " " + std::string(30, 'b')) == twenty);
  // "€" is three bytes: 20 of them are 60 bytes, 21 are 63
  std::string euros;
  for (int i = 0; i < 21; ++i) {
    euros += "€";
  }
  CHECK(make_slug(euros) == euros.substr(0, 60));
  CHECK(make_slug("x" + euros) == "x" + euros.substr(0, 57));
  // the result is always whole characters
  for (std::string_view message : {std::string_view(many), std::string_view(shifted)}) {
    std::string s = make_slug(message);
    CHECK((static_cast<unsigned char>(s.back()) & 0xC0) != 0xC0);
  }
}

TEST_CASE("writer: file names", "[migration]") {
  CHECK(migration_file_name(id("202611211423"), "add_phone") == "202611211423_add_phone.sql");
  CHECK(migration_file_name(id("000001"), "") == "000001.sql");
}

// ---------------------------------------------------------------------------------------------
// Writing

TEST_CASE("writer: the text of a migration file", "[migration]") {
  Migration m;
  m.id = id("202611211423");
  m.slug = "add_phone_to_users";
  m.doc = {"Add a phone number to users.", "", "Needed for SMS login."};
  m.depends = std::vector<MigrationRef>{ref("202611201010_create_users")};
  m.up.sql = "ALTER TABLE users ADD COLUMN phone TEXT;";
  m.down = Section{};
  m.down->sql = "ALTER TABLE users DROP COLUMN phone;";
  CHECK(write_migration(m) ==
        "-- Add a phone number to users.\n"
        "--\n"
        "-- Needed for SMS login.\n"
        "-- depends: 202611201010_create_users\n"
        "-- migrate:up\n"
        "ALTER TABLE users ADD COLUMN phone TEXT;\n"
        "\n"
        "-- migrate:down\n"
        "ALTER TABLE users DROP COLUMN phone;\n");
}

TEST_CASE("writer: options, replaces, an empty down and no down", "[migration]") {
  Migration m;
  m.id = id("5");
  m.slug = "squash";
  m.depends = std::vector<MigrationRef>{};
  m.replaces = {ref("2"), ref("3_b")};
  m.up.sql = "CREATE INDEX CONCURRENTLY i ON t (x);";
  m.up.options.transaction = false;
  m.down = Section{};
  m.down->options.foreign_keys = false;
  CHECK(write_migration(m) ==
        "-- depends:\n"
        "-- replaces: 2 3_b\n"
        "-- migrate:up transaction:false\n"
        "CREATE INDEX CONCURRENTLY i ON t (x);\n"
        "\n"
        "-- migrate:down foreign_keys:off\n");
  m.down.reset();
  m.depends.reset();
  m.replaces.clear();
  m.up.sql.clear();
  m.up.options = {};
  CHECK(write_migration(m) == "-- migrate:up\n");
}

TEST_CASE("writer: a reference without text is written as its id", "[migration]") {
  Migration m;
  m.id = id("3");
  m.depends = std::vector<MigrationRef>{{id("000002"), "", 0}};
  CHECK(write_migration(m) == "-- depends: 000002\n-- migrate:up\n");
}

TEST_CASE("writer: documentation that would read as a directive is refused", "[migration]") {
  for (std::string line : {"depends: 1", "  replaces: 2", "migrate:up now", "migrate:down"}) {
    Migration m;
    m.id = id("1");
    m.doc = {"Title", line};
    try {
      write_migration(m);
      FAIL("no error for '" << line << "'");
    } catch (const UsageError& e) {
      CHECK(e.exit_code() == ExitCode::bad_input);
      CHECK_THAT(e.what(), Contains("'" + line + "'"));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Round trip: parse(write(m)) == m

TEST_CASE("writer: round trip of a full migration", "[migration]") {
  Migration m;
  m.id = id("202611211423");
  m.slug = "add_phone_to_users";
  m.doc = {"Add a phone number to users.", "", "  Indented detail.", "Needed for SMS login."};
  m.depends = std::vector<MigrationRef>{ref("202611201010_create_users"), ref("202611201111")};
  m.replaces = {ref("202611201200_a"), ref("202611201300")};
  m.up.sql = "ALTER TABLE users ADD COLUMN phone TEXT;\n\n-- a comment\nUPDATE users SET x = 1;";
  m.up.options.foreign_keys = false;
  m.down = Section{};
  m.down->sql = "ALTER TABLE users DROP COLUMN phone;";
  m.down->options.transaction = false;
  check_round_trip(m);
}

TEST_CASE("writer: round trip of the edge cases", "[migration]") {
  Migration m;
  m.id = id("000001");
  m.slug = "init";

  SECTION("nothing but an empty up") {
    check_round_trip(m);
  }
  SECTION("no slug") {
    m.slug = "";
    m.up.sql = "SELECT 1;";
    check_round_trip(m);
  }
  SECTION("an explicit root") {
    m.depends = std::vector<MigrationRef>{};
    m.up.sql = "SELECT 1;";
    check_round_trip(m);
  }
  SECTION("empty down section") {
    m.up.sql = "CREATE TABLE t (x INT);";
    m.down = Section{};
    check_round_trip(m);
  }
  SECTION("empty up with a down") {
    m.down = Section{};
    m.down->sql = "DROP TABLE t;";
    m.down->options.transaction = false;
    check_round_trip(m);
  }
  SECTION("documentation with blank lines and a unicode title") {
    m.doc = {"Numéro de téléphone", "", "", "détails"};
    m.up.sql = "SELECT 'é';";
    check_round_trip(m);
  }
  SECTION("what migrate-create writes") {
    m.doc = {"add phone to users"};
    m.depends = std::vector<MigrationRef>{ref("000000_base")};
    m.up.sql = "-- The SQL that applies the change.";
    m.down = Section{};
    m.down->sql = "-- The SQL that reverts it.";
    check_round_trip(m);
  }
}

TEST_CASE("with_depends: replaces the depends lines, keeps every other byte", "[migration]") {
  std::string text =
      "-- Add posts.\n-- depends: 1_a\n-- depends: 2_b\n--\n-- More.\n-- migrate:up\n"
      "CREATE TABLE posts (id INT);\n-- depends: not a header\n-- migrate:down\nDROP TABLE "
      "posts;\n";
  CHECK(with_depends(text, {"3_c"}) ==
        "-- Add posts.\n-- depends: 3_c\n--\n-- More.\n-- migrate:up\n"
        "CREATE TABLE posts (id INT);\n-- depends: not a header\n-- migrate:down\nDROP TABLE "
        "posts;\n");
}

TEST_CASE("with_depends: adds the line before the up marker, in the file's line endings",
          "[migration]") {
  CHECK(with_depends("-- Title.\r\n-- migrate:up\r\nSELECT 1;\r\n", {"9_x"}) ==
        "-- Title.\r\n-- depends: 9_x\r\n-- migrate:up\r\nSELECT 1;\r\n");
  CHECK(with_depends("-- migrate:up\nSELECT 1;\n", {}) ==
        "-- depends: \n-- migrate:up\nSELECT 1;\n");
}

TEST_CASE("with_depends: the up marker is the parser's, after a byte order mark too",
          "[migration]") {
  // Found by fuzz/migration_file_fuzzer: the line went after the marker of a file starting
  // with a byte order mark, before a SQL line reading "migrate:up", and before
  // "-- migrate:upgrade", a comment; each changed the up section.
  CHECK(with_depends("\xEF\xBB\xBF--migrate:up\nmigrate:up\n", {"9_x"}) ==
        "\xEF\xBB\xBF-- depends: 9_x\n--migrate:up\nmigrate:up\n");
  CHECK(with_depends("-- migrate:upgrade notes\n-- migrate:up transaction:false\nSELECT 1;\n",
                     {"9_x"}) ==
        "-- migrate:upgrade notes\n-- depends: 9_x\n-- migrate:up transaction:false\n"
        "SELECT 1;\n");
}

TEST_CASE("with_depends: a text without an up marker is returned as it was", "[migration]") {
  CHECK(with_depends("-- depends: 1\nSELECT 1;\n", {"2"}) == "-- depends: 1\nSELECT 1;\n");
}

TEST_CASE("with_parent: a file with both sections depends on the new parent alone", "[migration]") {
  std::string text = "-- Posts.\n-- depends: 1_a 2_b\n-- migrate:up\nSELECT 1;\n";
  CHECK(with_parent("migrations/3_posts.sql", text, "2_c") ==
        "-- Posts.\n-- depends: 2_c\n-- migrate:up\nSELECT 1;\n");
  // A root after renumbering: its depends: line names nothing.
  CHECK(with_parent("migrations/3_posts.sql", text, "") ==
        "-- Posts.\n-- depends: \n-- migrate:up\nSELECT 1;\n");
}

TEST_CASE("with_parent: golang-migrate halves have no header and are kept", "[migration]") {
  CHECK(with_parent("migrations/3_posts.up.sql", "CREATE TABLE p (x INT);\n", "2_b") ==
        "CREATE TABLE p (x INT);\n");
  CHECK(with_parent("migrations/3_posts.down.sql", "DROP TABLE p;\n", "2_b") == "DROP TABLE p;\n");
}

TEST_CASE("with_parent_replaced: only the old parent is swapped, the others kept as written",
          "[migration]") {
  Migration child;
  child.depends = std::vector<MigrationRef>{ref("1_a"), ref("2")};
  std::string text = "-- Join.\n-- depends: 1_a 2\n-- migrate:up\n\n-- migrate:down\n";
  CHECK(with_parent_replaced(text, child, id("2"), "9_squash") ==
        "-- Join.\n-- depends: 1_a 9_squash\n-- migrate:up\n\n-- migrate:down\n");
}

TEST_CASE("with_parent_replaced: an implicit parent becomes a depends: line", "[migration]") {
  Migration child;  // no depends: its parent was the migration before it
  CHECK(with_parent_replaced("-- T4.\r\n-- migrate:up\r\nSELECT 4;\r\n", child, id("3"), "9_s") ==
        "-- T4.\r\n-- depends: 9_s\r\n-- migrate:up\r\nSELECT 4;\r\n");
}

TEST_CASE("with_parent_replaced: a text without an up marker cannot be re-pointed", "[migration]") {
  Migration child;
  CHECK_FALSE(with_parent_replaced("CREATE TABLE c (x INT);\n", child, id("2"), "9_s"));
}

TEST_CASE("without_replaces: the lines the references came from go, every other byte stays",
          "[migration]") {
  std::string text =
      "-- Squash.\r\n-- depends: 1_a\r\n-- replaces: 2_b\r\n--   replaces:   3_c\r\n"
      "-- migrate:up\r\n-- replaces: 2_b (a comment in the SQL)\r\nSELECT 1;";
  std::optional<MigrationFileName> name = parse_file_name("migrations/9_squash.sql");
  REQUIRE(name);
  Migration squash = parse_migration(*name, "migrations/9_squash.sql", text);
  REQUIRE(squash.replaces.size() == 2);
  CHECK(without_replaces(text, squash) ==
        "-- Squash.\r\n-- depends: 1_a\r\n-- migrate:up\r\n"
        "-- replaces: 2_b (a comment in the SQL)\r\nSELECT 1;");
  Migration plain;
  CHECK(without_replaces(text, plain) == text);
}
