#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "db/connect_options.hpp"
#include "db/connection.hpp"
#include "db/database_url.hpp"
#include "db/dialect.hpp"

namespace migrate {

/// One database engine as migrate knows it: the URL schemes it answers to, its Dialect, and how
/// to read its URLs and open a connection. Each engine folder (db/<engine>/) defines one; the
/// registry (engines()) lists them. See ARCHITECTURE.md, "How to add a database engine".
/// Its string_views point at literals (static storage): engines() hands out copies freely.
struct Engine {
  std::string_view name;                  ///< "sqlite", "postgresql", as its Dialect names itself
  std::vector<std::string_view> schemes;  ///< the URL schemes, before the ':'
  std::string_view url_forms;             ///< for messages: "postgres://user:password@host…"
  const Dialect& (*dialect)();
  /// Reads a URL with one of `schemes` (`after_colon`: the text after "scheme:"), resolving a
  /// relative file against `base`. Throws ConfigError saying what is wrong.
  DatabaseUrl (*parse_url)(std::string_view text, std::string_view after_colon,
                           const std::filesystem::path& base);
  /// Opens a connection. nullptr only when opening read-only a database that does not exist
  /// yet and that the engine would create (a file): for the read commands, nothing is applied.
  std::unique_ptr<Connection> (*open)(const DatabaseUrl& url, const ConnectOptions& options);
};

/// Every engine migrate has, SQLite (the embedded default) first.
const std::vector<Engine>& engines();
/// The engine answering to `scheme` ("postgres"), or null.
const Engine* engine_for_scheme(std::string_view scheme);
/// The engine of a parsed URL.
const Engine& engine_of(const DatabaseUrl& url);

}  // namespace migrate
