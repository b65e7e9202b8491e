#pragma once

#include <compare>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace migrate {

/// A migration's id: the leading digits of its file name. Ids compare as numbers, so
/// golang-migrate's "000001" and dbmate's 14-digit timestamps sort as they should, while the
/// text keeps the digits as written (that is what the file name and the state table hold).
class MigrationId {
 public:
  MigrationId() = default;

  /// An id from its digits; nullopt when `digits` is empty or has anything but 0-9.
  static std::optional<MigrationId> from_digits(std::string_view digits);

  /// The digits as written.
  const std::string& text() const { return m_text; }
  /// The digits without leading zeros ("0" for zero): equal ids have equal values.
  std::string_view value() const;

  /// The next id, as wide as this one (or one digit wider on overflow).
  MigrationId next() const;

  friend bool operator==(const MigrationId& a, const MigrationId& b) {
    return a.value() == b.value();
  }
  friend std::strong_ordering operator<=>(const MigrationId& a, const MigrationId& b);

 private:
  explicit MigrationId(std::string text) : m_text(std::move(text)) {}
  std::string m_text;
};

}  // namespace migrate

template <>
struct std::hash<migrate::MigrationId> {
  std::size_t operator()(const migrate::MigrationId& id) const noexcept {
    return std::hash<std::string_view>{}(id.value());
  }
};

template <>
struct fmt::formatter<migrate::MigrationId> : fmt::formatter<std::string_view> {
  template <typename Context>
  auto format(const migrate::MigrationId& id, Context& ctx) const {
    return fmt::formatter<std::string_view>::format(id.text(), ctx);
  }
};
