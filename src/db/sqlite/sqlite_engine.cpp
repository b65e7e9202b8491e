#include "db/sqlite/sqlite_engine.hpp"

#include <fmt/format.h>

#include "db/sqlite/sqlite_connection.hpp"
#include "db/sqlite/sqlite_dialect.hpp"
#include "util/error.hpp"

namespace migrate {

namespace {

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
  return std::make_unique<SqliteConnection>(url, options);
}

const Dialect& dialect() {
  return sqlite_dialect();
}

}  // namespace

Engine sqlite_engine() {
  return {.name = "sqlite",
          .schemes = {"sqlite", "sqlite3"},
          .url_forms = "sqlite:relative/path.db, sqlite:///absolute/path.db, sqlite::memory:",
          .dialect = dialect,
          .parse_url = parse_sqlite_url,
          .open = open_sqlite};
}

}  // namespace migrate
