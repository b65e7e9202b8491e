// goose's .sql files read with goose's rules (pressly/goose internal/sqlparser).
#include <catch2/catch.hpp>

#include "migration/checksum.hpp"
#include "migration/goose_parser.hpp"
#include "util/error.hpp"

using namespace migrate;
using Catch::Contains;

namespace {

MigrationFileName file_name() {
  return {*MigrationId::from_digits("00001"), "create_notes"};
}

Migration parse(std::string_view text, const VariableLookup& environment = {}) {
  return parse_goose_migration(file_name(), "m/00001_create_notes.sql", text, environment);
}

/// "line: problem" of the ParseError parsing `text` throws.
std::string failure(std::string_view text, const VariableLookup& environment = {}) {
  try {
    parse(text, environment);
  } catch (const ParseError& e) {
    return std::to_string(e.line()) + ": " + e.problem();
  }
  FAIL("no error for\n" << text);
  return {};
}

VariableLookup only_name(std::string value) {
  return [value](std::string_view name) -> std::optional<std::string> {
    return name == "NAME" ? std::optional(value) : std::nullopt;
  };
}

}  // namespace

TEST_CASE("goose_parser: Up and Down, annotations in any case", "[migration]") {
  Migration m = parse(
      "-- Notes, for everyone\n"
      "\n"
      "-- +goose up\n"
      "CREATE TABLE notes (id int);\n"
      "--+goose DOWN\n"
      "DROP TABLE notes;\n");
  CHECK(m.format == MigrationFormat::goose);
  CHECK(m.title() == "Notes, for everyone");
  CHECK(m.up.sql == "CREATE TABLE notes (id int);");
  CHECK(m.up.first_line == 4);
  REQUIRE(m.down);
  CHECK(m.down->sql == "DROP TABLE notes;");
  CHECK(m.down->first_line == 6);
  CHECK(m.up.options.transaction);
  CHECK(m.reversible());
}

TEST_CASE("goose_parser: a missing Down is an empty one, which reverts nothing", "[migration]") {
  Migration m = parse("-- +goose Up\nCREATE TABLE notes (id int);\n");
  REQUIRE(m.down);
  CHECK(m.down->blank());
  CHECK(m.reversible());
  CHECK_FALSE(m.empty_down_irreversible());
}

TEST_CASE("goose_parser: StatementBegin/End lines are dropped, the block kept", "[migration]") {
  Migration m = parse(
      "-- +goose Up\n"
      "-- +goose StatementBegin\n"
      "CREATE FUNCTION f() RETURNS int AS $$\n"
      "BEGIN\n"
      "  RETURN 1;\n"
      "END;\n"
      "$$ LANGUAGE plpgsql\n"
      "-- +goose StatementEnd\n"
      "SELECT f();\n");
  // The block did not end in ';': one is put where StatementEnd was, so SELECT stays apart.
  CHECK(m.up.sql ==
        "CREATE FUNCTION f() RETURNS int AS $$\nBEGIN\n  RETURN 1;\nEND;\n$$ LANGUAGE "
        "plpgsql\n;\nSELECT f();");
  CHECK(m.up.first_line == 3);
}

TEST_CASE("goose_parser: NO TRANSACTION anywhere applies to both sections", "[migration]") {
  Migration m = parse(
      "-- +goose Up\nCREATE INDEX i ON t (x);\n-- +goose Down\n-- +goose NO TRANSACTION\n"
      "DROP INDEX i;\n");
  CHECK_FALSE(m.up.options.transaction);
  CHECK_FALSE(m.down->options.transaction);
  CHECK(m.down->sql == "DROP INDEX i;");
}

TEST_CASE("goose_parser: ENVSUB expands while on, the checksum is of the text as written",
          "[migration]") {
  std::string text =
      "-- +goose Up\n"
      "-- +goose ENVSUB ON\n"
      "INSERT INTO t VALUES ('${NAME}');\n"
      "-- +goose ENVSUB OFF\n"
      "INSERT INTO t VALUES ('${NAME}');\n";
  Migration alice = parse(text, only_name("alice"));
  Migration bob = parse(text, only_name("bob"));
  CHECK(alice.up.sql == "INSERT INTO t VALUES ('alice');\n\nINSERT INTO t VALUES ('${NAME}');");
  CHECK(bob.up.sql == "INSERT INTO t VALUES ('bob');\n\nINSERT INTO t VALUES ('${NAME}');");
  CHECK(alice.checksum == bob.checksum);
  // Without an environment (a reader that runs nothing), the text stays as written.
  CHECK(parse(text).up.sql ==
        "INSERT INTO t VALUES ('${NAME}');\n\nINSERT INTO t VALUES ('${NAME}');");
  CHECK(parse(text).checksum == alice.checksum);
  // Set, even to "", is enough for `?`; unset is an error.
  CHECK(parse("-- +goose Up\n-- +goose ENVSUB ON\nSELECT '${NAME?give a name}';\n", only_name(""))
            .up.sql == "SELECT '';");
  CHECK(failure("-- +goose Up\n-- +goose ENVSUB ON\nSELECT '${NAME?give a name}';\n",
                [](std::string_view) { return std::nullopt; }) ==
        "3: variable substitution failed (ENVSUB is on): $NAME: give a name");
}

