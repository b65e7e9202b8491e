#include "db/postgres/postgres_engine.hpp"

#include "db/postgres/postgres_module.hpp"
#include "util/module.hpp"

namespace migrate {

namespace {

DatabaseUrl check_postgres_url_form(std::string_view text, std::string_view rest,
                                    const std::filesystem::path& /*base*/) {
  if (!rest.starts_with("//")) {
    throw_bad_url(text, "PostgreSQL URLs start with postgres://");
  }
  DatabaseUrl url;
  url.text = std::string(text);
  return url;  // libpq reads the rest when connecting (parse_postgres_url)
}

/// The modules' functions: libpg_query, and libpq with the libraries it brings, are loaded
/// the first time each is needed, not at every start (util/module.hpp); a command that only
/// splits or lints SQL never loads libpq.
std::unique_ptr<Connection> open_postgres(const DatabaseUrl& url, const ConnectOptions& options) {
  static auto* const open = module_entry<decltype(migrate_open_postgres)>(
      kPostgresModule, "PostgreSQL support", "migrate_open_postgres");
  return open(url, options);
}

const Dialect& dialect() {
  static const Dialect& dialect = *module_entry<decltype(migrate_postgres_dialect)>(
      kPostgresSqlModule, "PostgreSQL's SQL", "migrate_postgres_dialect")();
  return dialect;
}

}  // namespace

Engine postgres_engine() {
  return {.name = "postgresql",
          .schemes = {"postgres", "postgresql"},
          .url_forms = "postgres://user:password@host:port/database",
          .dialect = dialect,
          .parse_url = check_postgres_url_form,
          .open = open_postgres};
}

}  // namespace migrate
