// The transaction family on PostgreSQL's own parse trees: how migrate runs a section (in its
// transaction, transaction:false, as written when it has its own BEGIN/COMMIT) deciding each
// rule, with the runner's timeouts and the new tables it knows of.
#include <catch2/catch.hpp>

#include "lint/rules_transaction.hpp"
#include "support/lint_sql.hpp"

using namespace migrate;
using namespace migrate::test;
using Names = std::vector<std::string>;

namespace {

/// A context whose runner sets both timeouts, so that the timeout rules stay out of the way.
LintContext with_timeouts() {
  LintContext context;
  context.runner_lock_timeout = true;
  context.runner_statement_timeout = true;
  return context;
}

/// The findings of one rule.
std::vector<Finding> of_rule(const std::vector<Finding>& findings, std::string_view rule) {
  std::vector<Finding> found;
  for (const Finding& finding : findings) {
    if (finding.rule->name == rule) {
      found.push_back(finding);
    }
  }
  return found;
}

}  // namespace

TEST_CASE("lint transaction: BEGIN or COMMIT in a section migrate runs in its transaction",
          "[lint][lint_transaction]") {
  std::vector<Finding> findings =
      lint_only(transaction_rules(), "BEGIN;\nUPDATE accounts SET plan = 'free';\nCOMMIT;", true,
                with_timeouts());
  CHECK(rule_names(findings) == Names{"transaction-nesting"});  // once for the section
  CHECK(findings.at(0).severity == Severity::warning);
  CHECK(findings.at(0).line == 1);
  CHECK(findings.at(0).detail ==
        "BEGIN in a section migrate would run in its transaction: it runs the whole section as "
        "written instead, without it");
  CHECK(
      rule_names(lint_only(transaction_rules(), "UPDATE accounts SET plan = 'free';\nROLLBACK;")) ==
      Names{"transaction-nesting"});
  // Savepoints stay inside migrate's transaction.
  CHECK(
      lint_only(transaction_rules(), "SAVEPOINT s;\nUPDATE a SET b = 1;\nROLLBACK TO SAVEPOINT s;")
          .empty());
  CHECK(lint_only(transaction_rules(), "UPDATE accounts SET plan = 'free';").empty());
}

TEST_CASE("lint transaction: balanced BEGIN and COMMIT in a transaction:false section",
          "[lint][lint_transaction]") {
  CHECK(lint_only(transaction_rules(),
                  "BEGIN;\nUPDATE a SET b = 1;\nCOMMIT;\nBEGIN;\nUPDATE a SET b = 2;\nEND;", false)
            .empty());
  std::vector<Finding> nested =
      lint_only(transaction_rules(), "BEGIN;\nBEGIN;\nUPDATE a SET b = 1;\nCOMMIT;", false);
  CHECK(rule_names(nested) == Names{"transaction-nesting"});
  CHECK(nested.at(0).line == 2);
  std::vector<Finding> stray =
      lint_only(transaction_rules(), "UPDATE a SET b = 1;\nCOMMIT;", false);
  CHECK(rule_names(stray) == Names{"transaction-nesting"});
  CHECK(stray.at(0).detail ==
        "COMMIT with no transaction open: each statement outside a BEGIN block commits on its "
        "own");
}

TEST_CASE("lint transaction: a BEGIN with no COMMIT or ROLLBACK after it",
          "[lint][lint_transaction]") {
  std::vector<Finding> findings =
      lint_only(transaction_rules(),
                "BEGIN;\nUPDATE a SET b = 1;\nCOMMIT;\nBEGIN;\nUPDATE a SET b = 2;", false);
  CHECK(rule_names(findings) == Names{"ban-uncommitted-transaction"});
  CHECK(findings.at(0).line == 4);
  CHECK(findings.at(0).severity == Severity::warning);
  CHECK(findings.at(0).detail == "BEGIN with no COMMIT or ROLLBACK after it in the section");
  CHECK(lint_only(transaction_rules(), "BEGIN;\nUPDATE a SET b = 2;\nROLLBACK;", false).empty());
  CHECK(lint_only(transaction_rules(),
                  "START TRANSACTION;\nUPDATE a SET b = 2;\nPREPARE TRANSACTION 'x';", false)
            .empty());
  // In a section migrate would have run in its transaction, nesting says it.
  CHECK(rule_names(lint_only(transaction_rules(), "BEGIN;\nUPDATE a SET b = 1;")) ==
        Names{"transaction-nesting", "ban-uncommitted-transaction"});
}

