#pragma once

#include <cstdint>
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

/// A Flyway repeatable migration as the latest row of its description in Flyway's history says:
/// Flyway judges a repeatable by that row alone.
struct ForeignRepeatable {
  std::string description;  ///< what Flyway knows it by: the file name after `R__`, `_` a space
  std::string script;       ///< the file that ran, as recorded (`R__views.sql`, `sub/R__v.sql`)
  /// The checksum that run recorded; nullopt when the row is no run of a SQL file (`flyway
  /// repair` deleted it, or a Java migration ran).
  std::optional<std::int32_t> checksum;
  bool deleted = false;  ///< the row is `flyway repair`'s DELETE: Flyway runs it again
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
  /// Flyway's repeatable migrations, each as its latest row says, in description order.
  std::vector<ForeignRepeatable> repeatables;

  ForeignMatch match() const;
  /// Whether the table records anything at all.
  bool empty() const {
    return applied.empty() && !applied_up_to && blocked.empty() && repeatables.empty();
  }
};

/// True for a boolean as a database returns it as text ("t", "true", "1").
bool truthy(std::string_view value);

}  // namespace migrate
