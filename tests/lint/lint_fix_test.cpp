// --fix's text edits on migration files, on PostgreSQL's parse trees: what it writes, what it
// leaves to a person, and that the fixed file lints clean of what it fixed.
#include <catch2/catch.hpp>

#include "db/engine.hpp"
#include "lint/lint_fix.hpp"
#include "migration/migration_parser.hpp"
#include "migration/migration_writer.hpp"
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
  return fix_migration(postgres(), parsed(text), text, findings_of(text), /*may_follow=*/true);
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

TEST_CASE("lint fix: CONCURRENTLY beside statements that need the transaction moves out",
          "[lint]") {
  std::string text =
      "-- Index.\n-- migrate:up\nCREATE TABLE audit (id bigint);\n"
      "CREATE INDEX CONCURRENTLY users_email ON app.users (email);\n"
      "-- migrate:down\nDROP INDEX app.users_email;\nDROP TABLE audit;\n";
  LintFix fix = fixed(text);
  CHECK(fix.text ==
        "-- Index.\n-- migrate:up\nCREATE TABLE audit (id bigint);\n"
        "-- migrate:down\nDROP TABLE audit;\n");
  REQUIRE(fix.follow_up);
  CHECK(fix.follow_up->up ==
        std::vector<std::string>{"CREATE INDEX CONCURRENTLY users_email ON app.users (email);"});
  // The down section's DROP moved with it, CONCURRENTLY: the follow-up's down runs first.
  CHECK(fix.follow_up->down ==
        std::vector<std::string>{"DROP INDEX CONCURRENTLY IF EXISTS app.users_email;"});
  CHECK_FALSE(fix.follow_up->transaction);
  CHECK_FALSE(fix.follow_up->down_transaction);
  CHECK(fix.follow_up->what == "concurrently");
  REQUIRE(fix.done.size() == 1);
  CHECK_THAT(fix.done[0], Contains("line 4: moved to a new migration after this one"));
  CHECK(fix.not_done.empty());
  CHECK(rule_names(findings_of(fix.text)).empty());

  SECTION("the new migration runs it outside a transaction, after this one, and lints clean") {
    Migration next =
        follow_up_migration(parsed(text), *fix.follow_up, *MigrationId::from_digits("2"));
    std::string written = write_migration(next);
    CHECK(written ==
          "-- Split from 1_m by migrate-lint --fix.\n--\n"
          "-- CONCURRENTLY cannot run inside a transaction: each statement here\n"
          "-- runs on its own.\n-- depends: 1_m\n-- migrate:up transaction:false\n"
          "CREATE INDEX CONCURRENTLY users_email ON app.users (email);\n\n"
          "-- migrate:down transaction:false\n"
          "DROP INDEX CONCURRENTLY IF EXISTS app.users_email;\n");
    Migration read = parse_migration({next.id, "m_concurrently"}, "2_m_concurrently.sql", written);
    CHECK(read.stem() == "2_m_concurrently");
    REQUIRE(read.depends);
    CHECK(read.depends->front().id == *MigrationId::from_digits("1"));
    CHECK(read.reversible());
    CHECK(rule_names(findings_of(written)).empty());
  }
}

