#include <catch2/catch.hpp>

#include "migration/flyway_name.hpp"

using namespace migrate;

namespace {

using Kind = FlywayName::Kind;

FlywayName name(std::string_view file) {
  std::optional<FlywayName> parsed = parse_flyway_name(file);
  REQUIRE(parsed);
  return *parsed;
}

}  // namespace

TEST_CASE("flyway_name: versioned and undo names", "[migration][flyway]") {
  FlywayName v = name("V1__init.sql");
  CHECK(v.kind == Kind::versioned);
  CHECK(v.version.text() == "1");
  CHECK(v.description == "init");
  CHECK(name("V1_1__add_users.sql").version.text() == "1.1");
  CHECK(name("V1_1__add_users.sql").description == "add_users");
  CHECK(name("V2.10__x.sql").version.text() == "2.10");
  CHECK(name("V001__x.sql").version.text() == "001");
  CHECK(name("V1__x.SQL").kind == Kind::versioned);  // the suffix in any case
  // split at the first "__": the rest, "__" included, is the description
  CHECK(name("V3__a__b.sql").description == "a__b");
  FlywayName bare = name("V1.sql");  // valid: version 1, empty description
  CHECK(bare.kind == Kind::versioned);
  CHECK(bare.version.text() == "1");
  CHECK(bare.description.empty());
  FlywayName u = name("U1.1__init.sql");
  CHECK(u.kind == Kind::undo);
  CHECK(u.version.text() == "1.1");
  CHECK(name("B5__baseline.sql").kind == Kind::baseline);
}

TEST_CASE("flyway_name: repeatables and callbacks", "[migration][flyway]") {
  FlywayName r = name("R__views.sql");
  CHECK(r.kind == Kind::repeatable);
  CHECK(r.description == "views");
  CHECK(name("beforeMigrate.sql").kind == Kind::callback);
  CHECK(name("afterMigrate__vacuum.sql").kind == Kind::callback);
  CHECK(name("beforeEachMigrateStatement.sql").kind == Kind::callback);
  CHECK(name("afterMigrateError.sql").kind == Kind::callback);
}

TEST_CASE("flyway_name: names Flyway does not run", "[migration][flyway]") {
  for (std::string_view bad : {"v1__x.sql", "V1_init.sql", "V__x.sql", "Vx__y.sql", "Rx__y.sql",
                               "R1.sql", "x.sql", "1__x.sql", "V.sql", "V1.1.__x.sql"}) {
    INFO(bad);
    FlywayName parsed = name(bad);
    CHECK(parsed.kind == Kind::invalid);
    CHECK_FALSE(parsed.why.empty());
  }
  CHECK_FALSE(parse_flyway_name("README.md"));
  CHECK_FALSE(parse_flyway_name("V1__x.sql.conf"));
  CHECK_FALSE(parse_flyway_name(".sql"));
}
