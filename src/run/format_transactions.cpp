#include "run/format_transactions.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

#include "db/connection.hpp"
#include "db/dialect.hpp"
#include "migration/migration_format.hpp"
#include "plan/plan.hpp"

namespace migrate {

namespace {

/// Whether `sql` holds, as a whole word in any case, a word that every statement which cannot
/// run in a transaction has (VACUUM, CONCURRENTLY, DATABASE, … and ADD VALUE's VALUE, not
/// VALUES): a cheap filter before splitting, which a folder of a thousand ordinary migrations
/// would otherwise pay on every plan. The parse tree still decides.
bool mentions_untransacted_word(std::string_view sql) {
  static constexpr std::array<std::string_view, 9> kWords = {
      "vacuum",       "concurrently", "reindex", "database", "tablespace",
      "subscription", "system",       "discard", "value"};
  auto word_char = [](char c) {  // ASCII: SQL keywords are
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  std::size_t i = 0;
  while (i < sql.size()) {
    if (!word_char(sql[i])) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < sql.size() && word_char(sql[end])) {
      ++end;
    }
    std::string_view word = sql.substr(i, end - i);
    for (std::string_view candidate : kWords) {
      if (word.size() == candidate.size() &&
          std::equal(word.begin(), word.end(), candidate.begin(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) == b;
          })) {
        return true;
      }
    }
    i = end;
  }
  return false;
}

}  // namespace

void apply_format_transaction_rules(Plan& plan, const Connection& connection) {
  for (PlanStep& step : plan.steps) {
    SectionOptions& options = step.section.options;
    if (step.migration == nullptr || !options.transaction ||
        !runs_outside_transaction_when_needed(step.migration->format) ||
        !mentions_untransacted_word(step.section.sql)) {
      continue;
    }
    std::vector<Statement> statements;
    try {
      statements = connection.dialect().split(step.section.sql);
    } catch (const StatementError&) {
      continue;  // the executor reports it, with the file and line
    }
    if (std::any_of(statements.begin(), statements.end(), [&](const Statement& statement) {
          return connection.cannot_run_in_transaction(statement.sql);
        })) {
      options.transaction = false;
    }
  }
}

}  // namespace migrate
