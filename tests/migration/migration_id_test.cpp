#include <catch2/catch.hpp>

#include <algorithm>
#include <unordered_set>

#include <fmt/format.h>

#include "migration/migration_id.hpp"

using namespace migrate;

namespace {

MigrationId id(std::string_view digits) {
  std::optional<MigrationId> parsed = MigrationId::from_digits(digits);
  REQUIRE(parsed);
  return *parsed;
}

}  // namespace

TEST_CASE("migration_id: from_digits accepts digits only", "[migration]") {
  CHECK(id("202611211423").text() == "202611211423");
  CHECK(id("000001").text() == "000001");
  CHECK(id("0").text() == "0");
  CHECK_FALSE(MigrationId::from_digits(""));
  CHECK_FALSE(MigrationId::from_digits("12a"));
  CHECK_FALSE(MigrationId::from_digits("-1"));
  CHECK_FALSE(MigrationId::from_digits(" 1"));
  CHECK_FALSE(MigrationId::from_digits("1_add"));
}

TEST_CASE("migration_id: value drops leading zeros", "[migration]") {
  CHECK(id("000001").value() == "1");
  CHECK(id("1").value() == "1");
  CHECK(id("0000").value() == "0");
  CHECK(id("0").value() == "0");
  CHECK(id("0100").value() == "100");
}

TEST_CASE("migration_id: ids compare as numbers", "[migration]") {
  CHECK(id("000001") == id("1"));
  CHECK(id("000001").text() != id("1").text());  // the text stays as written
  CHECK(id("2") < id("10"));
  CHECK(id("000002") < id("10"));
  CHECK(id("9") < id("000010"));
  CHECK(id("10") > id("9"));
  CHECK(id("0") < id("1"));
  CHECK((id("000001") <=> id("1")) == std::strong_ordering::equal);
  // dbmate's 14 digits sort after 12 digits of the same day: they are larger numbers
  CHECK(id("202611211423") < id("20261121142305"));
  CHECK(id("999999999999") < id("10000000000000"));
  CHECK(id("202611211423") < id("202611211424"));
  CHECK(id("202611211423") != id("202611211424"));
}

TEST_CASE("migration_id: equal ids hash equally", "[migration]") {
  std::hash<MigrationId> hash;
  CHECK(hash(id("000001")) == hash(id("1")));
  std::unordered_set<MigrationId> set{id("1"), id("01"), id("001"), id("2")};
  CHECK(set.size() == 2);
  CHECK(set.count(id("0002")) == 1);
}

TEST_CASE("migration_id: sorting a mixed folder", "[migration]") {
  std::vector<MigrationId> ids{id("10"), id("000002"), id("1"), id("000011"), id("3")};
  std::sort(ids.begin(), ids.end());
  std::vector<std::string> texts;
  for (const MigrationId& i : ids) {
    texts.push_back(i.text());
  }
  CHECK(texts == std::vector<std::string>{"1", "000002", "3", "10", "000011"});
}

TEST_CASE("migration_id: next keeps the width, growing only on overflow", "[migration]") {
  CHECK(id("202611211423").next().text() == "202611211424");
  CHECK(id("202611211459").next().text() == "202611211460");  // a number, not a time
  CHECK(id("000001").next().text() == "000002");
  CHECK(id("000009").next().text() == "000010");
  CHECK(id("0099").next().text() == "0100");
  CHECK(id("9").next().text() == "10");
  CHECK(id("999").next().text() == "1000");
  CHECK(id("0").next().text() == "1");
  CHECK(id("20261121142359").next().text() == "20261121142360");
  CHECK(id("1").next() > id("1"));
  CHECK(MigrationId().next().text() == "1");
}

TEST_CASE("migration_id: formats as written", "[migration]") {
  CHECK(fmt::format("{}", id("000001")) == "000001");
  CHECK(fmt::format("[{:>8}]", id("12")) == "[      12]");
}

