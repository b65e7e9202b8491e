#pragma once

#include <map>
#include <string>
#include <utility>

namespace migrate {

/// What a schema file says was renamed (`-- @renamed from=OLD`), never guessed: a table or a
/// column whose old name FROM has becomes a rename instead of a drop and an add.
struct SchemaRenames {
  std::map<std::string, std::string> tables;  ///< new name -> old name
  /// (table, new column name) -> old column name; the table by its new name.
  std::map<std::pair<std::string, std::string>, std::string> columns;

  bool empty() const { return tables.empty() && columns.empty(); }
};

}  // namespace migrate
