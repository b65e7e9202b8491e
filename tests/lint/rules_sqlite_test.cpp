// SQLite's rules: each section runs on an in-memory database holding what the migrations before
// it made, and SQLite (its authorizer and catalog) says what each statement did.
#include <catch2/catch.hpp>

#include "db/connection.hpp"
#include "db/database_url.hpp"
#include "db/open_database.hpp"
#include "lint/linter.hpp"
#include "lint/rules_sqlite.hpp"
#include "lint/suppression.hpp"
#include "support/lint_sql.hpp"
#include "util/error.hpp"

using namespace migrate;
using namespace migrate::test;
using Catch::Contains;
using Names = std::vector<std::string>;

namespace {

/// users, and posts whose rows go with their user (ON DELETE CASCADE).
constexpr const char* kUsersPosts =
    "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n"
    "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id) ON "
    "DELETE CASCADE);\n";

/// sqlite.org's rebuild of users, which posts references.
constexpr const char* kRebuild =
    "CREATE TABLE users_new (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n"
    "INSERT INTO users_new (id, email) SELECT id, email FROM users;\n"
    "DROP TABLE users;\n"
    "ALTER TABLE users_new RENAME TO users;\n";

}  // namespace

TEST_CASE("sqlite: a rebuild of a referenced table with foreign keys on", "[lint][lint_sqlite]") {
  std::vector<Finding> findings = lint_sqlite(kUsersPosts, kRebuild);
  REQUIRE(rule_names(findings) == Names{"sqlite-rebuild-with-foreign-keys"});
  CHECK(findings[0].severity == Severity::error);
  CHECK(findings[0].line == 3);  // the DROP TABLE
  CHECK(findings[0].file == "m.sql");
  CHECK_THAT(findings[0].detail,
             Contains("DROP TABLE users") && Contains("posts.user_id (ON DELETE CASCADE)"));
}

TEST_CASE("sqlite: the rebuild in a foreign_keys:off section is safe", "[lint][lint_sqlite]") {
  CHECK(lint_sqlite(kUsersPosts, kRebuild, true, false).empty());
}

TEST_CASE("sqlite: the rebuild after PRAGMA foreign_keys = OFF outside a transaction",
          "[lint][lint_sqlite]") {
  std::string sql = std::string("PRAGMA foreign_keys = OFF;\n") + kRebuild;
  CHECK(lint_sqlite(kUsersPosts, sql, false).empty());
}

TEST_CASE("sqlite: the next section starts with foreign keys on again", "[lint][lint_sqlite]") {
  std::unique_ptr<Connection> database =
      open_database(parse_database_url("sqlite::memory:", "."), {});
  database->execute(kUsersPosts);
  LintContext context;
  CHECK(lint_section(database->dialect(),
                     {"a.sql", "PRAGMA foreign_keys = OFF;", 1, false, true, database.get()},
                     context)
            .empty());
  CHECK(rule_names(lint_section(database->dialect(),
                                {"b.sql", kRebuild, 1, true, true, database.get()}, context)) ==
        Names{"sqlite-rebuild-with-foreign-keys"});
}

TEST_CASE("sqlite: a rebuild of a table nothing references, or of a new one",
          "[lint][lint_sqlite]") {
  CHECK(lint_sqlite("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);", kRebuild).empty());
  LintContext context;
  context.add_new_table("", "users");
  context.add_new_table("", "posts");
  CHECK(lint_sqlite(kUsersPosts, kRebuild, true, true, context).empty());
}

TEST_CASE("sqlite: PRAGMA foreign_keys inside the section's transaction", "[lint][lint_sqlite]") {
  std::string sql = std::string("PRAGMA foreign_keys = OFF;\n") + kRebuild;
  std::vector<Finding> findings = lint_sqlite(kUsersPosts, sql);
  // It did nothing, so the rebuild still cascades: SQLite's own state says so.
  REQUIRE(rule_names(findings) ==
          Names{"sqlite-foreign-keys-pragma-in-transaction", "sqlite-rebuild-with-foreign-keys"});
  CHECK(findings[0].severity == Severity::warning);
  CHECK(findings[0].line == 1);
  CHECK_THAT(findings[0].detail, Contains("PRAGMA foreign_keys = OFF"));
  // Reading it changes nothing: no finding.
  CHECK(lint_sqlite("", "PRAGMA foreign_keys;").empty());
}

