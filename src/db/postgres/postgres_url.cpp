#include "db/postgres/postgres_url.hpp"

#include <algorithm>
#include <initializer_list>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "db/database_url.hpp"
#include "db/postgres/pg_handle.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace migrate {

namespace {

std::vector<std::string> schemas(std::string_view value) {
  std::string decoded = percent_decoded(value);  // outlives the views split_words returns
  std::vector<std::string> names;
  for (std::string_view name : split_words(decoded, /*commas=*/true)) {
    names.emplace_back(name);
  }
  return names;
}

/// Whether `word` is one of libpq's connection options ("port", "sslmode"): its messages quote
/// them, and they hold nothing of the URL's.
bool libpq_keyword(std::string_view word) {
  PgConninfo defaults(PQconndefaults());
  for (const PQconninfoOption* option = defaults.get(); option && option->keyword; ++option) {
    if (word == option->keyword) {
      return true;
    }
  }
  return false;
}

/// Whether `token` shows nothing of `url`'s passwords: it is found in the URL away from all of
/// them. A token found nowhere (libpq quotes some percent-decoded) is not known to be safe.
bool found_clear_of_passwords(std::string_view token, std::string_view url) {
  std::vector<TextSpan> spans = password_spans(url);
  for (std::size_t pos = url.find(token); pos != std::string_view::npos;
       pos = url.find(token, pos + 1)) {
    bool clear = std::none_of(spans.begin(), spans.end(), [&](const TextSpan& span) {
      return pos < span.end && span.start < pos + token.size();
    });
    if (clear) {
      return true;
    }
  }
  return false;
}

/// Marks in `hidden` every place of `message` that shows one of the passwords of `urls`. One
/// shorter than four bytes is left to hide_quoted: libpq quotes what it takes from a URL, and
/// hiding "a" everywhere would make "inv***id URI".
void hide_passwords(std::string_view message, std::initializer_list<std::string_view> urls,
                    std::vector<bool>& hidden) {
  constexpr std::size_t kShortest = 4;
  for (std::string_view url : urls) {
    for (const TextSpan& span : password_spans(url)) {
      std::string_view secret = url.substr(span.start, span.end - span.start);
      for (std::size_t pos = secret.size() < kShortest ? std::string_view::npos
                                                       : message.find(secret);
           pos != std::string_view::npos; pos = message.find(secret, pos + 1)) {
        std::fill_n(hidden.begin() + static_cast<std::ptrdiff_t>(pos), secret.size(), true);
      }
    }
  }
}

/// Marks in `hidden` what libpq quoted ("…: \"%s\"") that may hold a piece of a password: a
/// quoted token is shown only when it is one character, a libpq option name, or found in one
/// of `urls` away from its passwords. Quotes pair in order; where a URL holds a quote of its
/// own, pairs cannot be told apart and everything between the first and the last is hidden.
void hide_quoted(std::string_view message, std::initializer_list<std::string_view> urls,
                 std::vector<bool>& hidden) {
  auto hide = [&](std::size_t from, std::size_t to) {
    std::fill(hidden.begin() + static_cast<std::ptrdiff_t>(from),
              hidden.begin() + static_cast<std::ptrdiff_t>(to), true);
  };
  bool quotes_in_url = std::any_of(urls.begin(), urls.end(), [](std::string_view url) {
    return url.find('"') != std::string_view::npos;
  });
  std::size_t first = message.find('"');
  if (quotes_in_url) {
    if (first != std::string_view::npos) {
      hide(first + 1, message.rfind('"'));
    }
    return;
  }
  for (std::size_t open = first; open != std::string_view::npos;) {
    std::size_t close = message.find('"', open + 1);
    if (close == std::string_view::npos) {
      hide(open + 1, message.size());
      return;
    }
    std::string_view token = message.substr(open + 1, close - open - 1);
    bool shown = token.size() <= 1 || libpq_keyword(token) ||
                 std::any_of(urls.begin(), urls.end(), [&](std::string_view url) {
                   return found_clear_of_passwords(token, url);
                 });
    if (!shown) {
      hide(open + 1, close);
    }
    open = message.find('"', close + 1);
  }
}

/// `message` with each run of hidden bytes shown as "***".
std::string shown_as_stars(std::string_view message, const std::vector<bool>& hidden) {
  std::string shown;
  for (std::size_t pos = 0; pos < message.size(); ++pos) {
    if (!hidden[pos]) {
      shown += message[pos];
    } else if (pos == 0 || !hidden[pos - 1]) {
      shown += "***";
    }
  }
  return shown;
}

/// libpq's message about `urls` (the URL as given, and as libpq read it, without migrate's own
/// parameters) with their passwords hidden, wherever it quotes them.
std::string without_passwords(std::string_view message,
                              std::initializer_list<std::string_view> urls) {
  std::vector<bool> hidden(message.size(), false);
  hide_passwords(message, urls, hidden);
  hide_quoted(message, urls, hidden);
  return shown_as_stars(message, hidden);
}

/// Refuses a URL whose host libpq would read out of its password: a password holding an
/// unencoded '/', '?' or '#' ends the host there ("u:pa/ss@h": host "u", port "pa"), and the
/// password would show in messages as a host or a port. Such a URL has an '@' after the
/// host's end: in the path, or in the query after a "port" that is no number. (An '@' in the
/// query after a real port, "h:5432/db?x=a@b", is a parameter's.) `text` is the URL as given,
/// or as handed to libpq: search_path cut out of the query may take with it the '/' that made
/// a later '@' no user's ("h?search_path=a/b&x=c@d": libpq would read "h?x=c" as the user).
void refuse_password_as_host(std::string_view text, const DatabaseUrl& url) {
  std::size_t scheme_end = text.find("://");
  std::size_t start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  std::size_t host_end = std::min(text.find_first_of("/?#", start), text.size());
  // libpq reads everything before the first '@' as user and password when no '/' comes first;
  // a '?' or '#' there would be taken for the query here (search_path is cut out of it): the
  // password libpq got would not be the one written.
  std::size_t first_at = text.find('@', start);
  bool user_info = first_at != std::string_view::npos && first_at < text.find('/', start);
  bool ends_early = user_info && text.find_first_of("?#", start) < first_at;
  std::size_t at = text.rfind('@');
  std::string_view authority = text.substr(start, host_end - start);
  // Two '@' before the host's end: libpq ends the user information at the first, the password
  // here runs to the last, and what libpq then quotes of its host is the password's end.
  if (std::count(authority.begin(), authority.end(), '@') > 1) {
    throw ConfigError(
        fmt::format("bad database URL '{}': its password (or user name) holds an '@', where "
                    "libpq would end it: percent-encode it as %40",
                    url.redacted()));
  }
  // The host and port: after the user information when it ends before the host does
  // ("u:pw@h:5432"), where a colon is the port's, not the password's.
  if (std::size_t user_end = authority.rfind('@'); user_end != std::string_view::npos) {
    authority.remove_prefix(user_end + 1);
  }
  std::size_t bracket = authority.find(']');  // "[::1]": an IPv6 host's colons are no password's
  std::size_t colon = authority.find(':', bracket == std::string_view::npos ? 0 : bracket);
  if (!ends_early &&
      (at == std::string_view::npos || at < host_end || colon == std::string_view::npos)) {
    return;
  }
  bool in_path = at < text.find('?', start);
  bool port = colon != std::string_view::npos && is_digits(authority.substr(colon + 1));
  if (!ends_early && !in_path && port) {
    return;
  }
  throw ConfigError(fmt::format(
      "bad database URL '{}': its password (or user name) seems to hold '/', '?' or '#', "
      "which end the host: percent-encode them ('/' as %2F, '?' as %3F, '#' as %23, and an "
      "'@' as %40)",
      url.redacted()));
}

}  // namespace

