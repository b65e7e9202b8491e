// Which tables the linter takes to be new: created on the branch (not IF NOT EXISTS), in their
// schema, renamed; and bytes that are not UTF-8.
#include <catch2/catch.hpp>

#include "lint/rules_index.hpp"
#include "lint/table_size.hpp"
#include "support/lint_sql.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

using namespace migrate;
using namespace migrate::test;
using Names = std::vector<std::string>;

TEST_CASE("new tables: a table is new in its own schema only", "[lint]") {
  CHECK(rule_names(lint_only(index_rules(),
                             "CREATE TABLE app.users (email text);\n"
                             "CREATE INDEX i ON public.users (email);")) ==
        Names{"require-concurrent-index-creation"});
  CHECK(lint_only(index_rules(),
                  "CREATE TABLE users (email text);\n"
                  "CREATE INDEX i ON public.users (email);")
            .empty());
  CHECK(lint_only(index_rules(),
                  "CREATE TABLE app.users (email text);\n"
                  "CREATE INDEX i ON app.users (email);")
            .empty());
}

TEST_CASE("new tables: IF NOT EXISTS may find a deployed table, so it is not new", "[lint]") {
  CHECK(rule_names(lint_only(index_rules(),
                             "CREATE TABLE IF NOT EXISTS users (email text);\n"
                             "CREATE INDEX i ON users (email);")) ==
        Names{"require-concurrent-index-creation"});
}

TEST_CASE("new tables: a new table renamed is still new", "[lint]") {
  CHECK(lint_only(index_rules(),
                  "CREATE TABLE staging (id bigint);\n"
                  "ALTER TABLE staging RENAME TO accounts;\n"
                  "CREATE INDEX i ON accounts (id);")
            .empty());
  // An existing table renamed to a new one's old name is not.
  CHECK(rule_names(lint_only(index_rules(),
                             "ALTER TABLE users RENAME TO people;\n"
                             "CREATE INDEX i ON people (id);")) ==
        Names{"require-concurrent-index-creation"});
}

TEST_CASE("lint: bytes that are not UTF-8 are exit 2 at their line", "[lint]") {
  try {
    lint_postgres("SELECT 1;\nUPDATE users SET name = 'caf\xe9';\n");
    FAIL("no error");
  } catch (const ParseError& e) {
    CHECK(e.line() == 2);
    CHECK(e.exit_code() == ExitCode::bad_input);
    CHECK_THAT(e.what(), Catch::Contains("not UTF-8"));
  }
  CHECK(invalid_utf8_at("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80") == std::string_view::npos);
  CHECK(invalid_utf8_at("ab\x80") == 2);            // a stray continuation byte
  CHECK(invalid_utf8_at("a\xc3") == 1);             // cut short
  CHECK(invalid_utf8_at("\xc0\xaf") == 0);          // overlong
  CHECK(invalid_utf8_at("x\xed\xa0\x80") == 1);     // a surrogate
  CHECK(invalid_utf8_at("\xf4\x90\x80\x80") == 0);  // beyond U+10FFFF
}

TEST_CASE("table size: only findings whose cost grows with the table are lowered", "[lint]") {
  std::vector<Finding> findings = lint_postgres(
      "ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();\n"
      "ALTER TABLE users ADD COLUMN active boolean NOT NULL;\n"
      "ALTER TABLE users RENAME COLUMN email TO mail;");
  int asked = 0;
  lower_for_small_tables(
      findings,
      [&asked](const Finding& finding) -> std::optional<double> {
        ++asked;
        CHECK(finding.table == "users");
        return 40;
      },
      10000);
  CHECK(asked == 1);  // once per table
  for (const Finding& finding : findings) {
    INFO(finding.rule->name);
    bool lowered = std::string_view(finding.rule->name) == "adding-field-with-default";
    CHECK((finding.severity == Severity::note) == lowered);
  }
  // Unknown (never analyzed) or large: as they were.
  std::vector<Finding> again =
      lint_postgres("ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();");
  lower_for_small_tables(
      again, [](const Finding&) { return std::optional<double>(-1); }, 10000);
  CHECK(again.at(0).severity == Severity::error);
  lower_for_small_tables(
      again, [](const Finding&) { return std::optional<double>(1e6); }, 10000);
  CHECK(again.at(0).severity == Severity::error);
}
