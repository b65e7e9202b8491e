// The breaking family on PostgreSQL's own parse trees: what breaks the code deployed while a
// migration runs, and silence for what that code cannot be using yet (created on this branch).
#include <catch2/catch.hpp>

#include "lint/rules_breaking.hpp"
#include "support/lint_family.hpp"
#include "support/lint_sql.hpp"

using namespace migrate;
using namespace migrate::test;
using Names = std::vector<std::string>;

namespace {

/// The breaking family's findings on `sql` (see lint_postgres).
std::vector<Finding> lint(std::string_view sql, bool transaction = true, LintContext context = {}) {
  return only_family(lint_postgres(sql, transaction, std::move(context)), breaking_rules());
}

/// A context where `table` was created by an earlier migration not yet on upstream.
LintContext branch_table(const std::string& table) {
  LintContext context;
  context.add_new_table("", table);
  return context;
}

}  // namespace

TEST_CASE("lint breaking: dropping a column of an existing table", "[lint][lint_breaking]") {
  std::vector<Finding> findings = lint("ALTER TABLE users DROP COLUMN legacy_name;");
  CHECK(rule_names(findings) == Names{"ban-drop-column"});
  CHECK(findings.at(0).severity == Severity::warning);
  CHECK(findings.at(0).detail ==
        "dropping column legacy_name of users: deployed code that uses it fails");

  CHECK(lint("ALTER TABLE users ADD COLUMN nickname text;").empty());
  CHECK(lint("CREATE TABLE users (id bigint, legacy_name text);\n"
             "ALTER TABLE users DROP COLUMN legacy_name;")
            .empty());
  CHECK(lint("ALTER TABLE public.users DROP COLUMN IF EXISTS legacy_name;", true,
             branch_table("users"))
            .empty());
}

TEST_CASE("lint breaking: dropping a table, only the existing ones named",
          "[lint][lint_breaking]") {
  std::vector<Finding> findings =
      lint("DROP TABLE IF EXISTS scratch, app.events;", true, branch_table("scratch"));
  CHECK(rule_names(findings) == Names{"ban-drop-table"});
  CHECK(findings.at(0).severity == Severity::warning);
  CHECK(findings.at(0).detail == "dropping table app.events: deployed code that uses it fails");

  CHECK(lint("DROP TABLE a, b;").at(0).detail ==
        "dropping tables a, b: deployed code that uses them fails");
  CHECK(lint("DROP TABLE scratch;", true, branch_table("scratch")).empty());
  CHECK(lint("CREATE TABLE scratch (id bigint);\nDROP TABLE scratch;").empty());
  CHECK(lint("DROP VIEW users_view;").empty());
}

TEST_CASE("lint breaking: dropping a database is an error", "[lint][lint_breaking]") {
  std::vector<Finding> findings = lint("DROP DATABASE app;", false);
  CHECK(rule_names(findings) == Names{"ban-drop-database"});
  CHECK(findings.at(0).severity == Severity::error);
  CHECK(findings.at(0).detail == "dropping database app");
  CHECK(lint("DROP SCHEMA staging;").empty());
}

TEST_CASE("lint breaking: dropping NOT NULL from an existing column", "[lint][lint_breaking]") {
  std::vector<Finding> findings = lint("ALTER TABLE users ALTER COLUMN nickname DROP NOT NULL;");
  CHECK(rule_names(findings) == Names{"ban-drop-not-null"});
  CHECK(findings.at(0).severity == Severity::warning);
  CHECK(findings.at(0).detail ==
        "dropping NOT NULL from users.nickname: deployed code does not expect NULLs");

  CHECK(lint("ALTER TABLE users ALTER COLUMN nickname SET DEFAULT '';").empty());
  CHECK(lint("ALTER TABLE users ALTER COLUMN nickname DROP NOT NULL;", true, branch_table("users"))
            .empty());
}

TEST_CASE("lint breaking: renaming a column of an existing table", "[lint][lint_breaking]") {
  std::vector<Finding> findings = lint("ALTER TABLE users RENAME COLUMN name TO full_name;");
  CHECK(rule_names(findings) == Names{"renaming-column"});
  CHECK(findings.at(0).severity == Severity::error);
  CHECK(findings.at(0).detail ==
        "renaming column users.name to full_name: deployed code uses the old name");

  // The safe way's first step: a new column beside the old one.
  CHECK(lint("ALTER TABLE users ADD COLUMN full_name text;").empty());
  CHECK(lint("ALTER TABLE users RENAME COLUMN name TO full_name;", true, branch_table("users"))
            .empty());
  CHECK(lint("ALTER TABLE users RENAME CONSTRAINT a TO b;").empty());
}

TEST_CASE("lint breaking: renaming or moving an existing table", "[lint][lint_breaking]") {
  std::vector<Finding> findings = lint("ALTER TABLE user_stars RENAME TO user_favorites;");
  CHECK(rule_names(findings) == Names{"renaming-table"});
  CHECK(findings.at(0).severity == Severity::error);
  CHECK(findings.at(0).detail ==
        "renaming table user_stars to user_favorites: deployed code uses the old name");

  findings = lint("ALTER TABLE user_stars SET SCHEMA archive;");
  CHECK(rule_names(findings) == Names{"renaming-table"});
  CHECK(findings.at(0).detail ==
        "moving table user_stars to schema archive: deployed code uses the old name");

  CHECK(lint("CREATE VIEW user_favorites AS SELECT * FROM user_stars;").empty());
  CHECK(lint("ALTER INDEX users_email RENAME TO users_email_idx;").empty());
  // A branch table keeps its exemption under its new name.
  CHECK(lint("ALTER TABLE drafts RENAME TO posts;\n"
             "ALTER TABLE posts RENAME COLUMN body TO content;\n"
             "ALTER TABLE posts DROP COLUMN legacy;",
             true, branch_table("drafts"))
            .empty());
}

TEST_CASE("lint breaking: renaming a schema", "[lint][lint_breaking]") {
  std::vector<Finding> findings = lint("ALTER SCHEMA billing RENAME TO invoicing;");
  CHECK(rule_names(findings) == Names{"renaming-schema"});
  CHECK(findings.at(0).severity == Severity::error);
  CHECK(findings.at(0).detail ==
        "renaming schema billing to invoicing: deployed code uses the old name");

  CHECK(lint("CREATE SCHEMA invoicing;").empty());
  CHECK(lint("CREATE SCHEMA billing;\nALTER SCHEMA billing RENAME TO invoicing;").empty());
}

TEST_CASE("lint breaking: renaming an enum value", "[lint][lint_breaking]") {
  std::vector<Finding> findings =
      lint("ALTER TYPE app.order_status RENAME VALUE 'done' TO 'completed';");
  CHECK(rule_names(findings) == Names{"renaming-enum-value"});
  CHECK(findings.at(0).severity == Severity::error);
  CHECK(findings.at(0).detail ==
        "renaming value 'done' of app.order_status to 'completed': deployed code uses the old "
        "value");

  CHECK(lint("ALTER TYPE order_status ADD VALUE IF NOT EXISTS 'completed' AFTER 'done';", false)
            .empty());
  CHECK(lint("CREATE TYPE order_status AS ENUM ('open', 'done');\n"
             "ALTER TYPE order_status RENAME VALUE 'done' TO 'completed';")
            .empty());
}
