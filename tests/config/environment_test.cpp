#include <catch2/catch.hpp>

#include "config/environment.hpp"

using namespace migrate;

TEST_CASE("environment: a map environment, empty values count as unset", "[config]") {
  MapEnvironment env({{"DATABASE_URL", "sqlite:x.db"}, {"EMPTY", ""}});
  CHECK(env.get("DATABASE_URL") == std::optional<std::string>("sqlite:x.db"));
  CHECK_FALSE(env.get("EMPTY"));
  CHECK_FALSE(env.get("MISSING"));
  CHECK_FALSE(env.get("database_url"));  // names are case-sensitive
}

TEST_CASE("environment: the process environment, empty values count as unset", "[config]") {
  ProcessEnvironment env;
  // PATH is set in any sane test environment; this only reads it
  CHECK(env.get("PATH").has_value());
  CHECK_FALSE(env.get("MIGRATE_TEST_SURELY_NOT_SET_7f3a9"));
}
