#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace migrate::test {

// A database's schema as its own tools show it, migrate's state table left out, for comparing
// what migrate built with what the same SQL builds when the engine's client runs it.

/// Every object's SQL in sqlite_master, by name (`schema_migrations…` left out).
std::vector<std::string> sqlite_schema(const std::filesystem::path& database);

/// `pg_dump --schema-only --no-owner` without `schema_migrations`, without comments and the
/// `\restrict` keys that differ between two databases of one schema.
std::vector<std::string> postgres_schema(const std::string& url);

}  // namespace migrate::test