TEST_CASE("lint transaction: a transaction:false section a resume cannot run again",
          "[lint][lint_transaction]") {
  constexpr std::string_view kRule = "prefer-robust-stmts";
  std::vector<Finding> findings =
      of_rule(lint_only(transaction_rules(),
                        "ALTER TABLE users ADD COLUMN billing_email text;\n"
                        "CREATE INDEX CONCURRENTLY users_billing_idx ON users (billing_email);",
                        false),
              kRule);
  REQUIRE(findings.size() == 2);
  CHECK(findings.at(0).severity == Severity::warning);
  CHECK(findings.at(0).detail ==
        "ALTER TABLE users: ADD COLUMN billing_email without IF NOT EXISTS: a resume of this "
        "transaction:false section may run it again");
  CHECK(findings.at(1).detail ==
        "CREATE INDEX users_billing_idx without IF NOT EXISTS: a resume of this "
        "transaction:false section may run it again");
  CHECK(findings.at(1).line == 2);

  // The safe rewrite: every statement can run twice.
  CHECK(of_rule(lint_only(transaction_rules(),
                          "ALTER TABLE users ADD COLUMN IF NOT EXISTS billing_email text;\n"
                          "ALTER TABLE users DROP CONSTRAINT IF EXISTS c,\n"
                          "  ADD CONSTRAINT c CHECK (billing_email LIKE '%@%') NOT VALID;\n"
                          "DROP INDEX CONCURRENTLY IF EXISTS users_old_idx;\n"
                          "CREATE INDEX CONCURRENTLY IF NOT EXISTS users_billing_idx ON "
                          "users (billing_email);",
                          false),
                kRule)
            .empty());
  // One statement (settings aside), or one BEGIN…COMMIT block: a failure leaves nothing done.
  CHECK(lint_only(transaction_rules(),
                  "SET lock_timeout = '2s';\n"
                  "CREATE INDEX CONCURRENTLY users_billing_idx ON users (billing_email);",
                  false)
            .empty());
  CHECK(lint_only(transaction_rules(),
                  "BEGIN;\nCREATE TABLE a (x int);\nCREATE TABLE b (x int);\nCOMMIT;", false)
            .empty());
  // A transactional section rolls back whole: it runs again from a clean start.
  CHECK(lint_only(transaction_rules(), "CREATE TABLE a (x int);\nCREATE TABLE b (x int);").empty());
}

TEST_CASE("lint transaction: what cannot run twice, statement by statement",
          "[lint][lint_transaction]") {
  auto second = [](std::string_view sql) {
    std::string section = "CREATE TABLE IF NOT EXISTS other (x int);\n" + std::string(sql);
    std::vector<Finding> findings =
        of_rule(lint_only(transaction_rules(), section, false), "prefer-robust-stmts");
    return findings.empty() ? std::string() : findings.back().detail;
  };
  CHECK_THAT(second("CREATE TABLE t (x int);"),
             Catch::StartsWith("CREATE TABLE t without IF NOT EXISTS"));
  CHECK(second("CREATE TEMP TABLE t (x int);").empty());
  CHECK_THAT(second("DROP TABLE t;"), Catch::StartsWith("DROP TABLE t without IF EXISTS"));
  CHECK_THAT(second("DROP TYPE app.s;"), Catch::StartsWith("DROP TYPE app.s without IF EXISTS"));
  CHECK_THAT(second("DROP FUNCTION f(int);"),
             Catch::StartsWith("DROP FUNCTION f without IF EXISTS"));
  CHECK_THAT(second("DROP SCHEMA s;"), Catch::StartsWith("DROP SCHEMA s without IF EXISTS"));
  CHECK_THAT(second("ALTER TABLE t ADD CONSTRAINT c CHECK (x > 0);"),
             Catch::StartsWith("ALTER TABLE t: ADD CONSTRAINT c, which has no IF NOT EXISTS"));
  CHECK_THAT(second("ALTER TABLE t RENAME COLUMN a TO b;"),
             Catch::StartsWith("RENAME COLUMN to b, which fails once renamed"));
  CHECK(second("ALTER TABLE IF EXISTS t RENAME TO u;").empty());
  CHECK_THAT(second("CREATE TYPE s AS ENUM ('a');"),
             Catch::StartsWith("CREATE TYPE AS ENUM, which has no IF NOT EXISTS"));
  CHECK_THAT(second("ALTER TYPE s ADD VALUE 'b';"),
             Catch::StartsWith("ADD VALUE 'b' without IF NOT EXISTS"));
  CHECK(second("ALTER TYPE s ADD VALUE IF NOT EXISTS 'b';").empty());
  CHECK_THAT(second("CREATE INDEX CONCURRENTLY ON t (x);"),
             Catch::StartsWith("an unnamed CREATE INDEX"));
  CHECK_THAT(second("CREATE VIEW v AS SELECT 1;"),
             Catch::StartsWith("CREATE VIEW without OR REPLACE"));
  CHECK(second("CREATE OR REPLACE VIEW v AS SELECT 1;").empty());
  CHECK(second("ALTER TABLE t ALTER COLUMN x SET NOT NULL;").empty());
  CHECK(second("UPDATE t SET x = 1;").empty());
}