TEST_CASE("goose_parser: what goose refuses", "[migration]") {
  CHECK_THAT(failure("CREATE TABLE a (x int);\n-- +goose Up\n"),
             Contains("1: SQL before '-- +goose Up'"));
  CHECK_THAT(failure("-- just a comment\n"), Contains("0: no '-- +goose Up' line"));
  CHECK_THAT(failure("-- +goose Up\nA;\n-- +goose Up\n"),
             Contains("3: a second '-- +goose Up' (the first is on line 1)"));
  CHECK_THAT(failure("-- +goose Down\nA;\n"), Contains("1: '-- +goose Down' before"));
  CHECK_THAT(failure("-- +goose Up\nCREATE TABLE a\n  (x int)\n-- +goose Down\nB;\n"),
             Contains("2: this statement does not end in ';' before '-- +goose Down'"));
  CHECK_THAT(failure("-- +goose Up\nA;\n-- +goose Down\nDROP TABLE a\n"),
             Contains("4: this statement does not end in ';' before the end of the file"));
  CHECK_THAT(failure("-- +goose Up\n-- +goose StatementBegin\nA;\n"),
             Contains("2: '-- +goose StatementBegin' without its"));
  CHECK_THAT(failure("-- +goose Up\n-- +goose StatementEnd\n"),
             Contains("2: '-- +goose StatementEnd' without"));
  CHECK_THAT(failure("-- +goose Up\n-- +goose StatementBegin\n-- +goose StatementEnd\nA;\n"),
             Contains("3: an empty StatementBegin block (line 2)"));
  CHECK_THAT(failure("-- +goose Up\n  -- +goose Down\n"), Contains("2: a '-- +goose' annotation "
                                                                   "after white space"));
  CHECK_THAT(failure("-- +goose Up foo\n"), Contains("1: '-- +goose Up foo' is not a goose"));
  CHECK_THAT(failure("-- +goose Up -- note\n"), Contains("is not a goose annotation"));
  CHECK_NOTHROW(parse("-- +goose  Up\n"));  // trimmed around the word, as goose does
  CHECK_THAT(failure("-- +goose Up\n-- +goose NO  TRANSACTION\n"),
             Contains("is not a goose annotation"));
  CHECK_THAT(failure("-- +goose Up +goose\n"), Contains("'+goose' twice"));
  CHECK_THAT(failure("-- see +goose docs\n-- +goose Up\n"),
             Contains("1: '-- see +goose docs' is not"));
  // `-- +GOOSE Up` is a comment to goose (its check is case-sensitive): no Up at all.
  CHECK_THAT(failure("-- +GOOSE Up\nA;\n"), Contains("2: SQL before"));
}

TEST_CASE("goose_parser: goose's statement ends", "[migration]") {
  // `;` before a `--` comment ends a statement; `;--c` does not, and runs on to the next line.
  CHECK_NOTHROW(parse("-- +goose Up\nSELECT 1; -- one\n-- +goose Down\n"));
  CHECK_THAT(failure("-- +goose Up\nSELECT 1;--one\n-- +goose Down\n"),
             Contains("2: this statement does not end in ';'"));
  CHECK(goose_go_migration("00002_seed.go"));
  CHECK_FALSE(goose_go_migration("00002_seed_test.go"));
  CHECK_FALSE(goose_go_migration("main.go"));
  CHECK_FALSE(goose_go_migration("00002_seed.sql"));
}

TEST_CASE("goose_parser: file names goose refuses", "[migration]") {
  auto refused = [](std::string_view digits, std::string slug, const char* file) {
    try {
      parse_goose_migration({*MigrationId::from_digits(digits), std::move(slug)}, file,
                            "-- +goose Up\nA;\n", {});
    } catch (const ParseError& e) {
      return e.problem();
    }
    return std::string("accepted");
  };
  CHECK_THAT(refused("012", "", "m/012.sql"),
             Contains("no '_' after the version, which goose refuses"));
  CHECK_THAT(refused("012", "", "m/012.sql"), Contains("(e.g. 012_my_change.sql)"));
  CHECK(refused("012", "", "m/012_.sql") == "accepted");  // goose reads version 12, name ""
  CHECK_THAT(refused("123456789012345678901", "b", "m/123456789012345678901_b.sql"),
             Contains("version 123456789012345678901 is larger than goose's versions go"));
  CHECK_THAT(refused("9223372036854775808", "b", "m/9223372036854775808_b.sql"),
             Contains("is larger than"));
  CHECK(refused("9223372036854775807", "b", "m/9223372036854775807_b.sql") == "accepted");
  CHECK(refused("0009223372036854775807", "b", "m/0009223372036854775807_b.sql") == "accepted");
  CHECK_THAT(refused("000", "b", "m/000_b.sql"),
             Contains("version 0: goose's versions start at 1"));
}
