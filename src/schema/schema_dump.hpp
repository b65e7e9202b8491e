#pragma once

#include <string>
#include <vector>

#include "schema/schema_model.hpp"

namespace migrate {

/// One object of a dump: its statements (its CREATE, then what goes with it: comments, grants),
/// each ending in ";\n", and the objects that must exist before it.
struct DumpItem {
  std::string key;                 ///< object_key()
  std::vector<std::string> needs;  ///< keys of other items; a key no item has is ignored
  std::string sql;
};

/// The items in an order a database can run them in: each after what it needs, and otherwise
/// in the order given (the engine's writer gives them by kind, then by name), so the order is
/// the same on every run and every machine. Items caught in a cycle keep their given order.
std::vector<const DumpItem*> order_dump_items(const std::vector<DumpItem>& items);

/// The items of `model`'s dump, from its engine's writer (SQLite, PostgreSQL), not yet ordered.
/// Throws InternalError for an engine without one.
std::vector<DumpItem> dump_items(const SchemaModel& model);

/// The canonical dump of a schema: the statements that create it, in dependency order, the
/// same bytes for the same schema. Written by the model's engine's writer (SQLite, PostgreSQL).
/// Throws InternalError for an engine without one.
std::string dump_schema(const SchemaModel& model);

}  // namespace migrate
