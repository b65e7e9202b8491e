// The locking family on PostgreSQL's own parse trees: each rule triggered on an existing table,
// its safe form not, new tables exempt, and the server version deciding where it matters.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "lint/rules_locking.hpp"
#include "support/lint_sql.hpp"

using namespace migrate;
using namespace migrate::test;
using Names = std::vector<std::string>;

namespace {

/// A context whose server is PostgreSQL `version` (server_version_num).
LintContext server(int version) {
  LintContext context;
  context.server_version = version;
  return context;
}

/// A context in which `table` was created by a migration not yet on upstream.
LintContext new_table(std::string table) {
  LintContext context;
  context.add_new_table("", table);
  return context;
}

}  // namespace

TEST_CASE("lint locking: ADD COLUMN with a volatile default rewrites an existing table",
          "[lint][lint_locking]") {
  std::vector<Finding> findings = lint_only(
      locking_rules(), "ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();");
  CHECK(rule_names(findings) == Names{"adding-field-with-default"});
  CHECK(findings.at(0).severity == Severity::error);
  CHECK(findings.at(0).detail ==
        "ADD COLUMN token with the volatile default gen_random_uuid() rewrites users");

  for (std::string_view sql : {
           "ALTER TABLE t ADD COLUMN c timestamptz DEFAULT clock_timestamp();",
           "ALTER TABLE t ADD COLUMN c bigint DEFAULT nextval('s');",
           "ALTER TABLE t ADD COLUMN c text DEFAULT upper(md5(random()::text));",
       }) {
    CHECK(rule_names(lint_only(locking_rules(), sql)) == Names{"adding-field-with-default"});
  }
  // A function migrate does not know may be volatile: said so.
  findings =
      lint_only(locking_rules(), "ALTER TABLE t ADD COLUMN c int DEFAULT app.next_number();");
  CHECK(rule_names(findings) == Names{"adding-field-with-default"});
  CHECK(findings.at(0).detail ==
        "ADD COLUMN c with a default that calls app.next_number(), which may be volatile: then "
        "it rewrites t");
}

TEST_CASE("lint locking: constant and non-volatile defaults need no rewrite from PostgreSQL 11",
          "[lint][lint_locking]") {
  for (std::string_view sql : {
           "ALTER TABLE t ADD COLUMN c boolean NOT NULL DEFAULT true;",
           "ALTER TABLE t ADD COLUMN c int DEFAULT -1;",
           "ALTER TABLE t ADD COLUMN c int DEFAULT (1 + 2);",
           "ALTER TABLE t ADD COLUMN c text DEFAULT 'a' || 'b';",
           "ALTER TABLE t ADD COLUMN c jsonb DEFAULT '{}'::jsonb;",
           "ALTER TABLE t ADD COLUMN c int[] DEFAULT ARRAY[]::int[];",
           "ALTER TABLE t ADD COLUMN c timestamptz DEFAULT now();",
           "ALTER TABLE t ADD COLUMN c timestamptz DEFAULT pg_catalog.now() + interval '1 day';",
           "ALTER TABLE t ADD COLUMN c date DEFAULT CURRENT_DATE;",
           "ALTER TABLE t ADD COLUMN c timestamp DEFAULT timezone('utc', now());",
           "ALTER TABLE t ADD COLUMN c text DEFAULT concat('a', 'b');",
           "ALTER TABLE t ADD COLUMN c uuid;",
       }) {
    CAPTURE(sql);
    CHECK(lint_only(locking_rules(), sql).empty());
    CHECK(lint_only(locking_rules(), sql, true, server(110000)).empty());
  }
  // The safe way: no default on the column, a default for new rows only.
  CHECK(lint_only(locking_rules(),
                  "ALTER TABLE users ADD COLUMN token uuid;\n"
                  "ALTER TABLE users ALTER COLUMN token SET DEFAULT gen_random_uuid();")
            .empty());
}

