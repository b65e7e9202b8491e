// Which statements take a lock that blocks a table's writes: PostgreSQL's lock levels
// (AlterTableGetLockLevel and each command's documentation), abridged to what a migration
// does. SHARE UPDATE EXCLUSIVE and weaker locks are left out: queued behind a long query,
// they do not hold up the application's reads and writes.
#include "lint/strong_lock.hpp"

#include <algorithm>
#include <array>

namespace migrate {

namespace {

// PostgreSQL's lock mode numbers (LockStmt.mode).
enum Mode : int {
  kNone = 0,
  kShareUpdateExclusive = 4,
  kShare = 5,
  kShareRowExclusive = 6,
  kExclusive = 7,
  kAccessExclusive = 8,
};

std::string_view mode_name(int mode) {
  switch (mode) {
    case kShare:
      return "SHARE";
    case kShareRowExclusive:
      return "SHARE ROW EXCLUSIVE";
    case kExclusive:
      return "EXCLUSIVE";
    default:
      return "ACCESS EXCLUSIVE";
  }
}

/// The first `count` segments of a qualified name (`[schema, table, trigger]`), dotted.
std::string joined(const std::vector<PgNode>& names, std::size_t count) {
  std::string name;
  for (std::size_t i = 0; i < count && i < names.size(); ++i) {
    name += (i == 0 ? "" : ".") + std::string(names[i].as_text());
  }
  return name;
}

std::optional<StrongLock> on(const PgNode* range_var, int mode, const LintContext& context) {
  if (range_var == nullptr || mode < kShare || context.is_new_table(*range_var)) {
    return std::nullopt;
  }
  return StrongLock{table_name(*range_var), mode_name(mode)};
}

/// The first of `relations` (RangeVar nodes) that is not new, locked in `mode`.
std::optional<StrongLock> on_any(const std::vector<PgNode>& relations, int mode,
                                 const LintContext& context) {
  for (const PgNode& relation : relations) {
    const PgNode* range_var =
        relation.is("VacuumRelation") ? relation.field("relation") : &relation;
    if (auto lock = on(range_var, mode, context)) {
      return lock;
    }
  }
  return std::nullopt;
}

/// The lock an ALTER TABLE subcommand takes on its table.
int command_mode(const PgNode& command) {
  static constexpr std::array<std::string_view, 10> kShareUpdateExclusiveCommands = {
      "AT_ValidateConstraint", "AT_SetStatistics",
      "AT_ClusterOn",          "AT_DropCluster",
      "AT_SetOptions",         "AT_ResetOptions",
      "AT_SetRelOptions",      "AT_ResetRelOptions",
      "AT_AttachPartition",    "AT_DetachPartitionFinalize"};
  std::string_view subtype = command.text("subtype");
  const PgNode* def = command.field("def");
  if (std::find(kShareUpdateExclusiveCommands.begin(), kShareUpdateExclusiveCommands.end(),
                subtype) != kShareUpdateExclusiveCommands.end()) {
    return kShareUpdateExclusive;
  }
  if (subtype == "AT_DetachPartition" && def != nullptr && def->flag("concurrent")) {
    return kShareUpdateExclusive;
  }
  if (subtype.find("Trig") != std::string_view::npos) {  // ENABLE/DISABLE TRIGGER
    return kShareRowExclusive;
  }
  if (subtype == "AT_AddConstraint" && def != nullptr && def->text("contype") == "CONSTR_FOREIGN") {
    return kShareRowExclusive;
  }
  return kAccessExclusive;
}

/// A foreign key's referenced table, which its creation locks too.
std::optional<StrongLock> referenced_table(const PgNode& statement, const LintContext& context) {
  for (const PgNode* constraint : statement.find_all("Constraint")) {
    if (constraint->text("contype") == "CONSTR_FOREIGN") {
      if (auto lock = on(constraint->field("pktable"), kShareRowExclusive, context)) {
        return lock;
      }
    }
  }
  return std::nullopt;
}

std::optional<StrongLock> alter_table(const PgNode& alter, const LintContext& context) {
  std::string_view type = alter.text("objtype");
  if (type != "OBJECT_TABLE" && type != "OBJECT_MATVIEW" && type != "OBJECT_FOREIGN_TABLE") {
    return std::nullopt;  // ALTER INDEX, SEQUENCE, VIEW, TYPE
  }
  int mode = kNone;
  for (const PgNode& command : alter.list("cmds")) {
    mode = std::max(mode, command_mode(command));
  }
  if (auto lock = on(alter.field("relation"), mode, context)) {
    return lock;
  }
  return referenced_table(alter, context);
}

std::optional<StrongLock> create_table(const PgNode& create, const LintContext& context) {
  if (create.field("partbound") != nullptr) {  // PARTITION OF: the parent is locked
    if (auto lock = on_any(create.list("inhRelations"), kAccessExclusive, context)) {
      return lock;
    }
  }
  return referenced_table(create, context);
}

std::optional<StrongLock> drop(const PgNode& drop, const LintContext& context) {
  std::string_view type = drop.text("removeType");
  const bool index = type == "OBJECT_INDEX" && !drop.flag("concurrent");
  const bool table =
      type == "OBJECT_TABLE" || type == "OBJECT_MATVIEW" || type == "OBJECT_FOREIGN_TABLE";
  // [schema.]table.name: the table is all but the last segment.
  const bool on_table =
      type == "OBJECT_TRIGGER" || type == "OBJECT_RULE" || type == "OBJECT_POLICY";
  for (const PgNode& object : drop.list("objects")) {
    const std::vector<PgNode>& names = object.list("items");
    if (names.empty()) {
      continue;
    }
    if (index) {  // its table is not named: assume it is not new
      return StrongLock{"the table of index " + joined(names, names.size()),
                        mode_name(kAccessExclusive)};
    }
    std::size_t count = on_table ? names.size() - 1 : names.size();
    std::string_view schema = count > 1 ? names[count - 2].as_text() : std::string_view();
    if ((table || on_table) && count > 0 &&
        !context.is_new_table(schema, names[count - 1].as_text())) {
      return StrongLock{joined(names, count), mode_name(kAccessExclusive)};
    }
  }
  return std::nullopt;
}

std::optional<StrongLock> rename(const PgNode& rename, const LintContext& context) {
  static constexpr std::array<std::string_view, 8> kTableRenames = {
      "OBJECT_TABLE", "OBJECT_COLUMN", "OBJECT_TABCONSTRAINT", "OBJECT_TRIGGER",
      "OBJECT_RULE",  "OBJECT_POLICY", "OBJECT_MATVIEW",       "OBJECT_FOREIGN_TABLE"};
  std::string_view type = rename.text("renameType");
  if (std::find(kTableRenames.begin(), kTableRenames.end(), type) == kTableRenames.end()) {
    return std::nullopt;  // RENAME of an index takes SHARE UPDATE EXCLUSIVE
  }
  return on(rename.field("relation"), kAccessExclusive, context);
}

bool vacuum_full(const PgNode& vacuum) {
  return vacuum.has_option("options", "full");
}

std::optional<StrongLock> reindex(const PgNode& reindex, const LintContext& context) {
  if (reindex.has_option("params", "concurrently")) {
    return std::nullopt;
  }
  std::string_view kind = reindex.text("kind");
  const PgNode* relation = reindex.field("relation");
  if (kind == "REINDEX_OBJECT_TABLE") {
    return on(relation, kShare, context);
  }
  if (kind == "REINDEX_OBJECT_INDEX" && relation != nullptr) {
    return StrongLock{"the table of index " + table_name(*relation), mode_name(kShare)};
  }
  return std::nullopt;
}

}  // namespace

std::optional<StrongLock> strong_lock_on_existing_table(const PgNode& node,
                                                        const LintContext& context) {
  if (node.is("AlterTableStmt")) {
    return alter_table(node, context);
  }
  if (node.is("CreateStmt")) {
    return create_table(node, context);
  }
  if (node.is("IndexStmt")) {
    return node.flag("concurrent") ? std::nullopt : on(node.field("relation"), kShare, context);
  }
  if (node.is("DropStmt")) {
    return drop(node, context);
  }
  if (node.is("RenameStmt")) {
    return rename(node, context);
  }
  if (node.is("AlterObjectSchemaStmt")) {
    std::string_view type = node.text("objectType");
    return type == "OBJECT_TABLE" || type == "OBJECT_MATVIEW" || type == "OBJECT_FOREIGN_TABLE"
               ? on(node.field("relation"), kAccessExclusive, context)
               : std::nullopt;
  }
  if (node.is("TruncateStmt")) {
    return on_any(node.list("relations"), kAccessExclusive, context);
  }
  if (node.is("LockStmt")) {
    return on_any(node.list("relations"), static_cast<int>(node.number("mode")), context);
  }
  if (node.is("ClusterStmt")) {
    return on(node.field("relation"), kAccessExclusive, context);
  }
  if (node.is("VacuumStmt")) {
    return vacuum_full(node) ? on_any(node.list("rels"), kAccessExclusive, context) : std::nullopt;
  }
  if (node.is("ReindexStmt")) {
    return reindex(node, context);
  }
  if (node.is("RefreshMatViewStmt")) {
    return node.flag("concurrent") ? std::nullopt
                                   : on(node.field("relation"), kAccessExclusive, context);
  }
  if (node.is("CreateTrigStmt")) {
    return on(node.field("relation"), kShareRowExclusive, context);
  }
  if (node.is("CreatePolicyStmt") || node.is("AlterPolicyStmt")) {
    return on(node.field("table"), kAccessExclusive, context);
  }
  if (node.is("RuleStmt")) {
    return on(node.field("relation"), kAccessExclusive, context);
  }
  return std::nullopt;
}

}  // namespace migrate
