// --fix's text edits on migration files, on PostgreSQL's parse trees: what it writes, what it
// leaves to a person, and that the fixed file lints clean of what it fixed.
#include <catch2/catch.hpp>

#include "db/engine.hpp"
#include "lint/lint_fix.hpp"
#include "migration/migration_parser.hpp"
#include "support/lint_sql.hpp"

using namespace migrate;
using namespace migrate::test;
using Catch::Contains;

namespace {

const Dialect& postgres() {
  return engine_for_scheme("postgres")->dialect();
}

Migration parsed(const std::string& text) {
  return parse_migration({*MigrationId::from_digits("1"), "m"}, "1_m.sql", text);
}

/// The findings of a file's up section, as migrate-lint gives them (lines of the file).
std::vector<Finding> findings_of(const std::string& text) {
  Migration migration = parsed(text);
  LintContext context;
  context.runner_lock_timeout = context.runner_statement_timeout = true;
  return lint_postgres(
      std::string(static_cast<std::size_t>(migration.up.first_line - 1), '\n') + migration.up.sql,
      migration.up.options.transaction, context);
}

LintFix fixed(const std::string& text) {
  return fix_migration(postgres(), parsed(text), text, findings_of(text));
}

}  // namespace

TEST_CASE("lint fix: a CONCURRENTLY section leaves the transaction", "[lint]") {
  std::string text =
      "-- Index.\n-- migrate:up\nSET lock_timeout = '5s';\n"
      "CREATE INDEX CONCURRENTLY IF NOT EXISTS users_email ON users (email);\n"
      "-- migrate:down\nDROP INDEX CONCURRENTLY IF EXISTS users_email;\n";
  LintFix fix = fixed(text);
  CHECK(fix.text ==
        "-- Index.\n-- migrate:up transaction:false\nSET lock_timeout = '5s';\n"
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS users_email ON users (email);\n"
        "-- migrate:down\nDROP INDEX CONCURRENTLY IF EXISTS users_email;\n");
  REQUIRE(fix.done.size() == 1);
  CHECK_THAT(fix.done[0], Contains("line 2: the up section runs outside a transaction"));
  CHECK(fix.not_done.empty());
  CHECK(rule_names(findings_of(fix.text)).empty());
}

TEST_CASE("lint fix: CONCURRENTLY beside statements that need the transaction is left", "[lint]") {
  std::string text =
      "-- Index.\n-- migrate:up\nCREATE TABLE audit (id bigint);\n"
      "CREATE INDEX CONCURRENTLY users_email ON users (email);\n";
  LintFix fix = fixed(text);
  CHECK(fix.text == text);
  REQUIRE(fix.not_done.size() == 1);
  CHECK_THAT(fix.not_done[0], Contains("line 4: CONCURRENTLY shares its section"));
}

TEST_CASE("lint fix: a foreign key in a transaction:false section gets NOT VALID and VALIDATE",
          "[lint]") {
  std::string text =
      "-- FK.\n-- migrate:up transaction:false\nSET lock_timeout = '5s';\n"
      "ALTER TABLE accounts ADD CONSTRAINT accounts_owner_fk FOREIGN KEY (owner_id)\n"
      "  REFERENCES users (id);\n"
      "ALTER TABLE \"Orders\" ADD CONSTRAINT positive CHECK (total > 0);\n";
  LintFix fix = fixed(text);
  CHECK(fix.text ==
        "-- FK.\n-- migrate:up transaction:false\nSET lock_timeout = '5s';\n"
        "ALTER TABLE accounts ADD CONSTRAINT accounts_owner_fk FOREIGN KEY (owner_id)\n"
        "  REFERENCES users (id) NOT VALID;\n"
        "ALTER TABLE accounts VALIDATE CONSTRAINT accounts_owner_fk;\n"
        "ALTER TABLE \"Orders\" ADD CONSTRAINT positive CHECK (total > 0) NOT VALID;\n"
        "ALTER TABLE \"Orders\" VALIDATE CONSTRAINT positive;\n");
  CHECK(fix.done.size() == 2);
  std::vector<std::string> left = rule_names(findings_of(fix.text));
  CHECK(std::count(left.begin(), left.end(), "constraint-missing-not-valid") == 0);
  CHECK(std::count(left.begin(), left.end(), "adding-foreign-key-constraint") == 0);
}

TEST_CASE("lint fix: a foreign key in a transactional section is left, with the way", "[lint]") {
  std::string text =
      "-- FK.\n-- migrate:up\nALTER TABLE accounts ADD CONSTRAINT accounts_owner_fk FOREIGN "
      "KEY (owner_id) REFERENCES users (id);\n";
  LintFix fix = fixed(text);
  CHECK(fix.text == text);
  REQUIRE_FALSE(fix.not_done.empty());
  CHECK_THAT(fix.not_done[0], Contains("line 3: add the constraint NOT VALID, then VALIDATE"));
}

TEST_CASE("lint fix: what --fix must not break", "[lint]") {
  SECTION("a constraint inside a BEGIN block is left: VALIDATE would share its transaction") {
    std::string text =
        "-- FK.\n-- migrate:up transaction:false\nBEGIN;\n"
        "ALTER TABLE users ADD CONSTRAINT c4 CHECK (id > 4);\nCOMMIT;\n";
    LintFix fix = fixed(text);
    CHECK(fix.text == text);
    CHECK_FALSE(fix.not_done.empty());
  }
  SECTION("the statement's own text, not a copy of it in a comment before it") {
    std::string text =
        "-- FK.\n-- migrate:up transaction:false\nSELECT 1; /* ALTER TABLE orgs ADD CONSTRAINT "
        "c5 CHECK (id > 5) */ ALTER TABLE orgs ADD CONSTRAINT c5 CHECK (id > 5);\n";
    LintFix fix = fixed(text);
    CHECK(fix.text ==
          "-- FK.\n-- migrate:up transaction:false\nSELECT 1; /* ALTER TABLE orgs ADD CONSTRAINT "
          "c5 CHECK (id > 5) */ ALTER TABLE orgs ADD CONSTRAINT c5 CHECK (id > 5) NOT VALID;\n"
          "ALTER TABLE orgs VALIDATE CONSTRAINT c5;\n");
    CHECK(fix.not_done.empty());  // SELECT 1 on the same line is no constraint
  }
  SECTION("transaction:true is replaced, and CRLF files keep CRLF") {
    std::string text =
        "-- Index.\r\n-- migrate:up transaction:true\r\nCREATE INDEX CONCURRENTLY IF NOT EXISTS "
        "i ON users (email);\r\n";
    CHECK(fixed(text).text ==
          "-- Index.\r\n-- migrate:up transaction:false\r\nCREATE INDEX CONCURRENTLY IF NOT "
          "EXISTS i ON users (email);\r\n");
  }
  SECTION("SET LOCAL needs the transaction: the section keeps it") {
    std::string text =
        "-- Index.\n-- migrate:up\nSET LOCAL lock_timeout = '2s';\n"
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON users (email);\n";
    CHECK(fixed(text).text == text);
  }
}
