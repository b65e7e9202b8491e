#include "db/sql_row_view.hpp"

#include <charconv>

namespace migrate {

std::optional<std::int64_t> SqlRowView::integer(std::size_t column) const {
  std::optional<std::string_view> value = text(column);
  if (!value) {
    return std::nullopt;
  }
  std::int64_t number = 0;
  std::from_chars(value->data(), value->data() + value->size(), number);
  return number;
}

SqlRow SqlRowView::copy() const {
  SqlRow row(size());
  for (std::size_t c = 0; c < row.size(); ++c) {
    if (std::optional<std::string_view> value = text(c)) {
      row[c].emplace(*value);
    }
  }
  return row;
}

}  // namespace migrate
