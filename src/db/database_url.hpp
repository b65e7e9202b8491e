#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace migrate {

/// A parsed database URL (DESIGN.md, "Database URLs").
struct DatabaseUrl {
  enum class Scheme { sqlite, postgres };
  Scheme scheme = Scheme::sqlite;
  std::string text;            ///< as given; may hold a password, so print redacted() instead
  std::filesystem::path path;  ///< sqlite: the database file, absolute
  bool memory = false;         ///< sqlite::memory:

  /// The URL with any password replaced by "***": the only form that reaches any output.
  std::string redacted() const;
};

/// Parses `sqlite:relative/path.db`, `sqlite:///absolute/path.db`, `sqlite::memory:` and
/// `postgres://…` / `postgresql://…`. Relative SQLite paths are resolved against `base`.
/// Throws ConfigError explaining the accepted forms.
DatabaseUrl parse_database_url(std::string_view text, const std::filesystem::path& base);

/// Hides the password of anything in `text` that looks like "scheme://user:password@", and of
/// `password=` parameters: for messages that quote a URL that did not parse.
std::string redact_url(std::string_view text);

}  // namespace migrate