TEST_CASE("sqlite: DROP COLUMN of an indexed column, as SQLite refuses it", "[lint][lint_sqlite]") {
  std::vector<Finding> findings = lint_sqlite(
      "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n"
      "CREATE INDEX users_email ON users (email);",
      "-- the address goes\nALTER TABLE users DROP COLUMN email;");
  REQUIRE(rule_names(findings) == Names{"sqlite-drop-column-in-use"});
  CHECK(findings[0].severity == Severity::error);
  CHECK(findings[0].line == 2);
  CHECK_THAT(findings[0].detail,
             Contains("SQLite refuses to drop users.email") && Contains("users_email"));
}

TEST_CASE("sqlite: DROP COLUMN that a view uses", "[lint][lint_sqlite]") {
  std::vector<Finding> findings = lint_sqlite(
      "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n"
      "CREATE VIEW mailing AS SELECT email FROM users;",
      "ALTER TABLE users DROP COLUMN email;");
  CHECK(rule_names(findings) == Names{"sqlite-drop-column-in-use"});
}

TEST_CASE("sqlite: DROP COLUMN that another table's foreign key references",
          "[lint][lint_sqlite]") {
  // SQLite drops it, and the foreign key of posts is left pointing at nothing.
  std::vector<Finding> findings = lint_sqlite(
      "CREATE TABLE users (id INTEGER PRIMARY KEY, code TEXT);\n"
      "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_code TEXT REFERENCES users (code));",
      "ALTER TABLE users DROP COLUMN code;");
  REQUIRE(rule_names(findings) == Names{"sqlite-drop-column-in-use"});
  CHECK_THAT(findings[0].detail, Contains("users.code") && Contains("posts.user_code"));
}

TEST_CASE("sqlite: DROP COLUMN of a table's own foreign key column", "[lint][lint_sqlite]") {
  std::vector<Finding> findings = lint_sqlite(
      "CREATE TABLE users (id INTEGER PRIMARY KEY);\n"
      "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER, FOREIGN KEY (user_id) "
      "REFERENCES users (id));",
      "ALTER TABLE posts DROP COLUMN user_id;");
  REQUIRE(rule_names(findings) == Names{"sqlite-drop-column-in-use"});
  CHECK_THAT(findings[0].detail, Contains("SQLite refuses to drop posts.user_id"));
}

TEST_CASE("sqlite: DROP COLUMN that another table's trigger uses", "[lint][lint_sqlite]") {
  std::vector<Finding> findings = lint_sqlite(
      "CREATE TABLE users (id INTEGER PRIMARY KEY, seen TEXT);\n"
      "CREATE TABLE visits (id INTEGER PRIMARY KEY, user_id INTEGER);\n"
      "CREATE TRIGGER visit_seen AFTER INSERT ON visits BEGIN\n"
      "  UPDATE users SET seen = 'yes' WHERE id = NEW.user_id;\n"
      "END;",
      "ALTER TABLE users DROP COLUMN seen;");
  REQUIRE(rule_names(findings) == Names{"sqlite-drop-column-in-use"});
  CHECK_THAT(findings[0].detail,
             Contains("a trigger on visits no longer compiles") && Contains("seen"));
}

TEST_CASE("sqlite: DROP COLUMN of a column nothing uses", "[lint][lint_sqlite]") {
  CHECK(lint_sqlite("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n"
                    "CREATE INDEX users_id ON users (id);",
                    "ALTER TABLE users DROP COLUMN email;")
            .empty());
}

TEST_CASE("sqlite: ADD COLUMN that SQLite refuses once the table has rows", "[lint][lint_sqlite]") {
  const char* users = "CREATE TABLE users (id INTEGER PRIMARY KEY);";
  std::vector<Finding> required =
      lint_sqlite(users, "ALTER TABLE users ADD COLUMN plan TEXT NOT NULL;");
  REQUIRE(rule_names(required) == Names{"sqlite-add-column-needs-empty-table"});
  CHECK(required[0].severity == Severity::error);
  CHECK_THAT(required[0].detail, Contains("Cannot add a NOT NULL column with default value NULL"));
  std::vector<Finding> clock =
      lint_sqlite(users, "ALTER TABLE users ADD COLUMN created TEXT DEFAULT CURRENT_TIMESTAMP;");
  REQUIRE(rule_names(clock) == Names{"sqlite-add-column-needs-empty-table"});
  CHECK_THAT(clock[0].detail, Contains("non-constant default"));
  CHECK(rule_names(
            lint_sqlite(users, "ALTER TABLE users ADD COLUMN r INTEGER DEFAULT (random());")) ==
        Names{"sqlite-add-column-needs-empty-table"});
}

