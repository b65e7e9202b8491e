#pragma once

#include "db/dialect.hpp"

namespace migrate {

/// PostgreSQL's SQL, read by its own parser (libpg_query, postgres_sql): no server needed, so a
/// syntax error is found before anything runs and `--sql` works offline. DDL is transactional;
/// schemas, advisory locks, CREATE INDEX CONCURRENTLY.
class PostgresDialect final : public Dialect {
 public:
  std::string_view name() const override { return "postgresql"; }
  Capabilities capabilities() const override;
  std::vector<Statement> split(std::string_view sql) const override;
  std::optional<std::string> parse_tree(std::string_view sql) const override;
  bool controls_transaction(std::string_view statement) const override;
  bool cannot_run_in_transaction(std::string_view statement, int server_version = 0) const override;
  SessionChange session_change(std::string_view statement) const override;
};

/// The one PostgresDialect (stateless, immutable).
const PostgresDialect& postgres_dialect();

}  // namespace migrate
