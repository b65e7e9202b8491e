#include "config/environment.hpp"

#include <cstdlib>

namespace migrate {

std::optional<std::string> ProcessEnvironment::get(std::string_view name) const {
  const char* value = std::getenv(std::string(name).c_str());
  if (value == nullptr || *value == '\0') {
    return std::nullopt;
  }
  return value;
}

std::optional<std::string> ProcessEnvironment::get_even_empty(std::string_view name) const {
  const char* value = std::getenv(std::string(name).c_str());
  return value == nullptr ? std::nullopt : std::optional<std::string>(value);
}

std::optional<std::string> MapEnvironment::get_even_empty(std::string_view name) const {
  auto found = m_values.find(name);
  return found == m_values.end() ? std::nullopt : std::optional(found->second);
}

std::optional<std::string> MapEnvironment::get(std::string_view name) const {
  auto found = m_values.find(name);
  if (found == m_values.end() || found->second.empty()) {
    return std::nullopt;
  }
  return found->second;
}

}  // namespace migrate