TEST_CASE("lint transaction: a write-blocking lock on an existing table needs lock_timeout",
          "[lint][lint_transaction]") {
  std::vector<Finding> findings = lint_only(transaction_rules(),
                                            "ALTER TABLE users ADD COLUMN billing_email text;\n"
                                            "ALTER TABLE users ADD COLUMN plan text;");
  // Once per section and setting.
  CHECK(rule_names(findings) == Names{"require-lock-timeout", "require-statement-timeout"});
  CHECK(findings.at(0).severity == Severity::error);
  CHECK(findings.at(0).detail ==
        "an ACCESS EXCLUSIVE lock on users with no lock_timeout: while it waits, every query on "
        "the table waits behind it");
  CHECK(findings.at(1).severity == Severity::warning);
  CHECK(findings.at(1).detail ==
        "an ACCESS EXCLUSIVE lock on users with no statement_timeout: nothing bounds how long "
        "it is held");

  CHECK(lint_only(transaction_rules(),
                  "SET LOCAL lock_timeout = '2s';\nSET statement_timeout = 30000;\n"
                  "ALTER TABLE users ADD COLUMN billing_email text;")
            .empty());
  CHECK(lint_only(transaction_rules(),
                  "SELECT set_config('lock_timeout', '2s', true);\n"
                  "SELECT set_config('statement_timeout', '30s', false);\n"
                  "ALTER TABLE users ADD COLUMN billing_email text;")
            .empty());
  // The statement that decides it is the latest: 0 or DEFAULT turn it off.
  CHECK(rule_names(lint_only(transaction_rules(),
                             "SET lock_timeout = 0;\nSET statement_timeout = '30s';\n"
                             "CREATE INDEX i ON users (email);")) == Names{"require-lock-timeout"});
  CHECK(rule_names(lint_only(transaction_rules(),
                             "SET lock_timeout = '2s';\nSET statement_timeout = '30s';\n"
                             "SET lock_timeout TO DEFAULT;\nTRUNCATE users;")) ==
        Names{"require-lock-timeout"});
  CHECK(rule_names(lint_only(transaction_rules(),
                             "SET lock_timeout = '2s';\nSET statement_timeout = '30s';\n"
                             "RESET ALL;\nLOCK users;")) ==
        Names{"require-lock-timeout", "require-statement-timeout"});

  // New tables, weak locks and DML need none.
  CHECK(lint_only(transaction_rules(), "CREATE TABLE t (x int);\nALTER TABLE t ADD COLUMN y int;")
            .empty());
  LintContext unreleased;
  unreleased.add_new_table("", "users");
  CHECK(lint_only(transaction_rules(), "ALTER TABLE users ADD COLUMN plan text;", true, unreleased)
            .empty());
  CHECK(lint_only(transaction_rules(), "ALTER TABLE users VALIDATE CONSTRAINT c;").empty());
  CHECK(lint_only(transaction_rules(), "UPDATE users SET plan = 'free';").empty());
}

