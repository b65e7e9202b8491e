#include "db/postgres/postgres_dialect.hpp"

#include "db/postgres/postgres_sql.hpp"

namespace migrate {

Dialect::Capabilities PostgresDialect::capabilities() const {
  return {.transactional_ddl = true,
          .advisory_locks = true,
          .schemas = true,
          .create_index_if_not_exists = true,
          .concurrent_index = true};
}

std::vector<Statement> PostgresDialect::split(std::string_view sql) const {
  return split_postgres_sql(sql);
}

std::optional<std::string> PostgresDialect::parse_tree(std::string_view sql) const {
  return parse_postgres_sql(sql);
}

bool PostgresDialect::controls_transaction(std::string_view statement) const {
  return postgres_controls_transaction(statement);
}

bool PostgresDialect::cannot_run_in_transaction(std::string_view statement,
                                                int server_version) const {
  return postgres_cannot_run_in_transaction(statement, server_version);
}

SessionChange PostgresDialect::session_change(std::string_view statement) const {
  return postgres_session_change(statement);
}

const PostgresDialect& postgres_dialect() {
  static const PostgresDialect kDialect;
  return kDialect;
}

}  // namespace migrate
