#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "db/statement.hpp"

namespace migrate::test {

// The two halves of a split section, for comparing with what a test expects.

inline std::vector<std::string> sqls(const std::vector<Statement>& statements) {
  std::vector<std::string> out;
  for (const Statement& s : statements) {
    out.push_back(s.sql);
  }
  return out;
}

inline std::vector<std::size_t> offsets(const std::vector<Statement>& statements) {
  std::vector<std::size_t> out;
  for (const Statement& s : statements) {
    out.push_back(s.offset);
  }
  return out;
}

}  // namespace migrate::test
