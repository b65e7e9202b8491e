#include "lint/rules_sqlite.hpp"

#include <array>

namespace migrate {

namespace {

constexpr std::array<RuleInfo, 6> kRules = {{
    {"sqlite-rebuild-with-foreign-keys", Severity::error,
     "a table rebuild drops a referenced table while foreign keys are enforced",
     "With foreign keys on, DROP TABLE first deletes every row, as DELETE would: the rows of "
     "the tables whose foreign keys reference it are deleted too (ON DELETE CASCADE) or changed "
     "(SET NULL, SET DEFAULT), or the migration fails (NO ACTION, RESTRICT). The rebuild "
     "copied the table's own rows, not theirs.",
     "Let migrate switch foreign keys off around the section (SQLite can only switch them "
     "outside a transaction); it checks them before the commit:\n"
     "-- migrate:up foreign_keys:off\n"
     "CREATE TABLE users_new (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n"
     "INSERT INTO users_new (id, email) SELECT id, email FROM users;\n"
     "DROP TABLE users;\n"
     "ALTER TABLE users_new RENAME TO users;"},
    {"sqlite-foreign-keys-pragma-in-transaction", Severity::warning,
     "PRAGMA foreign_keys inside a transaction does nothing",
     "SQLite ignores PRAGMA foreign_keys while a transaction is open, and migrate runs the "
     "section in one: foreign keys stay as they were, and a rebuild that counted on them being "
     "off cascades.",
     "Drop the PRAGMA and give the section the option that switches them around the "
     "transaction:\n"
     "-- migrate:up foreign_keys:off"},
    {"sqlite-drop-column-in-use", Severity::error,
     "DROP COLUMN of a column that an index, a foreign key, a trigger or a view uses",
     "SQLite refuses to drop a column an index, a foreign key or a view uses, and drops one "
     "that another table's foreign key or trigger uses, leaving them broken: every later "
     "write that fires them fails.",
     "Drop or change what uses the column first, in the same migration:\n"
     "DROP INDEX users_email_idx;\n"
     "DROP VIEW active_users;  -- and CREATE VIEW it again without the column\n"
     "ALTER TABLE users DROP COLUMN email;\n"
     "A column in a foreign key needs a rebuild of its table (-- migrate:up foreign_keys:off)."},
    {"sqlite-add-column-needs-empty-table", Severity::error,
     "ADD COLUMN that SQLite refuses on a table with rows",
     "SQLite adds a NOT NULL column without a default, or one whose default is not a constant "
     "(CURRENT_TIMESTAMP, an expression in parentheses), only to an empty table: the migration "
     "passes on a fresh database and fails in production.",
     "Give the column a constant default, or add it nullable and fill it:\n"
     "ALTER TABLE users ADD COLUMN plan TEXT NOT NULL DEFAULT 'free';\n"
     "ALTER TABLE users ADD COLUMN created_at TEXT;\n"
     "UPDATE users SET created_at = CURRENT_TIMESTAMP;\n"
     "(A NOT NULL column without a default needs a rebuild: -- migrate:up foreign_keys:off)"},
    {"sqlite-rename-breaks-dependents", Severity::error,
     "a rename leaves a view or trigger that no longer compiles",
     "SQLite rewrites the views and triggers that name a renamed table or column, so renaming "
     "a table out of the way and dropping it (the other way of a rebuild) takes them along; "
     "with legacy_alter_table they keep the old name. Every query of the view, every write "
     "that fires the trigger then fails.",
     "Rebuild as sqlite.org says, creating the new table under a new name and renaming it "
     "into place, and make the views and triggers again after:\n"
     "-- migrate:up foreign_keys:off\n"
     "CREATE TABLE users_new (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n"
     "INSERT INTO users_new (id, email) SELECT id, email FROM users;\n"
     "DROP VIEW active_users;\n"
     "DROP TABLE users;\n"
     "ALTER TABLE users_new RENAME TO users;\n"
     "CREATE VIEW active_users AS SELECT id, email FROM users;"},
    {"sqlite-refused-statement", Severity::error,
     "SQLite refuses this statement after the migrations before it",
     "Run on a database holding the schema the migrations before it leave, SQLite refuses the "
     "statement: the migration fails when it runs.",
     "Make the statement fit the schema as the earlier migrations leave it (migrate-diff shows "
     "it), then lint again."},
}};

void check(const LintStatement& /*statement*/, const LintContext& /*context*/,
           std::vector<Finding>& /*findings*/) {
  // PostgreSQL's statements: none of these rules apply (sqlite_linter reports them).
}

}  // namespace

const RuleFamily& sqlite_rules() {
  static const RuleFamily kFamily{"sqlite", kRules, check};
  return kFamily;
}

const RuleInfo& sqlite_rule(SqliteRule rule) {
  return kRules[static_cast<std::size_t>(rule)];
}

}  // namespace migrate
