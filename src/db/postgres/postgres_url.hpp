#pragma once

#include <string>
#include <vector>

#include "db/database_url.hpp"

namespace migrate {

/// A postgres:// URL split into what libpq takes and what is migrate's own.
struct PostgresTarget {
  /// The URL without migrate's own parameters, for libpq. May hold a password: never print it.
  std::string conninfo;
  /// `?search_path=a,b` (dbmate's name; `?schema=a` too): set on every connection; the first
  /// schema holds the state table and is created if missing.
  std::vector<std::string> search_path;
  // As libpq reads them from the URL (decoded; PostgresConnection fills in libpq's defaults for
  // what the URL leaves out once it has tried to connect), for messages and the backup name.
  std::string database, user, host, port, password;
  /// Every connection option libpq read from the URL, password included, keyword -> value.
  std::vector<std::pair<std::string, std::string>> options;
};

/// Checks the URL with libpq's own parser (PQconninfoParse) and takes migrate's parameters out.
/// Throws ConfigError, the URL redacted, for anything libpq would refuse.
PostgresTarget parse_postgres_url(const DatabaseUrl& url);

}  // namespace migrate
