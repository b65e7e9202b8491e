#include "lint/rules_breaking.hpp"

#include <array>
#include <set>
#include <string>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "lint/pg_names.hpp"

namespace migrate {

namespace {

enum Rule : std::size_t {
  kDropColumn,
  kDropTable,
  kDropDatabase,
  kDropNotNull,
  kRenameColumn,
  kRenameTable,
  kRenameSchema,
  kRenameEnumValue,
};

// A drop is a warning: its safe form (code first, then the drop in a later release) is the same
// statement, so the linter cannot tell the two apart. A rename is an error: the code running
// while it happens uses the old name, whatever was deployed before.
constexpr std::array<RuleInfo, 8> kRules = {{
    {"ban-drop-column", Severity::warning, "dropping a column the deployed code may still use",
     "Code deployed before the migration still names the column: its INSERTs, UPDATEs and "
     "SELECTs of it fail from the moment it is gone, until the new code is everywhere. The "
     "data is gone too.",
     "Release the code that no longer reads or writes the column first; drop it in a later "
     "migration:\n"
     "-- migrate:lint ignore=ban-drop-column reason=\"no code uses it since release 41\"\n"
     "ALTER TABLE users DROP COLUMN IF EXISTS legacy_name;"},
    {"ban-drop-table", Severity::warning, "dropping a table the deployed code may still use",
     "Every query of the deployed code that names the table fails once it is dropped, and its "
     "rows cannot be brought back but from a backup.",
     "Release the code that no longer uses the table first; drop it in a later migration:\n"
     "-- migrate:lint ignore=ban-drop-table reason=\"no code uses it since release 41\"\n"
     "DROP TABLE IF EXISTS legacy_events;"},
    {"ban-drop-database", Severity::error, "dropping a database in a migration",
     "Everything in it is gone, and every application connected to it fails; a migration is "
     "the wrong place for it.",
     "Drop databases by hand, after a backup, outside the migrations."},
    {"ban-drop-not-null", Severity::warning, "dropping NOT NULL from a column the code reads",
     "The deployed code (and functions, views, reports) was written for a column that is never "
     "NULL: the first NULL written breaks whatever reads it without expecting one.",
     "Release code that handles NULL before dropping the constraint, or keep NOT NULL and "
     "write a marker value instead:\n"
     "ALTER TABLE users ALTER COLUMN nickname SET DEFAULT '';"},
    {"renaming-column", Severity::error, "renaming a column the deployed code uses",
     "The code running while the migration runs names the old column; its queries fail from "
     "the rename until the new code is everywhere (and the new code fails if it comes first).",
     "Add the new column, write both, backfill, move the reads, then drop the old one:\n"
     "ALTER TABLE users ADD COLUMN full_name text;\n"
     "-- a trigger keeps full_name = name; backfill in batches; release code reading full_name;\n"
     "-- a later migration: ALTER TABLE users DROP COLUMN name;"},
    {"renaming-table", Severity::error, "renaming (or moving) a table the deployed code uses",
     "The code running while the migration runs names the old table; its queries fail from the "
     "rename until the new code is everywhere.",
     "Rename it behind a view, so both names work while the code changes:\n"
     "CREATE VIEW user_favorites AS SELECT * FROM user_stars;  -- release code using the new "
     "name\n"
     "-- then, in a later migration (one transaction), once no code uses the old name:\n"
     "DROP VIEW user_favorites;\n"
     "-- migrate:lint ignore=renaming-table reason=\"the code reads the view since release "
     "42\"\n"
     "ALTER TABLE user_stars RENAME TO user_favorites;"},
    {"renaming-schema", Severity::error, "renaming a schema the deployed code uses",
     "Every query of the deployed code that names the schema, and every search_path that lists "
     "it, stops finding its tables at the rename.",
     "Create the new schema, move the code to it, and drop the old one last:\n"
     "CREATE SCHEMA billing;\n"
     "-- move or mirror the tables, release code using billing, then drop the old schema"},
    {"renaming-enum-value", Severity::error, "renaming an enum value the deployed code uses",
     "The deployed code writes and compares the old value: its writes fail from the rename on, "
     "and its comparisons silently stop matching.",
     "Add the new value, release code that writes it and reads both, then backfill:\n"
     "ALTER TYPE order_status ADD VALUE IF NOT EXISTS 'completed' AFTER 'done';\n"
     "-- a later migration: UPDATE orders SET status = 'completed' WHERE status = 'done';"},
}};

bool new_table(const LintContext& context, const PgNode* range_var) {
  return range_var && context.is_new_table(*range_var);
}

/// Whether a statement earlier in the section created `kind` ("CreateSchemaStmt",
/// "CreateEnumStmt") called `name`: renaming it breaks nothing deployed.
bool created_earlier(const LintContext& context, std::string_view kind, std::string_view name) {
  for (const LintStatement& earlier : context.before()) {
    const PgNode& node = *earlier.node;
    if (node.is(kind) &&
        (node.text("schemaname") == name || last_name(node.list("typeName")) == name)) {
      return true;
    }
  }
  return false;
}

void check_alter_table(const LintStatement& statement, const LintContext& context,
                       std::vector<Finding>& findings) {
  const PgNode* table = statement.node->field("relation");
  if (table == nullptr || new_table(context, table)) {
    return;
  }
  std::string name = table_name(*table);
  for (const PgNode& command : statement.node->list("cmds")) {
    std::string_view subtype = command.text("subtype");
    if (subtype == "AT_DropColumn") {
      report(findings, kRules[kDropColumn], statement,
             fmt::format("dropping column {} of {}: deployed code that uses it fails",
                         command.text("name"), name));
    } else if (subtype == "AT_DropNotNull") {
      report(findings, kRules[kDropNotNull], statement,
             fmt::format("dropping NOT NULL from {}.{}: deployed code does not expect NULLs", name,
                         command.text("name")));
    }
  }
}

void check_drop(const LintStatement& statement, const LintContext& context,
                std::vector<Finding>& findings) {
  const PgNode& drop = *statement.node;
  if (drop.text("removeType") != "OBJECT_TABLE") {
    return;
  }
  std::vector<std::string> existing;
  for (const PgNode& object : drop.list("objects")) {
    const std::vector<PgNode>& names = object.list("items");
    std::string_view schema = names.size() > 1 ? names[names.size() - 2].as_text() : "";
    if (!context.is_new_table(schema, last_name(names))) {
      existing.push_back(qualified_name(names));
    }
  }
  if (!existing.empty()) {
    report(findings, kRules[kDropTable], statement,
           fmt::format("dropping {} {}: deployed code that uses {} fails",
                       existing.size() == 1 ? "table" : "tables", fmt::join(existing, ", "),
                       existing.size() == 1 ? "it" : "them"));
  }
}

void check_rename(const LintStatement& statement, const LintContext& context,
                  std::vector<Finding>& findings) {
  const PgNode& rename = *statement.node;
  std::string_view type = rename.text("renameType");
  const PgNode* relation = rename.field("relation");
  std::string_view new_name = rename.text("newname");
  if (type == "OBJECT_COLUMN" && rename.text("relationType") == "OBJECT_TABLE" && relation &&
      !new_table(context, relation)) {
    report(findings, kRules[kRenameColumn], statement,
           fmt::format("renaming column {}.{} to {}: deployed code uses the old name",
                       table_name(*relation), rename.text("subname"), new_name));
  } else if (type == "OBJECT_TABLE" && relation && !new_table(context, relation)) {
    report(findings, kRules[kRenameTable], statement,
           fmt::format("renaming table {} to {}: deployed code uses the old name",
                       table_name(*relation), new_name));
  } else if (type == "OBJECT_SCHEMA" &&
             !created_earlier(context, "CreateSchemaStmt", rename.text("subname"))) {
    report(findings, kRules[kRenameSchema], statement,
           fmt::format("renaming schema {} to {}: deployed code uses the old name",
                       rename.text("subname"), new_name));
  }
}

void check_set_schema(const LintStatement& statement, const LintContext& context,
                      std::vector<Finding>& findings) {
  const PgNode& move = *statement.node;
  const PgNode* relation = move.field("relation");
  if (move.text("objectType") == "OBJECT_TABLE" && relation && !new_table(context, relation)) {
    report(findings, kRules[kRenameTable], statement,
           fmt::format("moving table {} to schema {}: deployed code uses the old name",
                       table_name(*relation), move.text("newschema")));
  }
}

void check_enum(const LintStatement& statement, const LintContext& context,
                std::vector<Finding>& findings) {
  const PgNode& alter = *statement.node;
  const std::vector<PgNode>& type = alter.list("typeName");
  if (alter.text("oldVal").empty() || created_earlier(context, "CreateEnumStmt", last_name(type))) {
    return;
  }
  report(findings, kRules[kRenameEnumValue], statement,
         fmt::format("renaming value '{}' of {} to '{}': deployed code uses the old value",
                     alter.text("oldVal"), qualified_name(type), alter.text("newVal")));
}

void check(const LintStatement& statement, const LintContext& context,
           std::vector<Finding>& findings) {
  const PgNode& node = *statement.node;
  if (node.is("AlterTableStmt")) {
    check_alter_table(statement, context, findings);
  } else if (node.is("DropStmt")) {
    check_drop(statement, context, findings);
  } else if (node.is("DropdbStmt")) {
    report(findings, kRules[kDropDatabase], statement,
           fmt::format("dropping database {}", node.text("dbname")));
  } else if (node.is("RenameStmt")) {
    check_rename(statement, context, findings);
  } else if (node.is("AlterObjectSchemaStmt")) {
    check_set_schema(statement, context, findings);
  } else if (node.is("AlterEnumStmt")) {
    check_enum(statement, context, findings);
  }
}

}  // namespace

const RuleFamily& breaking_rules() {
  static const RuleFamily kFamily{"breaking", kRules, check};
  return kFamily;
}

}  // namespace migrate
