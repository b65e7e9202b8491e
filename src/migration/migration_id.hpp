#pragma once

#include <compare>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace migrate {

/// A migration's id: the leading digits of its file name, or a Flyway version of numbers
/// joined by dots ("1.1", "2.10"). Ids compare as numbers, part by part, so golang-migrate's
/// "000001" and dbmate's 14-digit timestamps sort as they should, and "1.2" < "1.10", while the
/// text keeps the digits as written (that is what the file name and the state table hold).
/// A migration with no version has a name for its id (a Flyway repeatable's `R__views`): names
/// compare as text, after every number.
class MigrationId {
 public:
  MigrationId() = default;

  /// An id from its digits; nullopt when `digits` is empty or has anything but 0-9.
  static std::optional<MigrationId> from_digits(std::string_view digits);
  /// An id from digits, or from a version of digit groups joined by `.` or `_` (Flyway's
  /// `1.1`, `1_1`: `_` is read as `.`, as Flyway stores it); nullopt for anything else (an
  /// empty group, a sign, a letter). Plain digits give the same id as from_digits.
  static std::optional<MigrationId> from_text(std::string_view text);
  /// An id that is a name, not a number: equal to another only when the text is.
  static MigrationId from_name(std::string_view name);
  /// What a state table's id column holds: a number or a version written with dots (from_text),
  /// else a name (with a `_`: `20240101_120000`, a name-ordered folder's stem).
  static MigrationId from_row(std::string_view text);

  /// The digits as written (a version's with `_` read as `.`).
  const std::string& text() const { return m_text; }
  /// The number without leading zeros ("0" for zero); for a version each part so, with the
  /// trailing zero parts dropped ("1.0" and "001" are "1"): equal ids have equal values.
  std::string_view value() const;
  /// Whether the id is a dotted version ("1.1"), not plain digits.
  bool dotted() const { return !m_value.empty() && !m_named; }
  /// Whether the id is a name (from_name), not a number.
  bool named() const { return m_named; }

  /// The next id, as wide as this one (or one digit wider on overflow); for a version, the
  /// next of its last part ("1.9" -> "1.10"). Not for a name.
  MigrationId next() const;

  friend bool operator==(const MigrationId& a, const MigrationId& b) {
    return a.named() == b.named() && a.value() == b.value();
  }
  friend std::strong_ordering operator<=>(const MigrationId& a, const MigrationId& b);

 private:
  explicit MigrationId(std::string text);
  std::string m_text;
  std::string m_value;  ///< a dotted version's value; empty for plain digits (computed then)
  bool m_named = false;
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
