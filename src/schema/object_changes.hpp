#pragma once

#include <string>
#include <vector>

#include "schema/schema_model.hpp"

namespace migrate {

/// One object of a schema that a change added, altered or dropped, with its definitions: what
/// the web page shows of a migration. An object is what a dump writes as one item (a table
/// with its columns, an index, a view, a trigger; on PostgreSQL also a constraint, a type, a
/// sequence, a function, a policy…), so "altered" means its definition's statements differ.
struct ObjectChange {
  enum class Kind { added, altered, dropped };
  Kind kind = Kind::added;
  std::string object;  ///< object_key() form: "table users", "index public.users_email"
  std::string table;   ///< the table it is or belongs to ("users"); empty for other objects
  std::string before;  ///< its statements before (empty when added)
  std::string after;   ///< its statements after (empty when dropped)

  bool operator==(const ObjectChange&) const = default;
};

/// "added", "altered", "dropped".
const char* to_string(ObjectChange::Kind kind);

/// What differs between two schemas of one engine, object by object: added and altered ones in
/// `after`'s dump order, then dropped ones in `before`'s. Pure.
std::vector<ObjectChange> object_changes(const SchemaModel& before, const SchemaModel& after);

/// The tables `changes` are or belong to, each once, sorted.
std::vector<std::string> changed_tables(const std::vector<ObjectChange>& changes);

}  // namespace migrate
