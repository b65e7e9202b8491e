#include "state/foreign_state_reader.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <map>
#include <set>

#include <fmt/format.h>

#include "db/connection.hpp"
#include "db/database_url.hpp"
#include "db/dialect.hpp"
#include "util/error.hpp"

namespace migrate {

namespace {

/// Where a tool keeps its state and the columns that tell its table from a look-alike: the
/// default table of each tool's documentation (README, "Coming from another tool").
struct TableShape {
  ForeignTool tool;
  const char* table;
  std::vector<std::string> columns;  ///< all present; `exact`: and no other
  bool exact = false;
};

const std::vector<TableShape>& shapes() {
  static const std::vector<TableShape> all = {
      {ForeignTool::dbmate, "schema_migrations", {"version"}, true},
      {ForeignTool::golang_migrate, "schema_migrations", {"version", "dirty"}, true},
      {ForeignTool::goose, "goose_db_version", {"id", "version_id", "is_applied"}},
      {ForeignTool::flyway,
       "flyway_schema_history",
       {"installed_rank", "version", "description", "type", "script", "checksum", "success"}},
      {ForeignTool::alembic, "alembic_version", {"version_num"}},
      {ForeignTool::django, "django_migrations", {"id", "app", "name"}},
      {ForeignTool::sqitch, "sqitch.changes", {"change_id", "change", "project", "committed_at"}},
  };
  return all;
}

bool fits(const TableShape& shape, const std::vector<std::string>& columns) {
  bool all = std::all_of(shape.columns.begin(), shape.columns.end(), [&](const std::string& c) {
    return std::find(columns.begin(), columns.end(), c) != columns.end();
  });
  return all && (!shape.exact || columns.size() == shape.columns.size());
}

const TableShape& shape_of(ForeignTool tool) {
  return *std::find_if(shapes().begin(), shapes().end(),
                       [tool](const TableShape& shape) { return shape.tool == tool; });
}

std::string text(const SqlRow& row, std::size_t column) {
  return row[column].value_or("");
}

/// golang-migrate's one row (its migrate.go): the version the database is at, and whether the
/// step toward it finished. No row: nothing applied. Dirty: the database may be half-changed.
void read_golang_migrate(ForeignState& state, std::vector<SqlRow> rows) {
  if (rows.empty()) {
    return;
  }
  std::string version = text(rows.front(), 0);
  if (truthy(text(rows.front(), 1))) {
    state.blocked = fmt::format(
        "golang-migrate's {} says version {} is dirty: a migration toward it started and did not "
        "finish, so the database may be half-changed. Check the schema by hand and finish or undo "
        "that migration, clear the flag with golang-migrate (`migrate force {}` once the database "
        "is at version {}), then adopt again",
        state.table, version, version, version);
    return;
  }
  if (version != "-1") {  // golang-migrate's "no version"
    state.applied_up_to = version;
  }
}

/// goose_db_version (goose's migrate.go EnsureDBVersion): rows newest first; a version's newest
/// row decides, so a version rolled back by an older goose (an is_applied = false row) is not
/// applied. Version 0 is the row goose writes when it creates the table.
void read_goose(ForeignState& state, std::vector<SqlRow> rows) {
  std::set<std::string> seen;
  for (const SqlRow& row : rows) {
    std::string version = text(row, 0);
    if (version == "0" || !seen.insert(version).second) {
      continue;
    }
    if (truthy(text(row, 1))) {
      state.applied.push_back(version);
    }
  }
  std::reverse(state.applied.begin(), state.applied.end());  // oldest first
}

/// A Flyway version as migrate's ids are compared: "1.0" and "001" are version 1 to Flyway
/// (MigrationVersion: parts compared as numbers, trailing zero parts dropped), so both become
/// "1"; a version with several parts left ("1.1") stays as it is, and no file here has it.
std::string flyway_version(std::string version) {
  std::replace(version.begin(), version.end(), '_', '.');
  std::vector<std::string> parts;
  std::string_view rest = version;
  for (;;) {
    std::string_view part = rest.substr(0, rest.find('.'));
    std::size_t zeros = part.find_first_not_of('0');
    parts.emplace_back(zeros == std::string_view::npos ? "0" : part.substr(zeros));
    if (part.size() == rest.size()) {
      break;
    }
    rest.remove_prefix(part.size() + 1);
  }
  while (parts.size() > 1 && parts.back() == "0") {
    parts.pop_back();
  }
  return fmt::format("{}", fmt::join(parts, "."));
}

/// A checksum column as the database returns it; nullopt for NULL or anything but a 32-bit
/// integer.
std::optional<std::int32_t> flyway_checksum_column(const std::optional<std::string>& text) {
  std::int32_t value = 0;
  if (!text) {
    return std::nullopt;
  }
  auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc() || end != text->data() + text->size()) {
    return std::nullopt;
  }
  return value;
}

/// flyway_schema_history (Flyway's MigrationInfoImpl): successful versioned rows are applied; a
/// BASELINE row (`flyway baseline`) and a baseline migration's row (SQL_BASELINE, a B script)
/// count everything up to their version; DELETE rows (flyway repair) and UNDO rows take a
/// version back; a failed row blocks, as it blocks Flyway's own migrate. A repeatable (no
/// version) is as the latest row of its description says (MigrationInfoServiceImpl).
void read_flyway(ForeignState& state, std::vector<SqlRow> rows) {
  std::vector<std::string> applied;
  std::map<std::string, ForeignRepeatable> repeatables;  // by description, the latest row last
  for (const SqlRow& row : rows) {
    std::string version = text(row, 0);
    std::string type = text(row, 1);
    std::string script = text(row, 3);
    if (!truthy(text(row, 2))) {
      state.blocked = fmt::format(
          "Flyway's {} records a failed migration: {} ({}) did not complete. Fix the database by "
          "hand, run `flyway repair` (it removes the failed row), then adopt again",
          state.table, version.empty() ? "a repeatable migration" : "version " + version, script);
      return;
    }
    if (type == "SCHEMA") {
      continue;
    }
    if (!row[0]) {
      ForeignRepeatable repeatable{.description = text(row, 4), .script = script};
      repeatable.deleted = type == "DELETE";
      if (type == "SQL") {
        repeatable.checksum = flyway_checksum_column(row[5]);
      }
      repeatables[repeatable.description] = std::move(repeatable);
      continue;
    }
    version = flyway_version(version);
    if (type == "BASELINE" || type == "SQL_BASELINE") {
      state.applied_up_to = version;
      continue;
    }
    if (type == "DELETE" || type.starts_with("UNDO")) {
      std::erase(applied, version);
      continue;
    }
    applied.push_back(version);
  }
  state.applied = std::move(applied);
  for (auto& [description, repeatable] : repeatables) {
    state.repeatables.push_back(std::move(repeatable));
  }
}

std::string select_sql(ForeignTool tool, const std::string& table) {
  switch (tool) {
    case ForeignTool::dbmate:
      return fmt::format("SELECT version FROM {} ORDER BY version", table);
    case ForeignTool::golang_migrate:
      return fmt::format("SELECT version, dirty FROM {} LIMIT 1", table);
    case ForeignTool::goose:
      return fmt::format("SELECT version_id, is_applied FROM {} ORDER BY id DESC", table);
    case ForeignTool::flyway:
      return fmt::format(
          "SELECT version, type, success, script, description, checksum FROM {} ORDER BY "
          "installed_rank",
          table);
    case ForeignTool::alembic:
      return fmt::format("SELECT version_num FROM {} ORDER BY version_num", table);
    case ForeignTool::django:
      return fmt::format("SELECT app, name FROM {} ORDER BY id", table);
    case ForeignTool::sqitch:
      return fmt::format("SELECT change FROM {} ORDER BY committed_at, change", table);
  }
  return {};
}

}  // namespace

