#include <catch2/catch.hpp>

#include "migration/placeholders.hpp"
#include "util/error.hpp"

using namespace migrate;
using Catch::Contains;

namespace {

const PlaceholderValues kValues{
    {"tablename", "users"}, {"empty", ""}, {"flyway:user", "app"}, {"flyway:table", "t"}};

std::string replaced(std::string_view sql) {
  return replace_placeholders(sql, kValues, "V1__x.sql", 1);
}

}  // namespace

TEST_CASE("placeholders: replaced everywhere, names in any case", "[migration][flyway]") {
  CHECK(replaced("SELECT * FROM ${tableName};") == "SELECT * FROM users;");
  CHECK(replaced("${TABLENAME}${tablename}") == "usersusers");
  // Flyway replaces inside strings, comments and $$ bodies too.
  CHECK(replaced("-- ${tableName}\nSELECT '${tableName}', $$${tableName}$$;") ==
        "-- users\nSELECT 'users', $$users$$;");
  CHECK(replaced("a${empty}b") == "ab");
  CHECK(replaced("SELECT '${flyway:user}'") == "SELECT 'app'");
  CHECK(replaced("no placeholders, $1, {x}, $ {x}") == "no placeholders, $1, {x}, $ {x}");
  CHECK(replaced("an open ${ without its end") == "an open ${ without its end");
}

TEST_CASE("placeholders: a name without a value is an error at its line", "[migration][flyway]") {
  try {
    replace_placeholders("SELECT 1;\n\nSELECT '${nope}';\n", kValues, "V2__y.sql", 10);
    FAIL("no error");
  } catch (const ParseError& e) {
    CHECK(e.file() == "V2__y.sql");
    CHECK(e.line() == 12);
    CHECK(e.problem() ==
          "no value for the placeholder ${nope}, which Flyway refuses too: give it one in "
          "migrate.conf's [placeholders] section (nope = …)");
  }
  try {
    replaced("${flyway:environment}");
    FAIL("no error");
  } catch (const ParseError& e) {
    CHECK(e.problem() ==
          "no value for the placeholder ${flyway:environment}: it is none of "
          "Flyway's built-ins migrate gives here (${flyway:table}, "
          "${flyway:user}). Flyway refuses it too");
  }
}
