#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lint/finding.hpp"
#include "lint/lint_context.hpp"

namespace migrate {

class Connection;
class Dialect;

/// One section of a migration file, to lint.
struct LintSection {
  std::string file;  ///< as the user names it
  std::string_view sql;
  int first_line = 1;        ///< the file line of the section's first line
  bool transaction = true;   ///< false: `transaction:false`, each statement on its own
  bool foreign_keys = true;  ///< false: `foreign_keys:off` (SQLite)
  /// Where the dialect has no parse tree (SQLite): a development database holding the schema
  /// the migrations before this one leave, where the section runs so that SQLite itself says
  /// what each statement does (sqlite_linter). Null: nothing to learn it from, no findings.
  Connection* database = nullptr;
};

/// A section as the rules see it: its parse tree and its statements (which point into it, so
/// it does not move or copy).
struct ParsedSection {
  PgNode tree;
  std::vector<LintStatement> statements;

  ParsedSection() = default;
  ParsedSection(const ParsedSection&) = delete;
  ParsedSection& operator=(const ParsedSection&) = delete;
};

/// `section` parsed by `dialect`'s own parser: each statement with its text, file line and
/// whether it runs in a transaction. nullptr where the dialect has no parse tree (SQLite).
/// Throws ParseError at the file line of SQL the parser refuses.
std::unique_ptr<ParsedSection> parse_section(const Dialect& dialect, const LintSection& section);

/// Every rule of every family (rule_families) on each statement of `section`, parsed by
/// `dialect`'s own parser, in order; the tables it creates join context.new_tables for what
/// comes after. Where the dialect has no parse tree (SQLite), the section runs on
/// section.database instead (lint_sqlite_section), and without one there are no findings.
/// Throws ParseError at the file line of SQL the parser refuses.
/// Records in `context` the partitioned tables `section` creates, for a migration the linter
/// reads for nothing else (one already on upstream). Only a section that mentions PARTITION is
/// parsed; one the parser refuses adds nothing.
void note_partitioned_tables(const Dialect& dialect, const LintSection& section,
                             LintContext& context);

std::vector<Finding> lint_section(const Dialect& dialect, const LintSection& section,
                                  LintContext& context);

}  // namespace migrate
