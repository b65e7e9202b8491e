#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "schema/schema_model.hpp"
#include "schema/schema_renames.hpp"

namespace migrate {

/// One change a generated migration makes, for people: "add column users.phone", with the
/// hazard it carries, if any ("deletes-data: drops column users.phone").
struct SchemaChange {
  std::string description;
  std::string hazard;  ///< "<kind>: <what>", kinds: deletes-data, rewrites-table, fails-on-data
};

/// A section of a generated migration: its statements in order (each may start with its
/// `-- hazard:` comment lines), and the options its marker needs.
struct GeneratedSection {
  std::vector<std::string> statements;
  bool foreign_keys_off = false;  ///< SQLite: a rebuild or a drop of a referenced table
  bool no_transaction = false;    ///< a statement that cannot run in a transaction
};

/// A table dropped and one created with the same columns, or a column dropped and one added
/// with the same type: perhaps a rename, which only the user can say (migrate never guesses).
struct PossibleRename {
  enum class Kind { table, column };
  Kind kind = Kind::table;
  ObjectName
      table;  ///< the table: FROM's (its old name) for a table, the one both have for a column
  std::string from;  ///< the old name (a table's without its schema)
  std::string to;    ///< the new name

  bool operator==(const PossibleRename&) const = default;
};

/// "table users is dropped and people created with the same columns: if it is a rename, put
/// `-- @renamed from=users` on the line before its CREATE TABLE in the schema file".
std::string rename_note(const PossibleRename& rename);
/// "Was table users renamed to people?"
std::string rename_question(const PossibleRename& rename);
/// Records `rename` in `renames`, as its `-- @renamed` annotation would.
void add_rename(SchemaRenames& renames, const PossibleRename& rename);

/// The migration between two schemas (FROM to TO): what it changes, its up section (FROM to TO)
/// and its down section (TO back to FROM). Empty when the schemas are equal.
struct SchemaMigration {
  std::vector<SchemaChange> changes;
  GeneratedSection up;
  GeneratedSection down;
  /// What the user should know that is no change: a drop and an add that look like a rename
  /// (and how to say it is one: rename_note), a column order PostgreSQL cannot make.
  std::vector<std::string> notes;
  /// The drops and adds that look like renames (each also in `notes`).
  std::vector<PossibleRename> possible_renames;

  bool empty() const { return changes.empty(); }
  /// The changes that lose data (drop a table or a column): they need --allow-destructive.
  std::vector<const SchemaChange*> destructive() const;
};

/// The migration as a file in migrate's format: `title` and the list of changes and hazards as
/// its documentation, then its up and down sections with their options. No `depends:` line:
/// the caller adds what the folder needs.
std::string schema_migration_text(const SchemaMigration& migration, std::string_view title);

/// The migration between two schemas of one engine, by that engine's generator
/// (sqlite_schema_migration), with notes on drops and adds that look like renames. Throws
/// UsageError for an engine that has none yet, and when the two schemas are of different
/// engines.
SchemaMigration diff_schemas(const SchemaModel& from, const SchemaModel& to);

/// What a schema still lacks to be the one it should be: "still to drop index idx_a", one line
/// per change of diff_schemas(actual, expected); empty when they are the same schema. A
/// difference the generator cannot name (or refuses to) is still one line, saying so: a check
/// that found a difference never reports none.
std::vector<std::string> schema_residue(const SchemaModel& actual, const SchemaModel& expected);

/// The statements that make `renames` on `engine` (`ALTER TABLE … RENAME TO`, `RENAME COLUMN`),
/// tables first; `reverse`: the statements that undo them.
std::vector<std::string> rename_statements(std::string_view engine, const SchemaRenames& renames,
                                           bool reverse);

}  // namespace migrate
