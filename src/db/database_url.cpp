#include "db/database_url.hpp"

#include <fmt/format.h>

#include "util/error.hpp"

namespace migrate {

namespace {

constexpr std::string_view kForms =
    "accepted forms: sqlite:relative/path.db, sqlite:///absolute/path.db, sqlite::memory:, "
    "postgres://user:password@host:port/database";

[[noreturn]] void bad_url(std::string_view text, std::string_view why) {
  throw ConfigError(fmt::format("bad database URL '{}': {} ({})", redact_url(text), why, kForms));
}

DatabaseUrl parse_sqlite(std::string_view text, std::string_view rest,
                         const std::filesystem::path& base) {
  DatabaseUrl url;
  url.scheme = DatabaseUrl::Scheme::sqlite;
  url.text = std::string(text);
  if (rest.starts_with("//")) {
    rest.remove_prefix(2);  // sqlite:///abs -> /abs, sqlite://rel -> rel
  }
  if (rest == ":memory:") {
    url.memory = true;
    return url;
  }
  if (rest.find('?') != std::string_view::npos) {
    bad_url(text, "SQLite URLs take no '?' parameters");
  }
  if (rest.empty()) {
    bad_url(text, "no file path after 'sqlite:'");
  }
  std::filesystem::path path(rest);
  url.path = path.is_absolute() ? path : (base / path).lexically_normal();
  return url;
}

}  // namespace

std::string DatabaseUrl::redacted() const {
  return redact_url(text);
}

std::string redact_url(std::string_view text) {
  std::string out(text);
  // "user:password@": a password may hold an unencoded '@', '/' or '?' (a URL that then fails
  // to connect, so its message quotes it), hence up to the last '@'; and a mistyped scheme
  // ("postgres:/u:p@h") has no "://" to start from, hence from the start then.
  std::size_t at = out.rfind('@');
  if (at != std::string::npos && !out.starts_with("sqlite")) {
    std::size_t scheme_end = out.find("://");
    std::size_t start = scheme_end != std::string::npos && scheme_end < at ? scheme_end + 3 : 0;
    std::size_t colon = out.find(':', start);
    if (colon != std::string::npos && colon < at) {
      out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  for (std::size_t pos = out.find("password="); pos != std::string::npos;
       pos = out.find("password=", pos + 1)) {
    std::size_t value = pos + 9;
    std::size_t end = out.find_first_of("& ", value);
    out.replace(value, (end == std::string::npos ? out.size() : end) - value, "***");
  }
  return out;
}

DatabaseUrl parse_database_url(std::string_view text, const std::filesystem::path& base) {
  if (text.empty()) {
    bad_url(text, "it is empty");
  }
  std::size_t colon = text.find(':');
  if (colon == std::string_view::npos) {
    bad_url(text, "it has no scheme");
  }
  std::string_view scheme = text.substr(0, colon);
  if (scheme == "sqlite" || scheme == "sqlite3") {
    return parse_sqlite(text, text.substr(colon + 1), base);
  }
  if (scheme == "postgres" || scheme == "postgresql") {
    if (!text.substr(colon).starts_with("://")) {
      bad_url(text, "PostgreSQL URLs start with postgres://");
    }
    DatabaseUrl url;
    url.scheme = DatabaseUrl::Scheme::postgres;
    url.text = std::string(text);
    return url;
  }
  bad_url(text, fmt::format("unknown scheme '{}'", scheme));
}

}  // namespace migrate
