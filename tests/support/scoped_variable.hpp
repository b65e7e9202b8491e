#pragma once

#include <optional>
#include <string>

namespace migrate::test {

/// Sets an environment variable for a scope (this test's process only; nullopt unsets it),
/// then puts back what it was.
class ScopedVariable {
 public:
  ScopedVariable(const char* name, const std::optional<std::string>& value);
  ScopedVariable(const ScopedVariable&) = delete;
  ScopedVariable& operator=(const ScopedVariable&) = delete;
  ~ScopedVariable();

 private:
  const char* m_name;
  std::optional<std::string> m_old;
};

}  // namespace migrate::test