TEST_CASE("lint locking: before PostgreSQL 11 every default rewrites", "[lint][lint_locking]") {
  std::string_view sql = "ALTER TABLE t ADD COLUMN c int DEFAULT 0;";
  std::vector<Finding> findings = lint_only(locking_rules(), sql, true, server(100023));
  CHECK(rule_names(findings) == Names{"adding-field-with-default"});
  CHECK(findings.at(0).detail ==
        "ADD COLUMN c with a DEFAULT rewrites t: before PostgreSQL 11 every default does");
  CHECK(lint_only(locking_rules(), sql).empty());  // unknown: a modern server
  CHECK(lint_only(locking_rules(), sql, true, server(150004)).empty());
  // NULL is no default at all, on any version.
  CHECK(lint_only(locking_rules(), "ALTER TABLE t ADD COLUMN c int DEFAULT NULL::int;", true,
                  server(100023))
            .empty());
}

TEST_CASE("lint locking: stored generated and auto-increment columns rewrite an existing table",
          "[lint][lint_locking]") {
  std::vector<Finding> findings = lint_only(
      locking_rules(),
      "ALTER TABLE orders ADD COLUMN total numeric GENERATED ALWAYS AS (price * quantity) "
      "STORED;");
  CHECK(rule_names(findings) == Names{"adding-stored-generated-column"});
  CHECK(findings.at(0).severity == Severity::error);
  CHECK(findings.at(0).detail == "ADD COLUMN total, a stored generated column, rewrites orders");

  findings = lint_only(locking_rules(), "ALTER TABLE orders ADD COLUMN number bigserial;");
  CHECK(rule_names(findings) == Names{"adding-auto-increment-column"});
  CHECK(findings.at(0).severity == Severity::error);
  CHECK(findings.at(0).detail ==
        "ADD COLUMN number, an auto-increment column, rewrites orders to number its rows");
  CHECK(rule_names(lint_only(locking_rules(), "ALTER TABLE t ADD COLUMN n serial NOT NULL;")) ==
        Names{"adding-auto-increment-column"});
  CHECK(rule_names(lint_only(
            locking_rules(),
            "ALTER TABLE t ADD COLUMN n bigint NOT NULL GENERATED ALWAYS AS IDENTITY;")) ==
        Names{"adding-auto-increment-column"});

  // The safe way: a plain column and a sequence default for new rows.
  CHECK(lint_only(locking_rules(),
                  "CREATE SEQUENCE orders_number_seq;\n"
                  "ALTER TABLE orders ADD COLUMN number bigint;\n"
                  "ALTER TABLE orders ALTER COLUMN number SET DEFAULT "
                  "nextval('orders_number_seq');")
            .empty());
}

TEST_CASE("lint locking: ADD COLUMN NOT NULL without a default fails on a table with rows",
          "[lint][lint_locking]") {
  std::vector<Finding> findings =
      lint_only(locking_rules(), "ALTER TABLE users ADD COLUMN active boolean NOT NULL;");
  CHECK(rule_names(findings) == Names{"adding-required-field"});
  CHECK(findings.at(0).severity == Severity::error);
  CHECK(findings.at(0).detail ==
        "ADD COLUMN active NOT NULL without a default: PostgreSQL refuses it if users has rows");
  CHECK(rule_names(
            lint_only(locking_rules(), "ALTER TABLE t ADD COLUMN c int NOT NULL DEFAULT NULL;")) ==
        Names{"adding-required-field"});

  CHECK(lint_only(locking_rules(),
                  "ALTER TABLE users ADD COLUMN active boolean NOT NULL DEFAULT true;")
            .empty());
  CHECK(lint_only(locking_rules(), "ALTER TABLE users ADD COLUMN active boolean;").empty());
}

TEST_CASE("lint locking: SET NOT NULL scans an existing table unless a CHECK proves it",
          "[lint][lint_locking]") {
  std::vector<Finding> findings =
      lint_only(locking_rules(), "ALTER TABLE users ALTER COLUMN email SET NOT NULL;");
  CHECK(rule_names(findings) == Names{"adding-not-nullable-field"});
  CHECK(findings.at(0).severity == Severity::error);
  CHECK(findings.at(0).detail ==
        "SET NOT NULL on users.email without a validated CHECK (email IS NOT NULL) before it "
        "scans the table under an ACCESS EXCLUSIVE lock");

  // The safe way, in one section that runs each statement on its own.
  std::string_view recipe =
      "ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT "
      "VALID;\n"
      "ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;\n"
      "ALTER TABLE users ALTER COLUMN email SET NOT NULL;\n"
      "ALTER TABLE users DROP CONSTRAINT users_email_not_null;";
  CHECK(lint_only(locking_rules(), recipe, false).empty());
  // Or the CHECK added by an earlier migration and validated here.
  CHECK(lint_only(locking_rules(),
                  "ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;\n"
                  "ALTER TABLE users ALTER COLUMN email SET NOT NULL;")
            .empty());
}

