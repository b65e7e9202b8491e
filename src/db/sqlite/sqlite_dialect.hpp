#pragma once

#include "db/dialect.hpp"

namespace migrate {

/// SQLite's SQL: statements end where sqlite3_complete() says (it knows strings, comments and
/// the semicolons inside CREATE TRIGGER … END); DDL is transactional; no schemas (a `x.t` name
/// is an attached database), no advisory locks; foreign keys are on for every connection, and a
/// section may switch them off (foreign_keys:off).
class SqliteDialect final : public Dialect {
 public:
  std::string_view name() const override { return "sqlite"; }
  Capabilities capabilities() const override;
  std::vector<Statement> split(std::string_view sql) const override;
  bool controls_transaction(std::string_view statement) const override;
  bool cannot_run_in_transaction(std::string_view statement, int server_version = 0) const override;
  std::vector<std::string> session_settings() const override;
  const ForeignKeySwitch* foreign_key_switch() const override;
};

/// The one SqliteDialect (stateless, immutable).
const SqliteDialect& sqlite_dialect();

}  // namespace migrate
