#include "db/database_url.hpp"

#include <fmt/format.h>

#include "db/engine.hpp"
#include "util/error.hpp"

namespace migrate {

void throw_bad_url(std::string_view text, std::string_view why) {
  std::vector<std::string_view> forms;
  for (const Engine& engine : engines()) {
    forms.push_back(engine.url_forms);
  }
  throw ConfigError(fmt::format("bad database URL '{}': {} (accepted forms: {})", redact_url(text),
                                why, fmt::join(forms, ", ")));
}

std::string DatabaseUrl::redacted() const {
  return redact_url(text);
}

std::string url_with_database(std::string_view url, std::string_view name) {
  std::size_t scheme = url.find("://");
  std::size_t authority = scheme == std::string_view::npos ? 0 : scheme + 3;
  std::size_t query = url.find('?', authority);
  std::size_t slash = url.find('/', authority);
  if (slash == std::string_view::npos || slash > query) {
    slash = query == std::string_view::npos ? url.size() : query;  // no name yet
  }
  std::size_t end = query == std::string_view::npos ? url.size() : query;
  return std::string(url.substr(0, slash)) + "/" + std::string(name) + std::string(url.substr(end));
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
    throw_bad_url(text, "it is empty");
  }
  std::size_t colon = text.find(':');
  if (colon == std::string_view::npos) {
    throw_bad_url(text, "it has no scheme");
  }
  std::string_view scheme = text.substr(0, colon);
  if (const Engine* engine = engine_for_scheme(scheme)) {
    DatabaseUrl url = engine->parse_url(text, text.substr(colon + 1), base);
    url.engine = engine;
    return url;
  }
  throw_bad_url(text, fmt::format("unknown scheme '{}'", scheme));
}

}  // namespace migrate
