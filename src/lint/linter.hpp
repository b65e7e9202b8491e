#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lint/finding.hpp"
#include "lint/lint_context.hpp"

namespace migrate {

class Dialect;

/// One section of a migration file, to lint.
struct LintSection {
  std::string file;  ///< as the user names it
  std::string_view sql;
  int first_line = 1;       ///< the file line of the section's first line
  bool transaction = true;  ///< false: `transaction:false`, each statement on its own
};

/// Every rule of every family (rule_families) on each statement of `section`, parsed by
/// `dialect`'s own parser, in order; the tables it creates join context.new_tables for what
/// comes after. No findings where the dialect has no parse tree (SQLite). Throws ParseError at
/// the file line of SQL the parser refuses.
std::vector<Finding> lint_section(const Dialect& dialect, const LintSection& section,
                                  LintContext& context);

}  // namespace migrate
