#pragma once

#include <optional>
#include <string>
#include <vector>

#include "state/foreign_state.hpp"

namespace migrate {

class Connection;
struct DatabaseUrl;

/// Sqitch keeps its registry on SQLite in a database file of its own beside the target
/// (db/app.db: db/sqitch.db): attached to `connection` as the schema `sqitch` when it is there,
/// so that its changes read as on PostgreSQL (sqitch.changes). Only SELECTs ever reach it.
/// Nothing happens for other engines, or when there is no such file.
void attach_sqitch_registry(Connection& connection, const DatabaseUrl& url);

/// Every other tool's state table this database holds, each read with the rules of its tool
/// (which rows count, what is dirty or failed), in foreign_tools() order; a table the
/// connection may not read is left out. Read only: nothing is ever written to another tool's
/// table.
std::vector<ForeignState> find_foreign_states(Connection& connection);
/// The same, without the tables that record nothing: the other tools that have migrated this
/// database.
std::vector<ForeignState> find_foreign_records(Connection& connection);

/// The state `tool`'s table holds; nullopt when the database has no such table, or a table of
/// that name with another shape.
std::optional<ForeignState> read_foreign_state(Connection& connection, ForeignTool tool);

/// The tool whose state table is called `name` and has these columns, if any: what to tell a
/// user whose configured state table turns out to be dbmate's or golang-migrate's (both call
/// theirs `schema_migrations`, migrate's default name).
std::optional<ForeignTool> tool_of_table(const std::string& name,
                                         const std::vector<std::string>& columns);

/// The state tables of the tools migrate knows, as each tool names its own by default
/// ("schema_migrations", "goose_db_version", "sqitch.changes"…), each once.
std::vector<std::string> foreign_state_tables();

}  // namespace migrate