namespace {

MigrationId version(std::string_view text) {
  std::optional<MigrationId> parsed = MigrationId::from_text(text);
  REQUIRE(parsed);
  return *parsed;
}

}  // namespace

TEST_CASE("migration_id: from_text reads Flyway's dotted versions", "[migration]") {
  CHECK(version("1.1").text() == "1.1");
  CHECK(version("1_1").text() == "1.1");  // '_' read as '.', as Flyway stores it
  CHECK(version("001.2").text() == "001.2");
  CHECK(version("2.10.3").dotted());
  CHECK_FALSE(version("42").dotted());
  CHECK(version("000001") == id("1"));
  CHECK(version("000001").text() == "000001");
  for (std::string_view bad : {"", ".", "1.", ".1", "1..2", "1.a", "-1", "1 .2", "v1", "1__2"}) {
    INFO(bad);
    CHECK_FALSE(MigrationId::from_text(bad));
  }
}

TEST_CASE("migration_id: versions compare part by part as numbers", "[migration]") {
  CHECK(version("1.2") < version("1.10"));
  CHECK(version("2.10") > version("2.9"));
  CHECK(version("1.1") > id("1"));
  CHECK(version("1.1") < id("2"));
  CHECK(version("1.0") == id("1"));  // trailing zero parts are insignificant
  CHECK(version("1.0.0") == version("001"));
  CHECK(version("1.01") == version("1.1"));
  CHECK(version("1_1") == version("1.1"));
  CHECK(version("0.1") < id("1"));
  CHECK(version("10.0") > version("9.99"));
  CHECK((version("2.0") <=> id("2")) == std::strong_ordering::equal);
  CHECK(version("1.0").value() == "1");
  CHECK(version("01.020.0").value() == "1.20");
}

TEST_CASE("migration_id: equal versions hash equally", "[migration]") {
  std::hash<MigrationId> hash;
  CHECK(hash(version("1.0")) == hash(id("1")));
  CHECK(hash(version("1_01")) == hash(version("1.1")));
  std::unordered_set<MigrationId> set{version("1.0"), id("1"), version("1.1"), version("1_1")};
  CHECK(set.size() == 2);
}

TEST_CASE("migration_id: the next version counts up its last part", "[migration]") {
  CHECK(version("1.9").next().text() == "1.10");
  CHECK(version("1.1").next().text() == "1.2");
  CHECK(version("2.09").next().text() == "2.10");
  CHECK(version("3.99").next().text() == "3.100");
}

TEST_CASE("migration_id: a name compares as text, after every number", "[migration]") {
  MigrationId views = MigrationId::from_name("R__views");
  MigrationId grants = MigrationId::from_name("R__grants");
  CHECK(views.named());
  CHECK_FALSE(views.dotted());
  CHECK(views.text() == "R__views");
  CHECK(views.value() == "R__views");
  CHECK(grants < views);
  CHECK(*MigrationId::from_digits("99999999999999") < grants);
  CHECK(*MigrationId::from_text("2.10") < grants);
  CHECK(views == MigrationId::from_name("R__views"));
  // A name that reads as a number is still a name: not the migration of that number.
  CHECK(MigrationId::from_name("1") != *MigrationId::from_digits("1"));
  CHECK(*MigrationId::from_digits("1") < MigrationId::from_name("1"));
}

TEST_CASE("migration_id: a state table's id reads as a number when it is one, else a name",
          "[migration]") {
  CHECK(MigrationId::from_row("001") == *MigrationId::from_digits("1"));
  CHECK_FALSE(MigrationId::from_row("001").named());
  CHECK(MigrationId::from_row("1.1").dotted());
  CHECK(MigrationId::from_row("R__views").named());
  CHECK(MigrationId::from_row("R__views").text() == "R__views");
  // Versions are stored with dots: digits joined by `_` are a stem, not Flyway's 1_1.
  CHECK(MigrationId::from_row("20240101_120000").named());
  CHECK(MigrationId::from_row("20240101_120000").text() == "20240101_120000");
}
