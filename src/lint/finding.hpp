#pragma once

#include <string>
#include <string_view>

namespace migrate {

/// How much a finding matters: an error blocks (exit 3, the gate refuses), a warning is
/// printed, a note is context (a rewrite on a table known to be small).
enum class Severity { note, warning, error };

/// "note", "warning", "error".
const char* severity_name(Severity severity);

/// One rule of the linter: its stable name (squawk's where squawk has the rule), what it says,
/// why it matters, and the safe way, with SQL.
struct RuleInfo {
  std::string_view name;
  Severity severity = Severity::warning;  ///< unless migrate.conf says otherwise
  std::string_view message;               ///< one line: what the statement does
  std::string_view why;                   ///< what it costs in production
  std::string_view safe;                  ///< the safe way, with SQL
  /// False for a suppression's own findings (a suppression without a reason), which no
  /// `-- migrate:lint ignore=…` silences: the way out is to fix the suppression.
  bool suppressible = true;
};

/// A rule's finding at one statement.
struct Finding {
  const RuleInfo* rule = nullptr;
  Severity severity = Severity::warning;
  std::string file;    ///< as the user names it
  int line = 1;        ///< of the statement's first character
  std::string detail;  ///< the message for this statement (names the table, the column)
  /// The existing table whose size decides what the statement costs (a rewrite, a scan, an
  /// index build), as written; empty where size does not matter (a breaking change, a lock
  /// wait). With a database, a finding on a small table is only a note (lint-small-table).
  std::string table_schema;
  std::string table;
};

}  // namespace migrate
