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

/// The module's function `name`: libpq, libpg_query and the libraries they bring are loaded
/// the first time one is needed, not at every start (util/module.hpp).
template <typename Entry>
Entry* postgres_entry(const char* name) {
  return module_entry<Entry>(kPostgresModule, "PostgreSQL support", name);
}

std::unique_ptr<Connection> open_postgres(const DatabaseUrl& url, const ConnectOptions& options) {
  static auto* const open =
      postgres_entry<decltype(migrate_open_postgres)>("migrate_open_postgres");
  return open(url, options);
}

const Dialect& dialect() {
  static const Dialect& dialect =
      *postgres_entry<decltype(migrate_postgres_dialect)>("migrate_postgres_dialect")();
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
