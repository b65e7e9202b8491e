#include "util/cache_home.hpp"

#include <cstdlib>

namespace migrate {

namespace {

std::optional<std::filesystem::path> absolute_variable(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value != '/') {
    return std::nullopt;
  }
  return std::filesystem::path(value);
}

}  // namespace

std::optional<std::filesystem::path> cache_home() {
  if (std::optional<std::filesystem::path> xdg = absolute_variable("XDG_CACHE_HOME")) {
    return *xdg / "migrate";
  }
  if (std::optional<std::filesystem::path> home = absolute_variable("HOME")) {
    return *home / ".cache" / "migrate";
  }
  return std::nullopt;
}

}  // namespace migrate