std::vector<std::string> foreign_state_tables() {
  std::vector<std::string> tables;
  for (const TableShape& shape : shapes()) {
    if (std::find(tables.begin(), tables.end(), shape.table) == tables.end()) {
      tables.emplace_back(shape.table);
    }
  }
  return tables;
}

void attach_sqitch_registry(Connection& connection, const DatabaseUrl& url) {
  if (connection.dialect().capabilities().schemas || url.memory || url.path.empty()) {
    return;
  }
  std::filesystem::path registry = url.path.parent_path() / "sqitch.db";
  std::error_code error;
  if (!std::filesystem::is_regular_file(registry, error) ||
      std::filesystem::equivalent(registry, url.path, error)) {
    return;
  }
  connection.execute(
      fmt::format("ATTACH DATABASE {} AS sqitch", connection.dialect().literal(registry.string())));
}

std::optional<ForeignState> read_foreign_state(Connection& connection, ForeignTool tool) {
  const TableShape& shape = shape_of(tool);
  std::string qualified = connection.qualified_table(shape.table);
  if (!fits(shape, connection.table_columns(qualified))) {
    return std::nullopt;
  }
  ForeignState state;
  state.tool = tool;
  state.table = qualified;
  std::vector<SqlRow> rows =
      connection.query(select_sql(tool, connection.dialect().quote_identifier(qualified)));
  switch (tool) {
    case ForeignTool::golang_migrate:
      read_golang_migrate(state, std::move(rows));
      break;
    case ForeignTool::goose:
      read_goose(state, std::move(rows));
      break;
    case ForeignTool::flyway:
      read_flyway(state, std::move(rows));
      break;
    case ForeignTool::django:
      for (const SqlRow& row : rows) {
        state.applied.push_back(fmt::format("{}.{}", text(row, 0), text(row, 1)));
      }
      break;
    default:  // one column of what is applied
      for (const SqlRow& row : rows) {
        state.applied.push_back(text(row, 0));
      }
  }
  return state;
}

std::vector<ForeignState> find_foreign_states(Connection& connection) {
  std::vector<ForeignState> found;
  for (ForeignTool tool : foreign_tools()) {
    try {
      if (std::optional<ForeignState> state = read_foreign_state(connection, tool)) {
        found.push_back(std::move(*state));
      }
    } catch (const DbError&) {
      // A table this role may not read (another application's, on a shared database) is none
      // of migrate's business: `migrate adopt --from <tool>` says why when it is.
    }
  }
  return found;
}

std::vector<ForeignState> find_foreign_records(Connection& connection) {
  std::vector<ForeignState> found = find_foreign_states(connection);
  std::erase_if(found, [](const ForeignState& state) { return state.empty(); });
  return found;
}

std::optional<ForeignTool> tool_of_table(const std::string& name,
                                         const std::vector<std::string>& columns) {
  for (const TableShape& shape : shapes()) {
    std::string_view table = shape.table;
    bool same_name = name == table || name.ends_with(fmt::format(".{}", table));
    if (same_name && fits(shape, columns)) {
      return shape.tool;
    }
  }
  return std::nullopt;
}

}  // namespace migrate