TEST_CASE("lint fix: a DROP INDEX CONCURRENTLY moves out with the CREATE that undoes it",
          "[lint]") {
  std::string text =
      "-- Drop.\n-- migrate:up\nALTER TABLE users DROP COLUMN IF EXISTS legacy;\n"
      "DROP INDEX CONCURRENTLY IF EXISTS users_legacy; DROP INDEX CONCURRENTLY IF EXISTS "
      "users_old;\n"
      "-- migrate:down\nALTER TABLE users ADD COLUMN IF NOT EXISTS legacy text;\n"
      "CREATE INDEX CONCURRENTLY IF NOT EXISTS users_legacy ON users (legacy);\n";
  LintFix fix = fixed(text);
  CHECK(fix.text ==
        "-- Drop.\n-- migrate:up\nALTER TABLE users DROP COLUMN IF EXISTS legacy;\n"
        "-- migrate:down\nALTER TABLE users ADD COLUMN IF NOT EXISTS legacy text;\n");
  REQUIRE(fix.follow_up);
  CHECK(fix.follow_up->up ==
        std::vector<std::string>{"DROP INDEX CONCURRENTLY IF EXISTS users_legacy;",
                                 "DROP INDEX CONCURRENTLY IF EXISTS users_old;"});
  // users_old has nothing in the down section to bring it back, as before the move.
  CHECK(fix.follow_up->down ==
        std::vector<std::string>{
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS users_legacy ON users (legacy);"});
  CHECK(fix.done.size() == 2);
}

TEST_CASE("lint fix: what cannot move is left, with the way", "[lint]") {
  SECTION("an index without a name: its DROP could not name it") {
    std::string text =
        "-- Index.\n-- migrate:up\nCREATE TABLE audit (id bigint);\n"
        "CREATE INDEX CONCURRENTLY ON users (email);\n";
    LintFix fix = fixed(text);
    CHECK(fix.text == text);
    CHECK_FALSE(fix.follow_up);
    REQUIRE(fix.not_done.size() == 1);
    CHECK_THAT(fix.not_done[0], Contains("line 4: CONCURRENTLY shares its section"));
    CHECK_THAT(fix.not_done[0], Contains("name it"));
  }
  SECTION("no new migration may follow (a dbmate folder's migration that is not the last)") {
    std::string text =
        "-- migrate:up\nCREATE TABLE audit (id bigint);\n"
        "CREATE INDEX CONCURRENTLY users_email ON users (email);\n";
    Migration migration = parsed(text);
    migration.format = MigrationFormat::dbmate;
    LintFix fix = fix_migration(postgres(), migration, text, findings_of(text), false);
    CHECK(fix.text == text);
    CHECK_FALSE(fix.follow_up);
    REQUIRE(fix.not_done.size() == 1);
    CHECK_THAT(fix.not_done[0], Contains("line 3: CONCURRENTLY shares its section"));
  }
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

TEST_CASE("lint fix: a foreign key in a transactional section is validated in a new migration",
          "[lint]") {
  std::string text =
      "-- FK.\n-- migrate:up\nALTER TABLE accounts ADD CONSTRAINT accounts_owner_fk FOREIGN "
      "KEY (owner_id) REFERENCES users (id);\n"
      "-- migrate:down\nALTER TABLE accounts DROP CONSTRAINT accounts_owner_fk;\n";
  LintFix fix = fixed(text);
  CHECK(fix.text ==
        "-- FK.\n-- migrate:up\nALTER TABLE accounts ADD CONSTRAINT accounts_owner_fk FOREIGN "
        "KEY (owner_id) REFERENCES users (id) NOT VALID;\n"
        "-- migrate:down\nALTER TABLE accounts DROP CONSTRAINT accounts_owner_fk;\n");
  REQUIRE(fix.follow_up);
  CHECK(fix.follow_up->up ==
        std::vector<std::string>{"ALTER TABLE accounts VALIDATE CONSTRAINT accounts_owner_fk;"});
  CHECK(fix.follow_up->transaction);
  CHECK(fix.follow_up->what == "validate");
  REQUIRE(fix.done.size() == 1);
  CHECK_THAT(fix.done[0], Contains("line 3: NOT VALID, then VALIDATE CONSTRAINT "
                                   "accounts_owner_fk in a new migration after this one"));
  std::vector<std::string> left = rule_names(findings_of(fix.text));
  CHECK(std::count(left.begin(), left.end(), "adding-foreign-key-constraint") == 0);
  CHECK(std::count(left.begin(), left.end(), "constraint-missing-not-valid") == 0);

  // VALIDATE changes no definition: the new migration's down has nothing to undo, and says so,
  // yet a downgrade may pass through it.
  Migration next =
      follow_up_migration(parsed(text), *fix.follow_up, *MigrationId::from_digits("2"));
  CHECK(next.stem() == "2_m_validate");
  Migration read =
      parse_migration({next.id, "m_validate"}, "2_m_validate.sql", write_migration(next));
  CHECK(read.up.options.transaction);
  CHECK(read.reversible());
  CHECK(rule_names(findings_of(write_migration(next))).empty());
}

TEST_CASE("lint fix: what --fix must not break", "[lint]") {
  SECTION("a constraint inside a BEGIN block: VALIDATE leaves its transaction too") {
    std::string text =
        "-- FK.\n-- migrate:up transaction:false\nBEGIN;\n"
        "ALTER TABLE users ADD CONSTRAINT c4 CHECK (id > 4);\nCOMMIT;\n";
    LintFix fix = fixed(text);
    CHECK(fix.text ==
          "-- FK.\n-- migrate:up transaction:false\nBEGIN;\n"
          "ALTER TABLE users ADD CONSTRAINT c4 CHECK (id > 4) NOT VALID;\nCOMMIT;\n");
    REQUIRE(fix.follow_up);
    CHECK(fix.follow_up->up ==
          std::vector<std::string>{"ALTER TABLE users VALIDATE CONSTRAINT c4;"});
  }
  SECTION("an unnamed constraint is left: VALIDATE must name it") {
    std::string text = "-- FK.\n-- migrate:up\nALTER TABLE users ADD CHECK (id > 4);\n";
    LintFix fix = fixed(text);
    CHECK(fix.text == text);
    CHECK_FALSE(fix.follow_up);
    REQUIRE(fix.not_done.size() == 1);
    CHECK_THAT(fix.not_done[0], Contains("line 3: add the constraint NOT VALID"));
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
  SECTION("SET LOCAL needs the transaction: the section keeps it, the index moves out") {
    std::string text =
        "-- Index.\n-- migrate:up\nSET LOCAL lock_timeout = '2s';\n"
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON users (email);\n";
    LintFix fix = fixed(text);
    CHECK(fix.text == "-- Index.\n-- migrate:up\nSET LOCAL lock_timeout = '2s';\n");
    REQUIRE(fix.follow_up);
    CHECK(fix.follow_up->down == std::vector<std::string>{"DROP INDEX CONCURRENTLY IF EXISTS i;"});
  }
  SECTION("a statement that shares its line keeps the line's other statement, CRLF kept") {
    std::string text =
        "-- Index.\r\n-- migrate:up\r\nCREATE TABLE t (id int); CREATE INDEX CONCURRENTLY i "
        "ON users (email);\r\n-- migrate:down\r\nDROP TABLE t;\r\n";
    LintFix fix = fixed(text);
    CHECK(fix.text ==
          "-- Index.\r\n-- migrate:up\r\nCREATE TABLE t (id int); \r\n-- migrate:down\r\n"
          "DROP TABLE t;\r\n");
  }
}

TEST_CASE("lint fix: only what ends the section moves, so nothing runs out of its order",
          "[lint]") {
  // The constraint is made from the index: moved after it, the index would not exist yet.
  std::string text =
      "-- Unique.\n-- migrate:up\nCREATE TABLE audit (id bigint);\n"
      "CREATE UNIQUE INDEX CONCURRENTLY accounts_u ON accounts (owner_id);\n"
      "ALTER TABLE accounts ADD CONSTRAINT accounts_k UNIQUE USING INDEX accounts_u;\n";
  LintFix fix = fixed(text);
  CHECK(fix.text == text);
  CHECK_FALSE(fix.follow_up);
  REQUIRE(fix.not_done.size() == 1);
  CHECK_THAT(fix.not_done[0], Contains("line 4: CONCURRENTLY shares its section") &&
                                  Contains("line 5 after it stays, and would then run before "
                                           "it: put it last in the section"));

  SECTION("settings after it do not hold it back") {
    std::string last =
        "-- Index.\n-- migrate:up\nCREATE TABLE audit (id bigint);\n"
        "CREATE INDEX CONCURRENTLY a_i ON accounts (owner_id);\nRESET lock_timeout;\n";
    LintFix moved = fixed(last);
    REQUIRE(moved.follow_up);
    CHECK(moved.follow_up->up ==
          std::vector<std::string>{"CREATE INDEX CONCURRENTLY a_i ON accounts (owner_id);"});
  }
}

TEST_CASE("lint fix: the down statement that moves is the one for this index", "[lint]") {
  SECTION("schema-qualified: the drop in the table's schema, not another's") {
    std::string text =
        "-- Index.\n-- migrate:up\nCREATE TABLE s1.audit (id bigint);\n"
        "CREATE INDEX CONCURRENTLY t_id ON s1.t (id);\n"
        "-- migrate:down\nDROP INDEX s2.t_id;\nDROP INDEX s1.t_id;\nDROP TABLE s1.audit;\n";
    LintFix fix = fixed(text);
    CHECK(fix.text ==
          "-- Index.\n-- migrate:up\nCREATE TABLE s1.audit (id bigint);\n"
          "-- migrate:down\nDROP INDEX s2.t_id;\nDROP TABLE s1.audit;\n");
    REQUIRE(fix.follow_up);
    CHECK(fix.follow_up->down ==
          std::vector<std::string>{"DROP INDEX CONCURRENTLY IF EXISTS s1.t_id;"});
  }
  SECTION("a DROP that names it with others is left, and the index with it") {
    std::string text =
        "-- Index.\n-- migrate:up\nCREATE TABLE audit (id bigint);\n"
        "CREATE INDEX CONCURRENTLY a_owner ON accounts (owner_id);\n"
        "-- migrate:down\nDROP INDEX a_owner, a_id;\nDROP TABLE audit;\n";
    LintFix fix = fixed(text);
    CHECK(fix.text == text);
    REQUIRE(fix.not_done.size() == 1);
    CHECK_THAT(fix.not_done[0], Contains("the down section's DROP INDEX at line 6 names a_owner "
                                         "with other indexes: give it a DROP of its own"));
  }
  SECTION("CASCADE is kept as written, and CONCURRENTLY read from the statement, any case") {
    std::string text =
        "-- Index.\n-- migrate:up\nCREATE TABLE audit (id bigint);\n"
        "create index concurrently a_owner on accounts (owner_id);\n"
        "drop index concurrently a_old;\n"
        "-- migrate:down transaction:false\ncreate index concurrently a_old on accounts (x);\n"
        "DROP INDEX a_owner CASCADE;\nDROP TABLE audit;\n";
    LintFix fix = fixed(text);
    REQUIRE(fix.follow_up);
    CHECK(fix.follow_up->down ==
          std::vector<std::string>{"create index concurrently a_old on accounts (x);",
                                   "DROP INDEX a_owner CASCADE;"});
    CHECK_FALSE(fix.follow_up->down_transaction);
  }
}

TEST_CASE("lint fix: text edits that statements sharing lines and comments do not break",
          "[lint]") {
  SECTION("two statements on a line, the second over two lines, both moved") {
    std::string text =
        "-- Index.\n-- migrate:up\nCREATE TABLE audit (id bigint);\n"
        "CREATE INDEX CONCURRENTLY a_owner ON accounts (owner_id); CREATE INDEX CONCURRENTLY a_id\n"
        "  ON accounts (id);\n-- migrate:down\nDROP TABLE audit;\n";
    LintFix fix = fixed(text);
    CHECK(fix.text ==
          "-- Index.\n-- migrate:up\nCREATE TABLE audit (id bigint);\n-- migrate:down\n"
          "DROP TABLE audit;\n");
    REQUIRE(fix.follow_up);
    CHECK(fix.follow_up->up ==
          std::vector<std::string>{"CREATE INDEX CONCURRENTLY a_owner ON accounts (owner_id);",
                                   "CREATE INDEX CONCURRENTLY a_id\n  ON accounts (id);"});
  }
  SECTION("NOT VALID after a comment that ends the statement goes on a line of its own") {
    std::string text =
        "-- FK.\n-- migrate:up\nALTER TABLE accounts ADD CONSTRAINT a_fk FOREIGN KEY (owner_id) "
        "REFERENCES users (id) -- the owner\n";
    LintFix fix = fixed(text);
    CHECK(fix.text ==
          "-- FK.\n-- migrate:up\nALTER TABLE accounts ADD CONSTRAINT a_fk FOREIGN KEY (owner_id) "
          "REFERENCES users (id) -- the owner\nNOT VALID;\n");
    std::vector<std::string> left = rule_names(findings_of(fix.text));
    CHECK(std::count(left.begin(), left.end(), "constraint-missing-not-valid") == 0);
  }
  SECTION("a REINDEX moves under the section's settings, its migration named for it") {
    std::string text =
        "-- Reindex.\n-- migrate:up\nSET statement_timeout = '1h';\nSET LOCAL lock_timeout = "
        "'2s';\nCREATE TABLE audit (id bigint);\nREINDEX INDEX CONCURRENTLY users_email;\n";
    LintFix fix = fixed(text);
    REQUIRE(fix.follow_up);
    CHECK(fix.follow_up->up == std::vector<std::string>{"SET statement_timeout = '1h';",
                                                        "REINDEX INDEX CONCURRENTLY users_email;"});
    CHECK(fix.follow_up->what == "reindex");
    Migration next =
        follow_up_migration(parsed(text), *fix.follow_up, *MigrationId::from_digits("2"));
    CHECK(next.reversible());
    CHECK(rule_names(findings_of(write_migration(next))).empty());
  }
}

TEST_CASE("lint fix: a plain CREATE or DROP INDEX on a table that exists gets CONCURRENTLY",
          "[lint]") {
  SECTION("alone in its section: written in, and the section leaves the transaction") {
    std::string text =
        "-- Index.\n-- migrate:up\nSET lock_timeout = '2s';\n"
        "create unique index users_email ON users (email);\n"
        "-- migrate:down\nDROP INDEX users_email;\n";
    LintFix fix = fixed(text);
    CHECK(fix.text ==
          "-- Index.\n-- migrate:up transaction:false\nSET lock_timeout = '2s';\n"
          "create unique index CONCURRENTLY users_email ON users (email);\n"
          "-- migrate:down\nDROP INDEX users_email;\n");
    CHECK(rule_names(findings_of(fix.text)).empty());
  }
  SECTION("after statements that need the transaction: moved out with it") {
    std::string text =
        "-- Index.\n-- migrate:up\nCREATE TABLE audit (id bigint);\n"
        "CREATE INDEX users_email ON users (email);\nDROP INDEX users_old;\n"
        "-- migrate:down\nCREATE INDEX users_old ON users (old);\nDROP INDEX users_email;\n"
        "DROP TABLE audit;\n";
    LintFix fix = fixed(text);
    CHECK(fix.text ==
          "-- Index.\n-- migrate:up\nCREATE TABLE audit (id bigint);\n-- migrate:down\n"
          "DROP TABLE audit;\n");
    REQUIRE(fix.follow_up);
    CHECK(fix.follow_up->up ==
          std::vector<std::string>{"CREATE INDEX CONCURRENTLY users_email ON users (email);",
                                   "DROP INDEX CONCURRENTLY users_old;"});
    CHECK(fix.follow_up->down ==
          std::vector<std::string>{"CREATE INDEX users_old ON users (old);",
                                   "DROP INDEX CONCURRENTLY IF EXISTS users_email;"});
    CHECK(rule_names(findings_of(fix.text)).empty());
  }
  SECTION("the hazard migrate-create wrote above it goes with it: settled") {
    std::string text =
        "-- Index.\n-- migrate:up\nCREATE TABLE audit (id bigint);\n\n"
        "-- hazard: locks-table: CREATE INDEX blocks writes to public.users; for a large "
        "table, …\nCREATE INDEX users_email ON public.users USING btree (email);\n"
        "\n-- migrate:down\nDROP TABLE audit;\n";
    LintFix fix = fixed(text);
    CHECK(fix.text ==
          "-- Index.\n-- migrate:up\nCREATE TABLE audit (id bigint);\n\n\n-- migrate:down\n"
          "DROP TABLE audit;\n");
  }
  SECTION("in a transaction:false section: written in where it is") {
    std::string text =
        "-- Index.\n-- migrate:up transaction:false\nCREATE INDEX IF NOT EXISTS users_email ON "
        "users (email);\n";
    LintFix fix = fixed(text);
    CHECK(fix.text ==
          "-- Index.\n-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY IF NOT EXISTS "
          "users_email ON users (email);\n");
    REQUIRE(fix.done.size() == 1);
    CHECK_THAT(fix.done[0], Contains("line 3: CONCURRENTLY"));
  }
  SECTION("a comment between the keywords: said, not guessed") {
    std::string text =
        "-- Index.\n-- migrate:up transaction:false\nCREATE /* hot */ INDEX i ON users (email);\n";
    LintFix fix = fixed(text);
    CHECK(fix.text == text);
    REQUIRE(fix.not_done.size() == 1);
    CHECK_THAT(fix.not_done[0], Contains("line 3: write CONCURRENTLY after INDEX"));
  }
}

TEST_CASE("lint fix: what CONCURRENTLY cannot do, and comments at a statement's end", "[lint]") {
  SECTION("DROP INDEX … CASCADE has no CONCURRENTLY form: left, the finding stays") {
    std::string text =
        "-- Drop.\n-- migrate:up\nSET lock_timeout = '2s';\nDROP INDEX IF EXISTS old_idx "
        "CASCADE;\n";
    LintFix fix = fixed(text);
    CHECK(fix.text == text);
    CHECK_FALSE(fix.follow_up);
    std::vector<std::string> left = rule_names(findings_of(fix.text));
    CHECK(std::count(left.begin(), left.end(), "require-concurrent-index-deletion") == 1);
  }
  SECTION("a moved statement that ends with a comment gets its semicolon on a line after it") {
    std::string text =
        "-- Index.\n-- migrate:up\nCREATE TABLE audit (id bigint);\n"
        "CREATE INDEX c_idx ON users (c) -- lookups\n;\nCREATE INDEX a_idx ON users (a);\n";
    LintFix fix = fixed(text);
    REQUIRE(fix.follow_up);
    CHECK(fix.follow_up->up ==
          std::vector<std::string>{"CREATE INDEX CONCURRENTLY c_idx ON users (c) -- lookups\n;",
                                   "CREATE INDEX CONCURRENTLY a_idx ON users (a);"});
    Migration next =
        follow_up_migration(parsed(text), *fix.follow_up, *MigrationId::from_digits("2"));
    std::vector<std::string> left = rule_names(findings_of(write_migration(next)));
    CHECK(std::count(left.begin(), left.end(), "ban-concurrent-index-creation-in-transaction") ==
          0);  // it parses, as two statements
  }
}

TEST_CASE("lint fix: the new migration's settings, and a down that says why it does nothing",
          "[lint]") {
  SECTION("a SET after an earlier constraint, before the moved index, is copied") {
    std::string text =
        "-- Both.\n-- migrate:up\nCREATE TABLE audit (id bigint);\n"
        "ALTER TABLE accounts ADD CONSTRAINT a_fk FOREIGN KEY (owner_id) REFERENCES users (id);\n"
        "SET statement_timeout = '1h';\nCREATE INDEX CONCURRENTLY a_i ON accounts (owner_id);\n"
        "SET statement_timeout = '1min';\n";
    LintFix fix = fixed(text);
    REQUIRE(fix.follow_up);
    CHECK(fix.follow_up->up ==
          std::vector<std::string>{"SET statement_timeout = '1h';",
                                   "ALTER TABLE accounts VALIDATE CONSTRAINT a_fk;",
                                   "CREATE INDEX CONCURRENTLY a_i ON accounts (owner_id);"});
  }
  SECTION("a moved DROP INDEX its migration's down did not recreate") {
    std::string text =
        "-- Drop.\n-- migrate:up\nCREATE TABLE audit (id bigint);\n"
        "DROP INDEX CONCURRENTLY IF EXISTS users_old;\n-- migrate:down\nDROP TABLE audit;\n";
    LintFix fix = fixed(text);
    REQUIRE(fix.follow_up);
    CHECK(fix.follow_up->down ==
          std::vector<std::string>{"-- Nothing to undo:\n-- the index dropped here, 1_m's down "
                                   "section did not recreate either.\nSELECT 1;"});
  }
  SECTION("the hazard above an index written CONCURRENTLY in place goes too") {
    std::string text =
        "-- Index.\n-- migrate:up\n-- hazard: locks-table: CREATE INDEX blocks writes to "
        "public.users; …\nCREATE INDEX users_email ON public.users USING btree (email);\n";
    LintFix fix = fixed(text);
    CHECK(fix.text ==
          "-- Index.\n-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY users_email ON "
          "public.users USING btree (email);\n");
  }
}
