#pragma once

#include <filesystem>
#include <string>
#include <vector>

struct sqlite3;

namespace migrate::test {

// Reads a SQLite file with the C API directly, not through migrate's Connection, so tests check
// what is really in the database.

using Rows = std::vector<std::vector<std::string>>;  // NULL reads as "NULL"

Rows sqlite_rows(const std::filesystem::path& database, const std::string& sql);
/// The first column of every row.
std::vector<std::string> sqlite_column(const std::filesystem::path& database,
                                       const std::string& sql);
void sqlite_exec(const std::filesystem::path& database, const std::string& sql);
/// The user tables and views, sorted (sqlite_% excluded).
std::vector<std::string> schema_objects(const std::filesystem::path& database);
/// The ids in the state table, in id order.
std::vector<std::string> applied_ids(const std::filesystem::path& database,
                                     const std::string& table = "schema_migrations");

/// PRAGMA foreign_keys on an open handle (a connection's own: the setting is per connection),
/// read with the C API.
int sqlite_foreign_keys(sqlite3* db);

}  // namespace migrate::test