TEST_CASE("sqlite: ADD COLUMN with a constant default, nullable, or on a new table",
          "[lint][lint_sqlite]") {
  const char* users = "CREATE TABLE users (id INTEGER PRIMARY KEY);";
  CHECK(lint_sqlite(users, "ALTER TABLE users ADD COLUMN plan TEXT NOT NULL DEFAULT 'free';")
            .empty());
  CHECK(lint_sqlite(users, "ALTER TABLE users ADD COLUMN created TEXT;").empty());
  CHECK(lint_sqlite("",
                    "CREATE TABLE users (id INTEGER PRIMARY KEY);\n"
                    "ALTER TABLE users ADD COLUMN plan TEXT NOT NULL;")
            .empty());
}

TEST_CASE("sqlite: a statement SQLite refuses is a finding with its message",
          "[lint][lint_sqlite]") {
  // users has a row here: SQLite refuses the column on the development database itself.
  std::vector<Finding> findings = lint_sqlite(
      "CREATE TABLE users (id INTEGER PRIMARY KEY);\nINSERT INTO users VALUES (1);",
      "ALTER TABLE users ADD COLUMN plan TEXT NOT NULL;\nINSERT INTO nowhere VALUES (1);\n"
      "ALTER TABLE users ADD COLUMN note TEXT;");
  REQUIRE(rule_names(findings) == Names{"sqlite-refused-statement", "sqlite-refused-statement"});
  CHECK(findings[0].line == 1);
  CHECK_THAT(findings[0].detail, Contains("Cannot add a NOT NULL column with default value NULL"));
  CHECK(findings[1].line == 2);
  CHECK_THAT(findings[1].detail, Contains("no such table: nowhere"));
}

TEST_CASE("sqlite: SQL SQLite's parser refuses is unparsable input at its line, not a finding",
          "[lint][lint_sqlite][bad-input]") {
  for (const char* bad : {"CREAT TABLE t (x);", "CREATE TABLE t (x", "SELECT #;"}) {
    INFO(bad);
    try {
      lint_sqlite("", std::string("SELECT 1;\n") + bad);
      FAIL("no ParseError");
    } catch (const ParseError& e) {
      CHECK(e.exit_code() == ExitCode::bad_input);
      CHECK_THAT(e.what(), Contains("m.sql:2") && Contains("SQLite's own parser"));
    }
  }
}

TEST_CASE("sqlite: a deferred foreign key the COMMIT refuses", "[lint][lint_sqlite]") {
  std::vector<Finding> findings = lint_sqlite(
      "CREATE TABLE users (id INTEGER PRIMARY KEY);\n"
      "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id) "
      "DEFERRABLE INITIALLY DEFERRED);",
      "INSERT INTO posts (user_id) VALUES (7);\nSELECT 1;");
  REQUIRE(rule_names(findings) == Names{"sqlite-refused-statement"});
  CHECK(findings[0].line == 2);
  CHECK_THAT(findings[0].detail, Contains("at COMMIT") && Contains("FOREIGN KEY"));
}

TEST_CASE("sqlite: renaming a table out of the way takes its view along", "[lint][lint_sqlite]") {
  std::vector<Finding> findings = lint_sqlite(
      "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n"
      "CREATE VIEW mailing AS SELECT email FROM users;",
      "ALTER TABLE users RENAME TO users_old;\n"
      "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n"
      "INSERT INTO users SELECT * FROM users_old;\n"
      "DROP TABLE users_old;",
      true, false);
  REQUIRE(rule_names(findings) == Names{"sqlite-rename-breaks-dependents"});
  CHECK(findings[0].line == 1);
  CHECK_THAT(findings[0].detail,
             Contains("view mailing") && Contains("users_old") && Contains("dropped at line 4"));
}

