#pragma once

#include <map>
#include <string>
#include <utility>

namespace migrate {

/// What a schema file says was renamed (`-- @renamed from=OLD`), never guessed: a table, a
/// column, an index, a type or an enum value whose old name FROM has becomes a rename instead
/// of a drop and an add.
struct SchemaRenames {
  std::map<std::string, std::string> tables;  ///< new name -> old name
  /// (table, new column name) -> old column name; the table by its new name.
  std::map<std::pair<std::string, std::string>, std::string> columns;
  std::map<std::string, std::string> indexes;  ///< new name -> old name
  std::map<std::string, std::string> types;    ///< PostgreSQL: new name -> old name
  /// PostgreSQL: (enum type, new value) -> old value; the type by its new name.
  std::map<std::pair<std::string, std::string>, std::string> enum_values;

  bool empty() const {
    return tables.empty() && columns.empty() && indexes.empty() && types.empty() &&
           enum_values.empty();
  }
};

}  // namespace migrate