TEST_CASE("lint locking: a CHECK that proves nothing about the column does not spare the scan",
          "[lint][lint_locking]") {
  // Not validated yet.
  CHECK(rule_names(
            lint_only(locking_rules(),
                      "ALTER TABLE users ADD CONSTRAINT c CHECK (email IS NOT NULL) NOT VALID;\n"
                      "ALTER TABLE users ALTER COLUMN email SET NOT NULL;",
                      false)) == Names{"adding-not-nullable-field"});
  // Another column, another expression.
  for (std::string_view check : {
           "ALTER TABLE users ADD CONSTRAINT c CHECK (name IS NOT NULL) NOT VALID;",
           "ALTER TABLE users ADD CONSTRAINT c CHECK (email <> '') NOT VALID;",
       }) {
    std::string sql = std::string(check) +
                      "\nALTER TABLE users VALIDATE CONSTRAINT c;\n"
                      "ALTER TABLE users ALTER COLUMN email SET NOT NULL;";
    CAPTURE(sql);
    CHECK(rule_names(lint_only(locking_rules(), sql, false)) == Names{"adding-not-nullable-field"});
  }
  // Another table.
  CHECK(rule_names(
            lint_only(locking_rules(),
                      "ALTER TABLE people ADD CONSTRAINT c CHECK (email IS NOT NULL) NOT VALID;\n"
                      "ALTER TABLE people VALIDATE CONSTRAINT c;\n"
                      "ALTER TABLE users ALTER COLUMN email SET NOT NULL;",
                      false)) == Names{"adding-not-nullable-field"});
}

TEST_CASE("lint locking: before PostgreSQL 12 a CHECK does not spare SET NOT NULL its scan",
          "[lint][lint_locking]") {
  std::string_view sql =
      "ALTER TABLE users ADD CONSTRAINT c CHECK (email IS NOT NULL) NOT VALID;\n"
      "ALTER TABLE users VALIDATE CONSTRAINT c;\n"
      "ALTER TABLE users ALTER COLUMN email SET NOT NULL;";
  CHECK(lint_only(locking_rules(), sql, false).empty());
  CHECK(lint_only(locking_rules(), sql, false, server(120000)).empty());
  std::vector<Finding> findings = lint_only(locking_rules(), sql, false, server(110020));
  CHECK(rule_names(findings) == Names{"adding-not-nullable-field"});
  CHECK(findings.at(0).line == 3);
  CHECK(findings.at(0).detail ==
        "SET NOT NULL on users.email scans the table under an ACCESS EXCLUSIVE lock: before "
        "PostgreSQL 12 a CHECK constraint does not spare the scan");
}

TEST_CASE("lint locking: a FOREIGN KEY checked as it is added blocks writes to both tables",
          "[lint][lint_locking]") {
  std::vector<Finding> findings = lint_only(
      locking_rules(),
      "ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users "
      "(id);");
  CHECK(rule_names(findings) ==
        Names{"adding-foreign-key-constraint", "constraint-missing-not-valid"});
  CHECK(findings.at(0).severity == Severity::error);
  CHECK(findings.at(0).detail ==
        "FOREIGN KEY orders_user_fk on orders checks every row and blocks writes to both tables");

  findings = lint_only(locking_rules(),
                       "ALTER TABLE orders ADD COLUMN user_id bigint REFERENCES users (id);");
  CHECK(rule_names(findings) == Names{"adding-foreign-key-constraint"});
  CHECK(findings.at(0).detail ==
        "ADD COLUMN user_id REFERENCES checks every row of orders and blocks writes to both "
        "tables");

  // The safe way: NOT VALID, then VALIDATE in a transaction of its own.
  CHECK(lint_only(locking_rules(),
                  "ALTER TABLE orders ADD COLUMN user_id bigint;\n"
                  "ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) "
                  "REFERENCES users (id) NOT VALID;\n"
                  "ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;",
                  false)
            .empty());
}

