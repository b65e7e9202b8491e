#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migrate {

/// Another migration tool whose state table migrate can read (README, "Coming from another
/// tool"): what `migrate-adopt --from` names.
enum class ForeignTool { dbmate, golang_migrate, goose, flyway, alembic, django, sqitch };

/// Every tool, in the order detection looks for them.
const std::vector<ForeignTool>& foreign_tools();
/// "dbmate", "golang-migrate", "goose", "flyway", "alembic", "django", "sqitch".
std::string_view foreign_tool_name(ForeignTool tool);
std::optional<ForeignTool> parse_foreign_tool(std::string_view name);
/// "dbmate, golang-migrate, …": for messages listing the choices.
std::string foreign_tool_names();

/// How the tool's records find their migration here.
enum class ForeignMatch {
  version,  ///< by version, compared as a number: the file's leading digits (dbmate, goose, …)
  name,     ///< by name: the file name after "<id>_" (Sqitch's change names)
  none,     ///< its migrations are code that has no file here (Alembic, Django): the user names
            ///< the migration that brings the schema to the same point
};

/// What another tool's state table says a database has: read, never written.
struct ForeignState {
  ForeignTool tool = ForeignTool::dbmate;
  std::string table;  ///< where it was read, for messages
  /// What the tool records as applied, as it writes it: versions (dbmate, goose, Flyway), change
  /// names (Sqitch), revisions (Alembic's heads), `app.name` (Django).
  std::vector<std::string> applied;
  /// Every version up to this one counts as applied too: golang-migrate's one-row table, and
  /// Flyway's baseline.
  std::optional<std::string> applied_up_to;
  /// Why the database cannot be adopted as it is (golang-migrate's dirty flag, a failed Flyway
  /// migration): what the tool says and how to fix it there. Empty when it can.
  std::string blocked;
  /// What the tool records that migrate has no use for (Flyway's repeatable migrations): told,
  /// never silently dropped.
  std::vector<std::string> notes;

  ForeignMatch match() const;
  /// Whether the table records anything at all.
  bool empty() const { return applied.empty() && !applied_up_to && blocked.empty(); }
};

/// True for a boolean as a database returns it as text ("t", "true", "1").
bool truthy(std::string_view value);

}  // namespace migrate