PostgresTarget parse_postgres_url(const DatabaseUrl& url) {
  refuse_password_as_host(url.text, url);
  PostgresTarget target;
  std::string_view text = url.text;
  std::size_t question = text.find('?');
  target.conninfo = std::string(text.substr(0, question));
  if (question != std::string_view::npos) {
    std::vector<std::string> kept;
    std::string query(text.substr(question + 1));
    std::size_t start = 0;
    while (start <= query.size()) {
      std::size_t end = query.find('&', start);
      std::string_view pair =
          std::string_view(query).substr(start, end == std::string::npos ? end : end - start);
      std::string_view key = pair.substr(0, pair.find('='));
      std::string_view value = pair.find('=') == std::string_view::npos
                                   ? std::string_view{}
                                   : pair.substr(key.size() + 1);
      if (key == "search_path" || key == "schema") {
        target.search_path = schemas(value);
      } else if (!pair.empty()) {
        kept.emplace_back(pair);
      }
      if (end == std::string::npos) {
        break;
      }
      start = end + 1;
    }
    if (!kept.empty()) {
      target.conninfo += fmt::format("?{}", fmt::join(kept, "&"));
    }
  }
  refuse_password_as_host(target.conninfo, url);
  char* error = nullptr;
  PgConninfo options(PQconninfoParse(target.conninfo.c_str(), &error));
  if (!options) {
    std::string why = error != nullptr ? without_passwords(trim(error), {target.conninfo, url.text})
                                       : "libpq cannot read it";
    PQfreemem(error);
    throw ConfigError(
        fmt::format("bad database URL '{}': {} (PostgreSQL URLs look like "
                    "postgres://user:password@host:5432/database?sslmode=require&search_path=app)",
                    url.redacted(), why));
  }
  for (PQconninfoOption* option = options.get(); option->keyword != nullptr; ++option) {
    std::string value = option->val != nullptr ? option->val : "";
    std::string_view keyword = option->keyword;
    if (!value.empty()) {
      target.options.emplace_back(keyword, value);
    }
    if (keyword == "dbname") {
      target.database = value;
    } else if (keyword == "user") {
      target.user = value;
    } else if (keyword == "host") {
      target.host = value;
    } else if (keyword == "port") {
      target.port = value;
    } else if (keyword == "password") {
      target.password = value;
    }
  }
  return target;
}

}  // namespace migrate