TEST_CASE("lint locking: CHECK and FOREIGN KEY constraints want NOT VALID",
          "[lint][lint_locking]") {
  std::vector<Finding> findings = lint_only(
      locking_rules(), "ALTER TABLE accounts ADD CONSTRAINT positive CHECK (balance >= 0);");
  CHECK(rule_names(findings) == Names{"constraint-missing-not-valid"});
  CHECK(findings.at(0).severity == Severity::error);
  CHECK(findings.at(0).detail ==
        "CHECK positive on accounts without NOT VALID checks every row under its lock");
  findings = lint_only(locking_rules(), "ALTER TABLE accounts ADD CHECK (balance >= 0);");
  CHECK(rule_names(findings) == Names{"constraint-missing-not-valid"});
  CHECK(findings.at(0).detail ==
        "CHECK on accounts without NOT VALID checks every row under its lock");
  CHECK(lint_only(locking_rules(),
                  "ALTER TABLE accounts ADD CONSTRAINT positive CHECK (balance >= 0) NOT "
                  "VALID;")
            .empty());
  // UNIQUE USING INDEX has nothing to check, and NOT VALID is no option for it.
  CHECK(lint_only(locking_rules(),
                  "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX "
                  "users_email_key;")
            .empty());
}

TEST_CASE("lint locking: VALIDATE in the transaction that added the constraint NOT VALID",
          "[lint][lint_locking]") {
  std::string_view sql =
      "ALTER TABLE accounts ADD CONSTRAINT positive CHECK (balance >= 0) NOT VALID;\n"
      "ALTER TABLE accounts VALIDATE CONSTRAINT positive;";
  std::vector<Finding> findings = lint_only(locking_rules(), sql);
  CHECK(rule_names(findings) == Names{"constraint-missing-not-valid"});
  CHECK(findings.at(0).line == 2);
  CHECK(findings.at(0).detail ==
        "VALIDATE CONSTRAINT positive in the transaction that added it NOT VALID: the ADD's "
        "lock on accounts is still held while every row is checked");
  // transaction:false: each statement commits on its own.
  CHECK(lint_only(locking_rules(), sql, false).empty());
  // A BEGIN ... COMMIT there is one transaction again; statements after its COMMIT are not.
  CHECK(rule_names(lint_only(locking_rules(),
                             std::string("BEGIN;\n") + std::string(sql) + "\nCOMMIT;", false)) ==
        Names{"constraint-missing-not-valid"});
  CHECK(lint_only(locking_rules(),
                  "BEGIN;\n"
                  "ALTER TABLE accounts ADD CONSTRAINT positive CHECK (balance >= 0) NOT "
                  "VALID;\n"
                  "COMMIT;\n"
                  "ALTER TABLE accounts VALIDATE CONSTRAINT positive;",
                  false)
            .empty());
  // Added by an earlier migration: validated in a transaction of its own.
  CHECK(lint_only(locking_rules(), "ALTER TABLE accounts VALIDATE CONSTRAINT positive;").empty());
}

TEST_CASE("lint locking: UNIQUE builds its index under an ACCESS EXCLUSIVE lock",
          "[lint][lint_locking]") {
  std::vector<Finding> findings = lint_only(
      locking_rules(), "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);");
  CHECK(rule_names(findings) == Names{"disallowed-unique-constraint"});
  CHECK(findings.at(0).severity == Severity::error);
  CHECK(findings.at(0).detail ==
        "UNIQUE users_email_key builds its index on users under an ACCESS EXCLUSIVE lock");
  CHECK(
      rule_names(lint_only(locking_rules(), "ALTER TABLE users ADD COLUMN handle text UNIQUE;")) ==
      Names{"disallowed-unique-constraint"});

  // The safe way: the index built concurrently, then made the constraint.
  CHECK(lint_only(locking_rules(),
                  "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_email_key ON users "
                  "(email);\n"
                  "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX "
                  "users_email_key;",
                  false)
            .empty());
}

