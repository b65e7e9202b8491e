#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

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

/// A stretch of a text, [start, end).
struct TextSpan {
  std::size_t start = 0;
  std::size_t end = 0;
};

/// Where `text` may hold a password, in order, none overlapping: anything that looks like
/// "scheme://user:password@" (from the first ':' after "://" to the last '@', since a password
/// may hold an unencoded '@', '/' or '?'), and the values of `password=` parameters (their
/// names percent-decoded, as libpq reads them). None in a sqlite: URL.
std::vector<TextSpan> password_spans(std::string_view text);

/// `text` with each of its password_spans replaced by "***": the only form of a URL, or of a
/// message quoting one, that reaches any output.
std::string redact_url(std::string_view text);

}  // namespace migrate
