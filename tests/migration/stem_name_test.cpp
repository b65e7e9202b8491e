// stem_name: a name-ordered folder's file names, as maragudk/migrate reads them.
#include <catch2/catch.hpp>

#include "migration/stem_name.hpp"

using namespace migrate;

TEST_CASE("stem_name: <stem>.up.sql, .down.sql, _up.sql and _down.sql", "[migration]") {
  std::optional<StemName> up = parse_stem_name("0001_create_a.up.sql");
  REQUIRE(up);
  CHECK(up->stem == "0001_create_a");
  CHECK(up->up);
  CHECK(up->suffix == StemSuffix::dotted);
  std::optional<StemName> down = parse_stem_name("0001_create_a_down.sql");
  REQUIRE(down);
  CHECK(down->stem == "0001_create_a");
  CHECK_FALSE(down->up);
  CHECK(down->suffix == StemSuffix::underscore);
  // maragudk's own names: a timestamp and '-', or digits alone.
  CHECK(parse_stem_name("1700000000-accounts.up.sql")->stem == "1700000000-accounts");
  CHECK(parse_stem_name("1.down.sql")->stem == "1");
  CHECK(parse_stem_name("accounts_up.sql")->stem == "accounts");
  CHECK(parse_stem_name("0001_back_up.sql")->stem == "0001_back");  // _up.sql, as maragudk
}

TEST_CASE("stem_name: names maragudk/migrate does not read", "[migration]") {
  for (const char* name : {"0001_x.sql", "0001_x.UP.SQL", "0001_x.up.SQL", ".up.sql", "_up.sql",
                           "1.1.up.sql", "a b.up.sql", "ä.up.sql", "0001_x.up.sql.bak",
                           "0001_x-up.sql", "0001_backup.sql", "README.md"}) {
    INFO(name);
    CHECK_FALSE(parse_stem_name(name));
  }
}

TEST_CASE("stem_name: file names, numbers and words of a stem", "[migration]") {
  CHECK(stem_file_name("0003_add_x", true, StemSuffix::dotted) == "0003_add_x.up.sql");
  CHECK(stem_file_name("0003_add_x", false, StemSuffix::underscore) == "0003_add_x_down.sql");
  CHECK(stem_number("0001_create_a") == "0001");
  CHECK(stem_number("accounts").empty());
  CHECK(stem_number("12") == "12");
  CHECK(stem_words("0001_create_a") == "create_a");
  CHECK(stem_words("1-accounts") == "accounts");
  CHECK(stem_words("accounts") == "accounts");
  CHECK(stem_words("0001").empty());
  CHECK(stem_words("0001x") == "0001x");
  CHECK(stem_words("20240101_120000").empty());
  CHECK(stem_words("20240101_120000-01").empty());
  CHECK(stem_words("20240101_120000_add_x") == "add_x");
  CHECK(stem_words("0001_2fa_codes") == "2fa_codes");
}

TEST_CASE("stem_name: a stem renumbered keeps what follows its number", "[migration]") {
  CHECK(stem_renumbered("0002_x", "0003") == "0003_x");
  CHECK(stem_renumbered("9-users", "10") == "10-users");
  CHECK(stem_renumbered("7", "8") == "8");
  CHECK(stem_renumbered("accounts", "0001") == "0001_accounts");
}
