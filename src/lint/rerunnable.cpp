// Which DDL fails when it runs again: PostgreSQL refuses to create what exists and to drop
// what does not, unless IF [NOT] EXISTS (or OR REPLACE) says to skip it.
#include "lint/rerunnable.hpp"

#include <array>
#include <utility>

#include <fmt/format.h>

#include "lint/lint_context.hpp"

namespace migrate {

namespace {

/// The SQL of a node kind or an OBJECT_/AT_ name, for the finding's text.
std::string_view sql_name(std::string_view kind) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 20> kNames = {{
      {"CreateTableAsStmt", "CREATE TABLE AS"},
      {"CreateSeqStmt", "CREATE SEQUENCE"},
      {"CreateSchemaStmt", "CREATE SCHEMA"},
      {"CreateExtensionStmt", "CREATE EXTENSION"},
      {"ViewStmt", "CREATE VIEW"},
      {"CreateFunctionStmt", "CREATE FUNCTION"},
      {"CreateTrigStmt", "CREATE TRIGGER"},
      {"CreateEnumStmt", "CREATE TYPE AS ENUM"},
      {"CompositeTypeStmt", "CREATE TYPE"},
      {"CreateDomainStmt", "CREATE DOMAIN"},
      {"CreatePolicyStmt", "CREATE POLICY"},
      {"AT_AddIdentity", "ADD GENERATED AS IDENTITY"},
      {"AT_AttachPartition", "ATTACH PARTITION"},
      {"AT_DetachPartition", "DETACH PARTITION"},
      {"AT_AddInherit", "INHERIT"},
      {"AT_DropInherit", "NO INHERIT"},
      {"OBJECT_MATVIEW", "MATERIALIZED VIEW"},
      {"OBJECT_TABCONSTRAINT", "CONSTRAINT"},
      {"OBJECT_FOREIGN_TABLE", "FOREIGN TABLE"},
      {"OBJECT_FUNCTION", "FUNCTION"},
  }};
  for (const auto& [node, sql] : kNames) {
    if (node == kind) {
      return sql;
    }
  }
  return kind.starts_with("OBJECT_") ? kind.substr(7) : kind;  // OBJECT_TABLE: TABLE
}

/// A dropped object's name as written: a List of names (tables, indexes), a TypeName, an
/// ObjectWithArgs (functions), a String (schemas, extensions).
std::string object_name(const PgNode& object) {
  const std::vector<PgNode>* parts = &object.list("items");
  if (object.is("TypeName")) {
    parts = &object.list("names");
  } else if (object.is("ObjectWithArgs")) {
    parts = &object.list("objname");
  } else if (parts->empty()) {
    return std::string(object.as_text());
  }
  std::string name;
  for (const PgNode& part : *parts) {
    name += (name.empty() ? "" : ".") + std::string(part.as_text());
  }
  return name;
}

/// Whether an earlier subcommand of the same ALTER TABLE drops constraint `name` IF EXISTS:
/// the one-statement idiom that makes an ADD CONSTRAINT re-runnable.
bool dropped_before(const std::vector<PgNode>& commands, const PgNode& add, std::string_view name) {
  for (const PgNode& command : commands) {
    if (&command == &add) {
      return false;
    }
    if (command.text("subtype") == "AT_DropConstraint" && command.flag("missing_ok") &&
        command.text("name") == name) {
      return true;
    }
  }
  return false;
}

std::optional<std::string> alter_command(const std::vector<PgNode>& commands,
                                         const PgNode& command) {
  std::string_view subtype = command.text("subtype");
  const PgNode* def = command.field("def");
  const bool skips = command.flag("missing_ok");
  if (subtype == "AT_AddColumn" && !skips) {
    return fmt::format("ADD COLUMN {} without IF NOT EXISTS", def ? def->text("colname") : "");
  }
  if ((subtype == "AT_DropColumn" || subtype == "AT_DropConstraint") && !skips) {
    return fmt::format("DROP {} {} without IF EXISTS",
                       subtype == "AT_DropColumn" ? "COLUMN" : "CONSTRAINT", command.text("name"));
  }
  if (subtype == "AT_AddConstraint" && def != nullptr) {
    std::string_view name = def->text("conname");
    if (name.empty() || !dropped_before(commands, command, name)) {
      return fmt::format("ADD CONSTRAINT {}, which has no IF NOT EXISTS",
                         name.empty() ? "(unnamed)" : name);
    }
  }
  if (subtype == "AT_AddIdentity" || subtype == "AT_AttachPartition" ||
      subtype == "AT_DetachPartition" || subtype == "AT_AddInherit" ||
      subtype == "AT_DropInherit") {
    return fmt::format("{}, which has no IF [NOT] EXISTS", sql_name(subtype));
  }
  if (subtype == "AT_DropIdentity" && !skips) {
    return std::string("DROP IDENTITY without IF EXISTS");
  }
  return std::nullopt;
}

std::optional<std::string> alter_table(const PgNode& alter) {
  const std::vector<PgNode>& commands = alter.list("cmds");
  for (const PgNode& command : commands) {
    if (auto why = alter_command(commands, command)) {
      return fmt::format("ALTER TABLE {}: {}", table_name(*alter.field("relation")), *why);
    }
  }
  return std::nullopt;
}

std::optional<std::string> create(const PgNode& node) {
  if (node.is("CreateStmt")) {
    const PgNode& table = *node.field("relation");
    if (node.flag("if_not_exists") || table.text("relpersistence") == "t") {
      return std::nullopt;  // a temporary table does not outlive the session
    }
    return fmt::format("CREATE TABLE {} without IF NOT EXISTS", table_name(table));
  }
  if (node.is("IndexStmt")) {
    if (node.text("idxname").empty()) {
      return std::string(
          "an unnamed CREATE INDEX, which builds one more index each time it runs (name it, "
          "with IF NOT EXISTS)");
    }
    return node.flag("if_not_exists")
               ? std::nullopt
               : std::optional(
                     fmt::format("CREATE INDEX {} without IF NOT EXISTS", node.text("idxname")));
  }
  if (node.is("CreateTableAsStmt") || node.is("CreateSeqStmt") || node.is("CreateSchemaStmt") ||
      node.is("CreateExtensionStmt")) {
    return node.flag("if_not_exists")
               ? std::nullopt
               : std::optional(fmt::format("{} without IF NOT EXISTS", sql_name(node.kind())));
  }
  if (node.is("ViewStmt") || node.is("CreateFunctionStmt") || node.is("CreateTrigStmt")) {
    return node.flag("replace")
               ? std::nullopt
               : std::optional(fmt::format("{} without OR REPLACE", sql_name(node.kind())));
  }
  if (node.is("CreateEnumStmt") || node.is("CompositeTypeStmt") || node.is("CreateDomainStmt") ||
      node.is("CreatePolicyStmt")) {
    return fmt::format("{}, which has no IF NOT EXISTS", sql_name(node.kind()));
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> not_rerunnable(const PgNode& node) {
  if (node.is("AlterTableStmt")) {
    return alter_table(node);
  }
  if (node.is("DropStmt")) {
    if (node.flag("missing_ok")) {
      return std::nullopt;
    }
    const std::vector<PgNode>& objects = node.list("objects");
    return fmt::format("DROP {} {} without IF EXISTS", sql_name(node.text("removeType")),
                       objects.empty() ? std::string() : object_name(objects[0]));
  }
  if (node.is("RenameStmt")) {
    std::string_view type = node.text("renameType");
    // IF EXISTS skips a rename of a table that is gone; a column or constraint has no such form.
    if (node.flag("missing_ok") && type != "OBJECT_COLUMN" && type != "OBJECT_TABCONSTRAINT") {
      return std::nullopt;
    }
    return fmt::format("RENAME {} to {}, which fails once renamed", sql_name(type),
                       node.text("newname"));
  }
  if (node.is("AlterEnumStmt")) {
    if (!node.text("oldVal").empty()) {
      return fmt::format("RENAME VALUE '{}', which fails once renamed", node.text("oldVal"));
    }
    return node.flag("skipIfNewValExists")
               ? std::nullopt
               : std::optional(
                     fmt::format("ADD VALUE '{}' without IF NOT EXISTS", node.text("newVal")));
  }
  return create(node);
}

}  // namespace migrate