TEST_CASE("lint transaction: the runner's timeouts, and where they reach",
          "[lint][lint_transaction]") {
  std::string_view alter = "ALTER TABLE users ADD COLUMN IF NOT EXISTS billing_email text;";
  CHECK(lint_only(transaction_rules(), alter, true, with_timeouts()).empty());
  LintContext lock_only;
  lock_only.runner_lock_timeout = true;
  CHECK(rule_names(lint_only(transaction_rules(), alter, true, lock_only)) ==
        Names{"require-statement-timeout"});
  // --migration-lock-timeout is a SET LOCAL in migrate's transaction: a transaction:false
  // section (or one with its own BEGIN/COMMIT) runs without it.
  CHECK(rule_names(lint_only(transaction_rules(), alter, false, with_timeouts())) ==
        Names{"require-lock-timeout"});
  CHECK(rule_names(lint_only(transaction_rules(), "SET lock_timeout = '2s';\n" + std::string(alter),
                             false, with_timeouts()))
            .empty());
  // A SET LOCAL outside a transaction never takes, and ends with its BEGIN block.
  CHECK(rule_names(lint_only(transaction_rules(),
                             "SET LOCAL lock_timeout = '2s';\n" + std::string(alter), false,
                             with_timeouts())) == Names{"require-lock-timeout"});
  CHECK(rule_names(lint_only(transaction_rules(),
                             "BEGIN;\nSET LOCAL lock_timeout = '2s';\n" + std::string(alter) +
                                 "\nCOMMIT;\n" + std::string(alter),
                             false, with_timeouts())) == Names{"require-lock-timeout"});
}

TEST_CASE("lint transaction: which statements take a write-blocking lock",
          "[lint][lint_transaction]") {
  LintContext statement_set;
  statement_set.runner_statement_timeout = true;
  auto lock_detail = [&](std::string_view sql) {
    std::vector<Finding> findings = lint_only(transaction_rules(), sql, false, statement_set);
    findings = of_rule(findings, "require-lock-timeout");
    return findings.empty() ? std::string() : findings.front().detail;
  };
  CHECK_THAT(lock_detail("CREATE TABLE orders (user_id int REFERENCES users);"),
             Catch::StartsWith("a SHARE ROW EXCLUSIVE lock on users"));
  CHECK_THAT(lock_detail("CREATE TABLE orders (user_id int);\n"
                         "ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) "
                         "REFERENCES users;"),
             Catch::StartsWith("a SHARE ROW EXCLUSIVE lock on users"));
  CHECK_THAT(lock_detail("CREATE TABLE events_2025 PARTITION OF events FOR VALUES IN (2025);"),
             Catch::StartsWith("an ACCESS EXCLUSIVE lock on events"));
  CHECK_THAT(lock_detail("DROP TABLE app.users;"),
             Catch::StartsWith("an ACCESS EXCLUSIVE lock on app.users"));
  CHECK_THAT(lock_detail("DROP TRIGGER t ON users;"),
             Catch::StartsWith("an ACCESS EXCLUSIVE lock on users"));
  CHECK_THAT(lock_detail("DROP INDEX users_email;"),
             Catch::StartsWith("an ACCESS EXCLUSIVE lock on the table of index users_email"));
  CHECK_THAT(lock_detail("ALTER TABLE users RENAME COLUMN a TO b;"),
             Catch::StartsWith("an ACCESS EXCLUSIVE lock on users"));
  CHECK_THAT(lock_detail("VACUUM FULL users;"),
             Catch::StartsWith("an ACCESS EXCLUSIVE lock on users"));
  CHECK_THAT(lock_detail("ALTER TABLE users DISABLE TRIGGER ALL;"),
             Catch::StartsWith("a SHARE ROW EXCLUSIVE lock on users"));
  CHECK_THAT(lock_detail("REINDEX TABLE users;"), Catch::StartsWith("a SHARE lock on users"));
  CHECK_THAT(lock_detail("LOCK users IN EXCLUSIVE MODE;"),
             Catch::StartsWith("an EXCLUSIVE lock on users"));
  CHECK(lock_detail("CREATE INDEX CONCURRENTLY i ON users (email);").empty());
  CHECK(lock_detail("DROP INDEX CONCURRENTLY i;").empty());
  CHECK(lock_detail("ALTER TABLE events DETACH PARTITION e CONCURRENTLY;").empty());
  CHECK(lock_detail("LOCK users IN ACCESS SHARE MODE;").empty());
  CHECK(lock_detail("REFRESH MATERIALIZED VIEW CONCURRENTLY m;").empty());
  CHECK(lock_detail("CREATE TABLE t (x int);").empty());
}