TEST_CASE("sqlite: a legacy rename leaves the view on the old name", "[lint][lint_sqlite]") {
  std::vector<Finding> findings = lint_sqlite(
      "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n"
      "CREATE VIEW mailing AS SELECT email FROM users;",
      "PRAGMA legacy_alter_table = ON;\nALTER TABLE users RENAME TO people;");
  REQUIRE(rule_names(findings) == Names{"sqlite-rename-breaks-dependents"});
  CHECK(findings[0].line == 2);
  CHECK_THAT(findings[0].detail, Contains("after renaming users to people, view mailing"));
}

TEST_CASE("sqlite: a rename SQLite carries into the views and triggers", "[lint][lint_sqlite]") {
  CHECK(lint_sqlite("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n"
                    "CREATE VIEW mailing AS SELECT email FROM users;\n"
                    "CREATE TABLE visits (id INTEGER PRIMARY KEY);\n"
                    "CREATE TRIGGER seen AFTER INSERT ON visits BEGIN UPDATE users SET email = "
                    "'x'; END;",
                    "ALTER TABLE users RENAME COLUMN email TO mail;\n"
                    "ALTER TABLE users RENAME TO people;")
            .empty());
}

namespace {

/// The findings left of `section` (an up section, after `before`) once the file's suppressions
/// apply: the file is "-- migrate:up" and the section, as lint_migrations reads it.
std::vector<Finding> suppressed(const char* before, const std::string& section) {
  std::vector<Finding> findings = lint_sqlite(before, section);
  for (Finding& finding : findings) {
    finding.line += 1;  // the section starts on the file's second line
  }
  std::string file = "-- migrate:up\n" + section;
  return apply_suppressions(findings, read_suppressions(file, 1), file, "m.sql");
}

std::string ignore(const char* rule) {
  return std::string("-- migrate:lint ignore=") + rule + " reason=\"checked by hand\"\n";
}

}  // namespace

TEST_CASE("sqlite: each rule's finding is suppressed with a reason", "[lint][lint_sqlite]") {
  const char* users = "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n";
  CHECK(suppressed(kUsersPosts,
                   "CREATE TABLE users_new (id INTEGER PRIMARY KEY, email TEXT);\n"
                   "INSERT INTO users_new SELECT id, email FROM users;\n" +
                       ignore("sqlite-rebuild-with-foreign-keys") +
                       "DROP TABLE users;\nALTER TABLE users_new RENAME TO users;\n")
            .empty());
  CHECK(suppressed(users, ignore("sqlite-foreign-keys-pragma-in-transaction") +
                              "PRAGMA foreign_keys = OFF;")
            .empty());
  CHECK(suppressed("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n"
                   "CREATE INDEX users_email ON users (email);",
                   ignore("sqlite-drop-column-in-use") + "ALTER TABLE users DROP COLUMN email;")
            .empty());
  CHECK(suppressed(users, ignore("sqlite-add-column-needs-empty-table") +
                              "ALTER TABLE users ADD COLUMN plan TEXT NOT NULL;")
            .empty());
  CHECK(suppressed("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n"
                   "CREATE VIEW mailing AS SELECT email FROM users;",
                   "PRAGMA legacy_alter_table = ON;\n" + ignore("sqlite-rename-breaks-dependents") +
                       "ALTER TABLE users RENAME TO people;")
            .empty());
  CHECK(suppressed(users, ignore("sqlite-refused-statement") + "SELECT * FROM nowhere;").empty());
  // Without a reason it silences nothing, and says so.
  CHECK(rule_names(suppressed(users,
                              "-- migrate:lint ignore=sqlite-refused-statement\n"
                              "SELECT * FROM nowhere;")) ==
        Names{"ignore-without-reason", "sqlite-refused-statement"});
}

TEST_CASE("sqlite: the rules are listed, and say nothing of PostgreSQL's statements",
          "[lint][lint_sqlite]") {
  CHECK(find_rule("sqlite-rebuild-with-foreign-keys") ==
        &sqlite_rule(SqliteRule::rebuild_with_foreign_keys));
  CHECK(rule_names(lint_only(sqlite_rules(), "DROP TABLE users; ALTER TABLE t DROP COLUMN c;"))
            .empty());
}
