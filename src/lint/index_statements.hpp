#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lint/pg_node.hpp"

namespace migrate {

// What --fix reads of the statements that create, drop and rebuild indexes (parse trees from
// libpg_query), and where it writes CONCURRENTLY into their text.

/// Whether a statement is a CONCURRENTLY operation (CREATE or DROP INDEX, REINDEX), which
/// cannot run inside a transaction.
bool concurrent_operation(const PgNode& node);

/// Where the index a statement creates or drops lives: its schema (empty: the search path's)
/// and its name.
struct IndexName {
  std::string_view schema;
  std::string_view name;

  /// Whether `other` may name the same index: the names are equal, and the schemas too when
  /// both are given.
  bool same(const IndexName& other) const {
    return name == other.name && (schema.empty() || other.schema.empty() || schema == other.schema);
  }
};

/// The index a CREATE INDEX (IndexStmt) creates: in its table's schema.
IndexName created_index(const PgNode& index);

/// The indexes a DROP INDEX names; none for another statement.
std::vector<IndexName> dropped_indexes(const PgNode& drop);

/// Where CONCURRENTLY goes in a CREATE [UNIQUE] INDEX or DROP INDEX's text: right after its
/// INDEX keyword. Nullopt when the text does not begin with its keywords alone (a comment
/// between them).
std::optional<std::size_t> concurrently_at(std::string_view sql);

/// The statement's text with CONCURRENTLY at `keyword` (concurrently_at), or as it is.
std::string with_concurrently(std::string_view sql, std::optional<std::size_t> keyword);

}  // namespace migrate
