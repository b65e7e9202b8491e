#include "db/database_url.hpp"

#include <algorithm>
#include <string>

#include <fmt/format.h>

#include "db/engine.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

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

namespace {

/// The values of `password=` parameters (in a URL's query or a conninfo string), their names
/// read as libpq reads them: percent-decoded. In a URL a value runs to the next '&', spaces and
/// line ends included (libpq's password "se cret" from "password=se cret"); in a conninfo
/// string, to the next blank.
void add_password_parameters(std::string_view text, std::vector<TextSpan>& spans) {
  constexpr std::string_view kSeparators = "?& \t\n";
  const std::string_view value_ends = text.find("://") != std::string_view::npos ? "&" : "& \t\n";
  for (std::size_t equals = text.find('='); equals != std::string_view::npos;
       equals = text.find('=', equals + 1)) {
    std::size_t before = text.find_last_of(kSeparators, equals);
    std::size_t name_start = before == std::string_view::npos ? 0 : before + 1;
    if (!percent_decoded(text.substr(name_start, equals - name_start)).ends_with("password")) {
      continue;
    }
    std::size_t value_end = text.find_first_of(value_ends, equals + 1);
    spans.push_back({equals + 1, value_end == std::string_view::npos ? text.size() : value_end});
  }
}

/// `spans` sorted, and merged where they overlap or touch.
std::vector<TextSpan> merged(std::vector<TextSpan> spans) {
  std::sort(spans.begin(), spans.end(),
            [](const TextSpan& a, const TextSpan& b) { return a.start < b.start; });
  std::vector<TextSpan> out;
  for (const TextSpan& span : spans) {
    if (!out.empty() && span.start <= out.back().end) {
      out.back().end = std::max(out.back().end, span.end);
    } else {
      out.push_back(span);
    }
  }
  return out;
}

}  // namespace

std::vector<TextSpan> password_spans(std::string_view text) {
  std::vector<TextSpan> spans;
  // "user:password@": a password may hold an unencoded '@', '/' or '?' (a URL that then fails
  // to connect, so its message quotes it), hence up to the last '@'; and a mistyped scheme
  // ("postgres:/u:p@h") has no "://" to start from, hence from the start then.
  std::size_t at = text.rfind('@');
  if (at != std::string_view::npos && !text.starts_with("sqlite")) {
    std::size_t scheme_end = text.find("://");
    std::size_t start =
        scheme_end != std::string_view::npos && scheme_end < at ? scheme_end + 3 : 0;
    std::size_t colon = text.find(':', start);
    if (colon != std::string_view::npos && colon < at) {
      spans.push_back({colon + 1, at});
    }
  }
  add_password_parameters(text, spans);
  return merged(std::move(spans));
}

std::string redact_url(std::string_view text) {
  std::string out;
  std::size_t shown = 0;
  for (const TextSpan& span : password_spans(text)) {
    out += text.substr(shown, span.start - shown);
    out += "***";
    shown = span.end;
  }
  return out + std::string(text.substr(shown));
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