TEST_CASE("lint locking: PRIMARY KEY builds its index under an ACCESS EXCLUSIVE lock",
          "[lint][lint_locking]") {
  std::vector<Finding> findings = lint_only(
      locking_rules(), "ALTER TABLE accounts ADD CONSTRAINT accounts_pkey PRIMARY KEY (id);");
  CHECK(rule_names(findings) == Names{"adding-serial-primary-key-field"});
  CHECK(findings.at(0).severity == Severity::error);
  CHECK(findings.at(0).detail ==
        "PRIMARY KEY accounts_pkey builds its index on accounts under an ACCESS EXCLUSIVE lock");
  CHECK(rule_names(lint_only(locking_rules(),
                             "ALTER TABLE accounts ADD COLUMN id bigserial PRIMARY KEY;")) ==
        Names{"adding-auto-increment-column", "adding-serial-primary-key-field"});
  // No default: the existing rows would have no key at all.
  CHECK(rule_names(
            lint_only(locking_rules(), "ALTER TABLE accounts ADD COLUMN id bigint PRIMARY KEY;")) ==
        Names{"adding-required-field", "adding-serial-primary-key-field"});

  CHECK(lint_only(locking_rules(),
                  "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS accounts_pkey ON accounts "
                  "(id);\n"
                  "ALTER TABLE accounts ADD CONSTRAINT accounts_pkey PRIMARY KEY USING INDEX "
                  "accounts_pkey;",
                  false)
            .empty());
}

TEST_CASE("lint locking: a column type change that rewrites the table", "[lint][lint_locking]") {
  std::vector<Finding> findings =
      lint_only(locking_rules(), "ALTER TABLE orders ALTER COLUMN amount TYPE bigint;");
  CHECK(rule_names(findings) == Names{"changing-column-type"});
  CHECK(findings.at(0).severity == Severity::error);
  CHECK(findings.at(0).detail ==
        "ALTER COLUMN amount TYPE int8 rewrites orders under an ACCESS EXCLUSIVE lock");
  // An extension type's modifiers may be strings.
  CHECK(rule_names(lint_only(locking_rules(),
                             "ALTER TABLE places ALTER COLUMN at TYPE geometry('POINT', 4326);")) ==
        Names{"changing-column-type"});
  // USING computes every row again.
  CHECK(rule_names(
            lint_only(locking_rules(), "ALTER TABLE t ALTER COLUMN c TYPE text USING c::text;")) ==
        Names{"changing-column-type"});
  // The old type given earlier in the migration decides.
  findings = lint_only(locking_rules(),
                       "ALTER TABLE t ADD COLUMN c varchar(100);\n"
                       "ALTER TABLE t ALTER COLUMN c TYPE varchar(50);");
  CHECK(rule_names(findings) == Names{"changing-column-type"});
  CHECK(findings.at(0).detail ==
        "ALTER COLUMN c TYPE varchar(50) (from varchar(100)) rewrites t under an ACCESS "
        "EXCLUSIVE lock");
  CHECK(rule_names(lint_only(locking_rules(),
                             "ALTER TABLE t ADD COLUMN c int;\n"
                             "ALTER TABLE t ALTER COLUMN c TYPE text;")) ==
        Names{"changing-column-type"});
}

TEST_CASE("lint locking: column type changes that keep the bytes need no rewrite",
          "[lint][lint_locking]") {
  for (auto [from, to] : std::vector<std::pair<std::string_view, std::string_view>>{
           {"varchar(20)", "text"},
           {"varchar(20)", "varchar(200)"},
           {"character varying(20)", "varchar"},
           {"text", "varchar"},
           {"numeric(10,2)", "numeric(12,2)"},
           {"decimal(10,2)", "numeric"},
           {"timestamptz(3)", "timestamp with time zone"},
           {"cidr", "inet"},
       }) {
    std::string sql = fmt::format(
        "ALTER TABLE t ADD COLUMN c {};\nALTER TABLE t ALTER COLUMN c TYPE {};", from, to);
    CAPTURE(sql);
    CHECK(lint_only(locking_rules(), sql).empty());
  }
  for (auto [from, to] : std::vector<std::pair<std::string_view, std::string_view>>{
           {"numeric(10,2)", "numeric(12,3)"},
           {"numeric", "numeric(12,2)"},
           {"timestamp", "timestamptz"},
           {"timestamp(6)", "timestamp(3)"},
           {"char(10)", "char(20)"},
           {"varchar(20)[]", "text[]"},
       }) {
    std::string sql = fmt::format(
        "ALTER TABLE t ADD COLUMN c {};\nALTER TABLE t ALTER COLUMN c TYPE {};", from, to);
    CAPTURE(sql);
    CHECK(rule_names(lint_only(locking_rules(), sql)) == Names{"changing-column-type"});
  }
}

