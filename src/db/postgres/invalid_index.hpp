#pragma once

#include <string>
#include <string_view>

namespace migrate {

class Connection;

/// For a CREATE INDEX CONCURRENTLY that failed because its index "already exists" (SQLSTATE
/// 42P07): when that index exists but is invalid (pg_index.indisvalid false, what a failed or
/// interrupted CREATE INDEX CONCURRENTLY leaves behind), says so and what to do; empty for any
/// other statement or index. The statement is recognised by libpg_query's parse tree, which the
/// server reads to name the index. Runs one query on `connection`, outside a transaction; never
/// throws.
std::string invalid_index_hint(Connection& connection, std::string_view statement);

}  // namespace migrate
