#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace migrate {

/// Where environment variables come from: the process, or a fixed map in tests.
class Environment {
 public:
  virtual ~Environment() = default;
  /// The variable's value; nullopt when unset (an empty value counts as unset).
  virtual std::optional<std::string> get(std::string_view name) const = 0;
  /// The variable's value, empty included; nullopt only when unset (goose's `${VAR-word}`
  /// tells the two apart). By default, as get().
  virtual std::optional<std::string> get_even_empty(std::string_view name) const {
    return get(name);
  }
};

class ProcessEnvironment final : public Environment {
 public:
  std::optional<std::string> get(std::string_view name) const override;
  std::optional<std::string> get_even_empty(std::string_view name) const override;
};

class MapEnvironment final : public Environment {
 public:
  explicit MapEnvironment(std::map<std::string, std::string, std::less<>> values)
      : m_values(std::move(values)) {}
  std::optional<std::string> get(std::string_view name) const override;
  std::optional<std::string> get_even_empty(std::string_view name) const override;

 private:
  std::map<std::string, std::string, std::less<>> m_values;
};

}  // namespace migrate