TEST_CASE("lint locking: a type change whose old type is not in the migration may be free",
          "[lint][lint_locking]") {
  // varchar(n) -> text is free, int -> text is not: without the old type, a warning that says
  // which.
  std::vector<Finding> findings =
      lint_only(locking_rules(), "ALTER TABLE users ALTER COLUMN name TYPE text;");
  CHECK(rule_names(findings) == Names{"changing-column-type"});
  CHECK(findings.at(0).severity == Severity::warning);
  CHECK(findings.at(0).detail ==
        "ALTER COLUMN name TYPE text rewrites users unless the column's current type converts "
        "without one (varchar to text, varchar(n) to a longer varchar, numeric to more "
        "precision at the same scale)");
}

TEST_CASE("lint locking: an exclusion constraint checks every row, with no online way",
          "[lint][lint_locking]") {
  std::vector<Finding> findings = lint_only(
      locking_rules(),
      "ALTER TABLE bookings ADD CONSTRAINT no_overlap EXCLUDE USING gist (room_id WITH =, "
      "during WITH &&);");
  CHECK(rule_names(findings) == Names{"adding-exclusion-constraint"});
  CHECK(findings.at(0).severity == Severity::error);
  CHECK(findings.at(0).detail ==
        "EXCLUDE no_overlap builds its index and checks every row of bookings under an ACCESS "
        "EXCLUSIVE lock");
  // Its only safe place: the table's creation.
  CHECK(lint_only(locking_rules(),
                  "CREATE TABLE bookings (room_id int, during tstzrange);\n"
                  "ALTER TABLE bookings ADD CONSTRAINT no_overlap EXCLUDE USING gist "
                  "(room_id WITH =, during WITH &&);")
            .empty());
}

TEST_CASE("lint locking: tables no deployed code uses yet are exempt from every rule",
          "[lint][lint_locking]") {
  std::string_view changes =
      "ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();\n"
      "ALTER TABLE users ADD COLUMN total int GENERATED ALWAYS AS (1) STORED;\n"
      "ALTER TABLE users ADD COLUMN number bigserial;\n"
      "ALTER TABLE users ADD COLUMN active boolean NOT NULL;\n"
      "ALTER TABLE users ALTER COLUMN email SET NOT NULL;\n"
      "ALTER TABLE users ADD COLUMN org_id bigint REFERENCES orgs (id) UNIQUE;\n"
      "ALTER TABLE users ADD CONSTRAINT users_org_fk FOREIGN KEY (org_id) REFERENCES orgs (id);\n"
      "ALTER TABLE users ADD CONSTRAINT c CHECK (email <> '') NOT VALID;\n"
      "ALTER TABLE users VALIDATE CONSTRAINT c;\n"
      "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);\n"
      "ALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY (id);\n"
      "ALTER TABLE users ALTER COLUMN id TYPE bigint;\n"
      "ALTER TABLE users ADD CONSTRAINT x EXCLUDE USING gist (during WITH &&);";
  std::vector<Finding> findings = lint_only(locking_rules(), changes);
  CHECK(findings.size() == 14);  // every rule at least once on an existing table

  // Created earlier in this migration.
  CHECK(lint_only(locking_rules(), "CREATE TABLE users (id int, email text, during tstzrange);\n" +
                                       std::string(changes))
            .empty());
  // Created by a migration not yet on upstream (the schema does not matter).
  CHECK(lint_only(locking_rules(), changes, true, new_table("users")).empty());
  // A new table's foreign key to an existing one: NOT VALID would take the same lock on the
  // referenced table, and there are no rows to check.
  CHECK(lint_only(locking_rules(),
                  "ALTER TABLE users ADD CONSTRAINT users_org_fk FOREIGN KEY (org_id) "
                  "REFERENCES orgs (id);",
                  true, new_table("users"))
            .empty());
}
