// The engine registry: every scheme leads to one engine, whose dialect and URLs agree with it.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "db/engine.hpp"

using namespace migrate;

TEST_CASE("engines: each scheme names one engine, whose dialect has its name", "[db]") {
  std::set<std::string_view> names;
  std::set<std::string_view> schemes;
  for (const Engine& engine : engines()) {
    INFO(engine.name);
    CHECK(names.insert(engine.name).second);
    CHECK(engine.dialect().name() == engine.name);
    for (std::string_view scheme : engine.schemes) {
      CHECK(schemes.insert(scheme).second);
      CHECK(engine_for_scheme(scheme) == &engine);
    }
  }
  CHECK(engines().front().name == "sqlite");  // the embedded default comes first
  CHECK(engine_for_scheme("mysql") == nullptr);
  CHECK(engine_for_scheme("") == nullptr);
}

TEST_CASE("engines: a parsed URL knows its engine", "[db]") {
  CHECK(engine_of(parse_database_url("sqlite:app.db", "/work")).name == "sqlite");
  CHECK(engine_of(parse_database_url("sqlite3::memory:", "/")).name == "sqlite");
  CHECK(engine_of(parse_database_url("postgresql://u@h/db", "/")).name == "postgresql");
  CHECK(engine_of(parse_database_url("postgres://u@h/db", "/")).name == "postgresql");
  CHECK(parse_database_url("sqlite:app.db", "/").engine == &engines().front());
  DatabaseUrl unparsed;
  CHECK_THROWS_AS(engine_of(unparsed), InternalError);
}

TEST_CASE("engines: an unknown scheme lists every engine's forms", "[db]") {
  try {
    parse_database_url("mysql://u:secret@h/db", "/");
    FAIL("parsed");
  } catch (const ConfigError& e) {
    std::string message = e.what();
    CHECK_THAT(message, Catch::Contains("unknown scheme 'mysql'"));
    CHECK_THAT(message, !Catch::Contains("secret"));
    for (const Engine& engine : engines()) {
      CHECK_THAT(message, Catch::Contains(std::string(engine.url_forms)));
    }
  }
}
