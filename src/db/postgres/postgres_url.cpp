#include "db/postgres/postgres_url.hpp"

#include <algorithm>
#include <initializer_list>

#include <fmt/format.h>

#include "db/postgres/pg_handle.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace migrate {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

/// %XX escapes of a URL query value (libpq does the rest of the URL itself).
std::string percent_decoded(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
        hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::vector<std::string> schemas(std::string_view value) {
  std::string decoded = percent_decoded(value);  // outlives the views split_words returns
  std::vector<std::string> names;
  for (std::string_view name : split_words(decoded, /*commas=*/true)) {
    names.emplace_back(name);
  }
  return names;
}

/// Where the URL's passwords are: "scheme://user:password@host" (up to the last '@', as
/// redact_url reads it) and each `password=` parameter's value.
std::vector<std::string_view> secrets_of(std::string_view url) {
  std::vector<std::string_view> secrets;
  std::size_t scheme_end = url.find("://");
  std::size_t start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  std::size_t at = url.rfind('@');
  std::size_t colon = url.find(':', start);
  if (at != std::string_view::npos && at > start && colon < at) {
    secrets.push_back(url.substr(colon + 1, at - colon - 1));
  }
  for (std::size_t pos = url.find("password="); pos != std::string_view::npos;
       pos = url.find("password=", pos + 1)) {
    std::string_view value = url.substr(pos + 9);
    secrets.push_back(value.substr(0, value.find('&')));
  }
  std::erase_if(secrets, [](std::string_view secret) { return secret.empty(); });
  return secrets;
}

/// Whether `token` is found in `url` where it overlaps one of `secrets` (views into `url`).
bool overlaps_secret(std::string_view token, std::string_view url,
                     const std::vector<std::string_view>& secrets) {
  for (std::size_t pos = url.find(token); pos != std::string_view::npos;
       pos = url.find(token, pos + 1)) {
    for (std::string_view secret : secrets) {
      auto secret_start = static_cast<std::size_t>(secret.data() - url.data());
      if (pos < secret_start + secret.size() && secret_start < pos + token.size()) {
        return true;
      }
    }
  }
  return false;
}

/// libpq's message with the passwords of `urls` hidden: the URL as given, and as libpq read it
/// (without migrate's own parameters, so its last '@' may be another). libpq quotes what it
/// could not read ("invalid percent-encoded token: \"p%zz\""), which may be the password, the
/// whole URL, or a piece of the URL that holds part of the password (a '?' in the user name
/// starts the query there): each password is replaced where it appears whole, then any quoted
/// piece (between any two quotes: the URL may hold quotes too) found in a URL where it
/// overlaps one of its passwords is hidden.
std::string without_passwords(std::string message, std::initializer_list<std::string_view> urls) {
  for (std::string_view url : urls) {
    for (std::string_view secret : secrets_of(url)) {
      for (std::size_t pos = message.find(secret); pos != std::string::npos;
           pos = message.find(secret, pos + 3)) {
        message.replace(pos, secret.size(), "***");
      }
    }
  }
  std::vector<std::size_t> quotes;
  for (std::size_t pos = message.find('"'); pos != std::string::npos;
       pos = message.find('"', pos + 1)) {
    quotes.push_back(pos);
  }
  std::vector<bool> hidden(message.size(), false);
  for (std::size_t i = 0; i < quotes.size(); ++i) {
    for (std::size_t j = i + 1; j < quotes.size(); ++j) {
      std::string_view token =
          std::string_view(message).substr(quotes[i] + 1, quotes[j] - quotes[i] - 1);
      bool secret = std::any_of(urls.begin(), urls.end(), [&](std::string_view url) {
        return !token.empty() && overlaps_secret(token, url, secrets_of(url));
      });
      if (secret) {
        std::fill(hidden.begin() + static_cast<std::ptrdiff_t>(quotes[i] + 1),
                  hidden.begin() + static_cast<std::ptrdiff_t>(quotes[j]), true);
      }
    }
  }
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

}  // namespace

PostgresTarget parse_postgres_url(const DatabaseUrl& url) {
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
  char* error = nullptr;
  PgConninfo options(PQconninfoParse(target.conninfo.c_str(), &error));
  if (!options) {
    std::string why = error != nullptr
                          ? without_passwords(std::string(trim(error)), {target.conninfo, url.text})
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