TEST_CASE("lint transaction: an enum value used in the transaction that added it",
          "[lint][lint_transaction]") {
  std::vector<Finding> findings =
      lint_only(transaction_rules(),
                "ALTER TYPE post_status ADD VALUE 'archived';\n"
                "UPDATE posts SET status = 'archived' WHERE archived_at IS NOT NULL;");
  CHECK(rule_names(findings) == Names{"enum-value-used-in-same-transaction"});
  CHECK(findings.at(0).severity == Severity::error);
  CHECK(findings.at(0).line == 2);
  // An equal literal may be a plain string: the linter does not see the column's type.
  CHECK(findings.at(0).detail ==
        "'archived' was added to type post_status earlier in this transaction: if this "
        "'archived' is a post_status, PostgreSQL refuses to use it before the commit");
  // Cast to the type, it surely is.
  std::vector<Finding> cast = lint_only(transaction_rules(),
                                        "ALTER TYPE app.post_status ADD VALUE 'archived' AFTER "
                                        "'done';\nALTER TABLE posts ALTER COLUMN status SET "
                                        "DEFAULT 'archived'::app.post_status;",
                                        true, with_timeouts());
  CHECK(rule_names(cast) == Names{"enum-value-used-in-same-transaction"});
  CHECK(cast.at(0).detail ==
        "'archived' was added to type post_status earlier in this transaction: PostgreSQL "
        "refuses to use it before the commit");

  // The safe way: the value is added outside the transaction that uses it.
  CHECK(lint_only(transaction_rules(),
                  "ALTER TYPE post_status ADD VALUE IF NOT EXISTS 'archived';\n"
                  "UPDATE posts SET status = 'archived';",
                  false)
            .empty());
  CHECK(lint_only(transaction_rules(),
                  "BEGIN;\nALTER TYPE post_status ADD VALUE IF NOT EXISTS 'archived';\n"
                  "COMMIT;\n"
                  "BEGIN;\nUPDATE posts SET status = 'archived';\nCOMMIT;",
                  false)
            .empty());
  // Another literal, a cast to another type, a type new in the same transaction.
  CHECK(lint_only(transaction_rules(),
                  "ALTER TYPE post_status ADD VALUE 'archived';\n"
                  "UPDATE posts SET status = 'done', note = 'archived'::text;")
            .empty());
  CHECK(lint_only(transaction_rules(),
                  "CREATE TYPE post_status AS ENUM ('draft');\n"
                  "ALTER TYPE post_status ADD VALUE 'archived';\n"
                  "CREATE TABLE posts (status post_status DEFAULT 'archived');")
            .empty());
}

TEST_CASE("lint transaction: a section with its own BEGIN/COMMIT runs as written",
          "[lint][lint_transaction]") {
  // Outside the block, the ADD VALUE commits on its own before the UPDATE uses it.
  std::vector<Finding> findings =
      lint_only(transaction_rules(),
                "ALTER TYPE post_status ADD VALUE 'archived';\n"
                "BEGIN;\nUPDATE posts SET status = 'archived';\nCOMMIT;");
  // ... and a rerun from the top (such a section has no progress to resume from) would add
  // the value again, and fail.
  CHECK(rule_names(findings) == Names{"prefer-robust-stmts", "transaction-nesting"});
  CHECK(findings.at(0).line == 1);
  CHECK_THAT(findings.at(0).detail,
             Catch::Contains("a rerun of this section, which its own BEGIN/COMMIT runs as "
                             "written, from the top, may run it again"));
  CHECK(findings.at(1).line == 2);
  CHECK(rule_names(lint_only(transaction_rules(),
                             "ALTER TYPE post_status ADD VALUE IF NOT EXISTS 'archived';\n"
                             "BEGIN;\nUPDATE posts SET status = 'archived';\nCOMMIT;")) ==
        Names{"transaction-nesting"});
}
