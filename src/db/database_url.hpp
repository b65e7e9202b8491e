#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace migrate {

struct Engine;

/// A parsed database URL (DESIGN.md, "Database URLs").
struct DatabaseUrl {
  /// The engine its scheme chose (db/engine.hpp), set by parse_database_url; null in a URL that
  /// was not parsed.
  const Engine* engine = nullptr;
  std::string text;            ///< as given; may hold a password, so print redacted() instead
  std::filesystem::path path;  ///< sqlite: the database file, absolute
  bool memory = false;         ///< sqlite::memory:

  /// The URL with any password replaced by "***": the only form that reaches any output.
  std::string redacted() const;
};

/// Parses a URL by the engine its scheme names (db/engine.hpp): `sqlite:relative/path.db`,
/// `sqlite:///absolute/path.db`, `sqlite::memory:`, `postgres://…` / `postgresql://…`. Relative
/// SQLite paths are resolved against `base`. Throws ConfigError explaining the accepted forms.
DatabaseUrl parse_database_url(std::string_view text, const std::filesystem::path& base);

/// Throws the ConfigError of a URL that does not parse: `why`, and every engine's accepted
/// forms. For the engines' URL readers.
[[noreturn]] void throw_bad_url(std::string_view text, std::string_view why);

/// A server URL (`scheme://authority/name?query`) naming the database `name` instead: for
/// development databases created on the server another URL names.
std::string url_with_database(std::string_view url, std::string_view name);

/// Hides the password of anything in `text` that looks like "scheme://user:password@", and of
/// `password=` parameters: for messages that quote a URL that did not parse.
std::string redact_url(std::string_view text);

}  // namespace migrate
