// Suppressions: `-- migrate:lint ignore=… reason="…"` before a statement or in the header.
#include <catch2/catch.hpp>

#include "lint/suppression.hpp"
#include "support/lint_sql.hpp"

using namespace migrate;
using namespace migrate::test;
using Names = std::vector<std::string>;

namespace {

/// A file's findings with its suppressions applied; its section marker is on line 2.
std::vector<Finding> suppressed(const std::string& text) {
  std::string body = text.substr(text.find("-- migrate:up\n") + 14);
  LintContext context;  // the runner sets both timeouts: those rules stay out of the way
  context.runner_lock_timeout = context.runner_statement_timeout = true;
  // The body starts on line 3.
  std::vector<Finding> findings = lint_postgres(std::string(2, '\n') + body, true, context);
  return apply_suppressions(findings, read_suppressions(text, 2), text, "m.sql");
}

}  // namespace

TEST_CASE("suppression: read from a file's header and before statements", "[lint]") {
  std::vector<Suppression> found = read_suppressions(
      "-- migrate:lint ignore=a,b reason=\"small table\"\n-- migrate:up\n"
      "  -- migrate:lint ignore=c\nSELECT 1;\n",
      2);
  REQUIRE(found.size() == 2);
  CHECK(found[0].whole_file);
  CHECK(found[0].rules == Names{"a", "b"});
  CHECK(found[0].reason == "small table");
  CHECK_FALSE(found[1].whole_file);
  CHECK(found[1].line == 3);
  CHECK(found[1].rules == Names{"c"});
  CHECK(found[1].reason.empty());
}

TEST_CASE("suppression: covers the next statement only, with a reason", "[lint]") {
  std::string text =
      "-- Index.\n-- migrate:up\n"
      "-- migrate:lint ignore=require-concurrent-index-creation reason=\"40 rows\"\n"
      "CREATE INDEX a ON users (x);\n"
      "CREATE INDEX b ON users (y);\n";
  std::vector<Finding> findings = suppressed(text);
  REQUIRE(rule_names(findings) == Names{"require-concurrent-index-creation"});
  CHECK(findings[0].line == 5);

  SECTION("in the header: the whole file") {
    std::string whole =
        "-- migrate:lint ignore=require-concurrent-index-creation reason=\"40 rows\"\n"
        "-- migrate:up\nCREATE INDEX a ON users (x);\nCREATE INDEX b ON users (y);\n";
    CHECK(suppressed(whole).empty());
  }
  SECTION("without a reason it suppresses nothing and is an error") {
    std::string bare =
        "-- Index.\n-- migrate:up\n-- migrate:lint ignore=require-concurrent-index-creation\n"
        "CREATE INDEX a ON users (x);\n";
    std::vector<Finding> found = suppressed(bare);  // in the file's order
    CHECK(rule_names(found) == Names{"ignore-without-reason", "require-concurrent-index-creation"});
    CHECK(found[0].severity == Severity::error);
    CHECK(found[0].line == 3);
    CHECK(found[1].line == 4);
  }
  SECTION("an unknown rule, or one with nothing to cover, is a warning") {
    std::string stale =
        "-- Index.\n-- migrate:up\n-- migrate:lint ignore=no-such-rule reason=\"x\"\n"
        "-- migrate:lint ignore=require-concurrent-reindex reason=\"x\"\n"
        "CREATE INDEX CONCURRENTLY a ON users (x);\n";
    std::vector<Finding> found = suppressed(stale);
    CHECK(rule_names(found) ==
          Names{"unused-ignore", "unused-ignore", "ban-concurrent-index-creation-in-transaction"});
    CHECK(found[0].detail == "no lint rule is called no-such-rule");
    CHECK(found[1].detail == "ignore=require-concurrent-reindex covers no finding here");
  }
}

TEST_CASE("suppression: rules listed with spaces after the commas", "[lint]") {
  std::vector<Suppression> found =
      read_suppressions("-- migrate:up\n-- migrate:lint ignore=a, b ,c reason=\"x\"\n", 1);
  REQUIRE(found.size() == 1);
  CHECK(found[0].rules == Names{"a", "b", "c"});
  CHECK(found[0].reason == "x");
}

TEST_CASE("suppression: the down section is not read, a near miss is named", "[lint]") {
  std::string text =
      "-- Index.\n-- migrate:up\n--migrate:lint ignore=require-concurrent-index-creation "
      "reason=\"x\"\nCREATE INDEX a ON users (x);\n-- migrate:down\n"
      "-- migrate:lint ignore=require-concurrent-index-deletion reason=\"x\"\nDROP INDEX a;\n";
  std::vector<Suppression> found = read_suppressions(text, 2);
  REQUIRE(found.size() == 1);
  CHECK(found[0].misspelt);
  std::vector<Finding> findings = suppressed(text.substr(0, text.find("-- migrate:down")));
  CHECK(rule_names(findings) == Names{"unused-ignore", "require-concurrent-index-creation"});
  CHECK_THAT(findings[0].detail, Catch::Contains("write it `-- migrate:lint ignore=RULE"));
}
