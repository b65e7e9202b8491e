#include "migration/migration_id.hpp"

#include "util/text.hpp"

namespace migrate {

std::optional<MigrationId> MigrationId::from_digits(std::string_view digits) {
  if (!is_digits(digits)) {
    return std::nullopt;
  }
  return MigrationId(std::string(digits));
}

std::string_view MigrationId::value() const {
  std::string_view digits = m_text;
  while (digits.size() > 1 && digits.front() == '0') {
    digits.remove_prefix(1);
  }
  return digits;
}

MigrationId MigrationId::next() const {
  std::string digits = m_text.empty() ? "0" : m_text;
  for (std::size_t i = digits.size(); i-- > 0;) {
    if (digits[i] != '9') {
      ++digits[i];
      return MigrationId(digits);
    }
    digits[i] = '0';
  }
  return MigrationId("1" + digits);
}

std::strong_ordering operator<=>(const MigrationId& a, const MigrationId& b) {
  std::string_view x = a.value();
  std::string_view y = b.value();
  if (x.size() != y.size()) {
    return x.size() <=> y.size();
  }
  return x.compare(y) <=> 0;
}

}  // namespace migrate
