// The statement splitters: SQLite's (sqlite3_complete) and PostgreSQL's (libpg_query's
// parser), which decide what runs as one statement. Input: a byte choosing the dialect, then
// the SQL of a section.
//
// Properties: the statements are the input's own bytes, in order, none overlapping; what lies
// between them (and before the first, after the last) is only white space, comments and
// semicolons. No byte of SQL is dropped, duplicated or changed. PostgreSQL's splitter refuses
// what its parser cannot read with a StatementError, never another exception.
#include <string>
#include <vector>

#include "db/postgres/postgres_sql.hpp"
#include "db/sqlite/sqlite_dialect.hpp"
#include "fuzz_support.hpp"
#include "util/sql_text.hpp"

using namespace migrate;
using fuzz::require;

namespace {

/// Whether a stretch between statements holds nothing that would run.
bool runs_nothing(std::string_view between, bool postgres) {
  std::string spaced(between);
  for (char& c : spaced) {
    c = c == ';' ? ' ' : c;
  }
  return blank_sql_prefix(spaced, postgres) == spaced.size();
}

void check_split(std::string_view sql, const std::vector<Statement>& statements, bool nested) {
  std::size_t end = 0;  // of the previous statement
  for (const Statement& statement : statements) {
    require(!statement.sql.empty(), "an empty statement", std::string(sql));
    require(statement.offset >= end, "statements overlap or go back", std::string(sql));
    require(statement.offset + statement.sql.size() <= sql.size() &&
                sql.substr(statement.offset, statement.sql.size()) == statement.sql,
            "a statement is not the input's own bytes", statement.sql);
    require(runs_nothing(sql.substr(end, statement.offset - end), nested),
            "SQL between statements was dropped", std::string(sql.substr(end)));
    end = statement.offset + statement.sql.size();
  }
  require(runs_nothing(sql.substr(end), nested), "SQL after the last statement was dropped",
          std::string(sql.substr(end)));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::FuzzInput input(data, size);
  bool postgres = input.choose(2) == 1;
  std::string_view sql = input.rest();
  if (!postgres) {
    check_split(sql, SqliteDialect().split(sql), false);
    return 0;
  }
  if (sql.find('\0') != std::string_view::npos) {
    return 0;  // a section with a NUL byte is refused before it is split (the parser's rule)
  }
  try {
    check_split(sql, split_postgres_sql(sql), true);
  } catch (const StatementError&) {
  }
  return 0;
}
