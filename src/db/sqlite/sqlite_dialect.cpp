#include "db/sqlite/sqlite_dialect.hpp"

#include <sqlite3.h>

#include <fmt/format.h>

#include "util/sql_text.hpp"
#include "util/text.hpp"

namespace migrate {

namespace {

/// PRAGMA foreign_keys, and PRAGMA foreign_key_check before the commit.
class SqliteForeignKeys final : public ForeignKeySwitch {
 public:
  std::string set(bool enabled) const override {
    return enabled ? "PRAGMA foreign_keys = ON" : "PRAGMA foreign_keys = OFF";
  }

  std::string state_query() const override { return "PRAGMA foreign_keys"; }

  bool enabled(const std::vector<SqlRow>& state) const override {
    return !state.empty() && state[0][0] == std::optional<std::string>("1");
  }

  std::string check_query() const override { return "PRAGMA foreign_key_check"; }

  std::string describe_violations(const std::vector<SqlRow>& rows) const override {
    if (rows.empty()) {
      return {};
    }
    std::vector<std::string> problems;
    for (std::size_t i = 0; i < rows.size() && i < 5; ++i) {
      problems.push_back(fmt::format("{} row {} has no matching row in {}",
                                     rows[i][0].value_or("?"), rows[i][1].value_or("?"),
                                     rows[i][2].value_or("?")));
    }
    if (rows.size() > 5) {
      problems.push_back(fmt::format("… {} rows in all", rows.size()));
    }
    return fmt::format("the foreign key check (PRAGMA foreign_key_check) failed: {}",
                       fmt::join(problems, "; "));
  }
};

}  // namespace

Dialect::Capabilities SqliteDialect::capabilities() const {
  return {.transactional_ddl = true,
          .advisory_locks = false,
          .schemas = false,
          .create_index_if_not_exists = true,
          .concurrent_index = false};
}

std::vector<Statement> SqliteDialect::split(std::string_view sql) const {
  // sqlite3_complete() knows SQLite's own rules for where a statement ends (strings, comments,
  // the semicolons inside CREATE TRIGGER … END). Nothing is prepared: the tables a statement
  // names may only exist once the previous one has run.
  std::vector<Statement> statements;
  std::size_t start = 0;
  std::string candidate;
  auto add = [&](std::size_t from, std::size_t to) {
    std::string_view text = sql.substr(from, to - from);
    std::size_t skip = blank_sql_prefix(text);
    text.remove_prefix(skip);
    if (!is_blank_sql(text) && text != ";") {
      statements.push_back({std::string(trim_right(text)), from + skip});
    }
  };
  for (std::size_t i = 0; i < sql.size(); ++i) {
    if (sql[i] != ';') {
      continue;
    }
    candidate.assign(sql.substr(start, i + 1 - start));
    if (sqlite3_complete(candidate.c_str())) {
      add(start, i + 1);
      start = i + 1;
    }
  }
  add(start, sql.size());
  return statements;
}

bool SqliteDialect::cannot_run_in_transaction(std::string_view statement,
                                              int /*server_version*/) const {
  return first_sql_keyword(statement) == "VACUUM";  // "cannot VACUUM from within a transaction"
}

bool SqliteDialect::controls_transaction(std::string_view statement) const {
  std::string word = first_sql_keyword(statement);
  if (word == "ROLLBACK") {
    // ROLLBACK [TRANSACTION] TO [SAVEPOINT] name stays inside the transaction.
    std::string_view rest = statement.substr(blank_sql_prefix(statement) + 8);
    std::string next = first_sql_keyword(rest);
    if (next == "TRANSACTION") {
      rest.remove_prefix(blank_sql_prefix(rest) + next.size());
      next = first_sql_keyword(rest);
    }
    return next != "TO";
  }
  return word == "BEGIN" || word == "COMMIT" || word == "END";
}

std::vector<std::string> SqliteDialect::session_settings() const {
  // SQLite leaves foreign keys off unless asked; migrations should respect them (and the
  // foreign_keys:off section option exists for the table rebuilds that must not).
  return {"PRAGMA foreign_keys = ON"};
}

const ForeignKeySwitch* SqliteDialect::foreign_key_switch() const {
  static const SqliteForeignKeys kSwitch;
  return &kSwitch;
}

const SqliteDialect& sqlite_dialect() {
  static const SqliteDialect kDialect;
  return kDialect;
}

}  // namespace migrate
