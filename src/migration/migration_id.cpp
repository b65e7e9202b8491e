#include "migration/migration_id.hpp"

#include <algorithm>
#include <vector>

#include "util/text.hpp"

namespace migrate {

namespace {

/// `digits` without leading zeros ("0" for zero).
std::string_view without_leading_zeros(std::string_view digits) {
  while (digits.size() > 1 && digits.front() == '0') {
    digits.remove_prefix(1);
  }
  return digits;
}

/// Numbers written as digits, compared by value.
std::strong_ordering compare_numbers(std::string_view x, std::string_view y) {
  x = without_leading_zeros(x);
  y = without_leading_zeros(y);
  if (x.size() != y.size()) {
    return x.size() <=> y.size();
  }
  return x.compare(y) <=> 0;
}

/// The next part of a value ("1.2" gives "1", then "2"), removed from `rest`; "0" past its end.
std::string_view next_part(std::string_view& rest) {
  if (rest.empty()) {
    return "0";
  }
  std::size_t dot = rest.find('.');
  std::string_view part = rest.substr(0, dot);
  rest = dot == std::string_view::npos ? std::string_view{} : rest.substr(dot + 1);
  return part;
}

}  // namespace

MigrationId::MigrationId(std::string text) : m_text(std::move(text)) {
  if (m_text.find('.') == std::string::npos) {
    return;  // plain digits: the value is a view of the text
  }
  std::vector<std::string_view> parts;
  std::string_view rest = m_text;
  while (!rest.empty()) {
    parts.push_back(without_leading_zeros(next_part(rest)));
  }
  while (parts.size() > 1 && parts.back() == "0") {
    parts.pop_back();
  }
  for (std::string_view part : parts) {
    m_value += (m_value.empty() ? "" : ".") + std::string(part);
  }
}

std::optional<MigrationId> MigrationId::from_digits(std::string_view digits) {
  if (!is_digits(digits)) {
    return std::nullopt;
  }
  return MigrationId(std::string(digits));
}

std::optional<MigrationId> MigrationId::from_text(std::string_view text) {
  std::string dotted(text);
  std::replace(dotted.begin(), dotted.end(), '_', '.');
  std::string_view rest = dotted;
  do {
    std::size_t dot = rest.find('.');
    if (!is_digits(rest.substr(0, dot))) {
      return std::nullopt;  // an empty group too: is_digits("") is false
    }
    rest = dot == std::string_view::npos ? std::string_view{} : rest.substr(dot + 1);
    if (dot != std::string_view::npos && rest.empty()) {
      return std::nullopt;  // "1."
    }
  } while (!rest.empty());
  return MigrationId(std::move(dotted));
}

MigrationId MigrationId::from_name(std::string_view name) {
  MigrationId id;
  id.m_text = std::string(name);
  id.m_named = true;
  return id;
}

MigrationId MigrationId::from_row(std::string_view text) {
  // A version is stored with dots (1.1): a `_` is a name's (20240101_120000, a stem).
  std::optional<MigrationId> id =
      text.find('_') == std::string_view::npos ? from_text(text) : std::nullopt;
  return id ? *id : from_name(text);
}

std::string_view MigrationId::value() const {
  if (m_named) {
    return m_text;
  }
  return dotted() ? std::string_view(m_value) : without_leading_zeros(m_text);
}

MigrationId MigrationId::next() const {
  std::string digits = m_text.empty() ? "0" : m_text;
  std::size_t first = digits.rfind('.') == std::string::npos ? 0 : digits.rfind('.') + 1;
  for (std::size_t i = digits.size(); i-- > first;) {
    if (digits[i] != '9') {
      ++digits[i];
      return MigrationId(digits);
    }
    digits[i] = '0';
  }
  return MigrationId(digits.insert(first, "1"));
}

std::strong_ordering operator<=>(const MigrationId& a, const MigrationId& b) {
  if (a.named() || b.named()) {
    if (a.named() != b.named()) {
      return a.named() ? std::strong_ordering::greater : std::strong_ordering::less;
    }
    return a.text().compare(b.text()) <=> 0;
  }
  if (!a.dotted() && !b.dotted()) {
    return compare_numbers(a.value(), b.value());
  }
  std::string_view x = a.value(), y = b.value();
  while (!x.empty() || !y.empty()) {
    if (std::strong_ordering order = compare_numbers(next_part(x), next_part(y)); order != 0) {
      return order;
    }
  }
  return std::strong_ordering::equal;
}

}  // namespace migrate
