#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "db/sql_command.hpp"

namespace migrate {

/// One row of a query's result, read where the engine holds it (SQLite's statement, libpq's
/// result): valid during Connection::query_each's call only. Reading the state table's
/// thousands of rows as views made no string for a column that is read as a number, and
/// copied each text once, into its place.
class SqlRowView {
 public:
  virtual std::size_t size() const = 0;
  /// The column's value as text; nullopt for NULL.
  virtual std::optional<std::string_view> text(std::size_t column) const = 0;
  /// The column's value as a number: nullopt for NULL, the leading digits of a text (0 for a
  /// text that starts with none), the value of an integer.
  virtual std::optional<std::int64_t> integer(std::size_t column) const;
  /// The row copied, every column as text.
  SqlRow copy() const;

 protected:
  SqlRowView() = default;
  SqlRowView(const SqlRowView&) = default;
  SqlRowView& operator=(const SqlRowView&) = default;
  ~SqlRowView() = default;
};

}  // namespace migrate
