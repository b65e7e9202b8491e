#include "support/scoped_variable.hpp"

#include <cstdlib>

namespace migrate::test {

ScopedVariable::ScopedVariable(const char* name, const std::optional<std::string>& value)
    : m_name(name) {
  if (const char* old = std::getenv(name)) {
    m_old = old;
  }
  if (value) {
    ::setenv(name, value->c_str(), 1);
  } else {
    ::unsetenv(name);
  }
}

ScopedVariable::~ScopedVariable() {
  if (m_old) {
    ::setenv(m_name, m_old->c_str(), 1);
  } else {
    ::unsetenv(m_name);
  }
}

}  // namespace migrate::test
