#include "db/sqlite/sqlite_engine.hpp"

#include <fmt/format.h>

#include "db/sqlite/sqlite_module.hpp"
#include "util/error.hpp"
#include "util/module.hpp"

namespace migrate {

namespace {

/// The module's function `name`: libsqlite3 is loaded the first time one is needed, not at
/// every start (util/module.hpp).
template <typename Entry>
Entry* sqlite_entry(const char* name) {
  return module_entry<Entry>(kSqliteModule, "SQLite support", name);
}

DatabaseUrl parse_sqlite_url(std::string_view text, std::string_view rest,
                             const std::filesystem::path& base) {
  DatabaseUrl url;
  url.text = std::string(text);
  if (rest.starts_with("//")) {
    rest.remove_prefix(2);  // sqlite:///abs -> /abs, sqlite://rel -> rel
  }
  if (rest == ":memory:") {
    url.memory = true;
    return url;
  }
  if (rest.find('?') != std::string_view::npos) {
    throw_bad_url(text, "SQLite URLs take no '?' parameters");
  }
  if (rest.empty()) {
    throw_bad_url(text, "no file path after 'sqlite:'");
  }
  std::filesystem::path path(rest);
  url.path = path.is_absolute() ? path : (base / path).lexically_normal();
  return url;
}

std::unique_ptr<Connection> open_sqlite(const DatabaseUrl& url, const ConnectOptions& options) {
  if (options.read_only && !url.memory && !std::filesystem::exists(url.path)) {
    return nullptr;  // reading must not create the file
  }
  static auto* const open = sqlite_entry<decltype(migrate_open_sqlite)>("migrate_open_sqlite");
  return open(url, options);
}

const Dialect& dialect() {
  static const Dialect& dialect =
      *sqlite_entry<decltype(migrate_sqlite_dialect)>("migrate_sqlite_dialect")();
  return dialect;
}

}  // namespace

SchemaModel read_sqlite_schema_of(Connection& connection, const SchemaReadOptions& options) {
  static auto* const read =
      sqlite_entry<decltype(migrate_read_sqlite_schema)>("migrate_read_sqlite_schema");
  return read(connection, options);
}

std::string sqlite_schema_fingerprint_of(Connection& connection) {
  static auto* const fingerprint = sqlite_entry<decltype(migrate_sqlite_schema_fingerprint)>(
      "migrate_sqlite_schema_fingerprint");
  return fingerprint(connection);
}

StatementTrace trace_sqlite_statement_of(Connection& connection, std::string_view sql, bool run) {
  static auto* const trace =
      sqlite_entry<decltype(migrate_trace_sqlite_statement)>("migrate_trace_sqlite_statement");
  return trace(connection, sql, run);
}

Engine sqlite_engine() {
  return {.name = "sqlite",
          .schemes = {"sqlite", "sqlite3"},
          .url_forms = "sqlite:relative/path.db, sqlite:///absolute/path.db, sqlite::memory:",
          .dialect = dialect,
          .parse_url = parse_sqlite_url,
          .open = open_sqlite};
}

}  // namespace migrate
