#include <catch2/catch.hpp>

#include "migration/migration.hpp"

using namespace migrate;

namespace {

Migration named(std::string_view id, std::string slug) {
  Migration m;
  m.id = *MigrationId::from_digits(id);
  m.slug = std::move(slug);
  return m;
}

}  // namespace

TEST_CASE("migration: stem is id and slug", "[migration]") {
  CHECK(named("202611211423", "add_phone").stem() == "202611211423_add_phone");
  CHECK(named("000001", "").stem() == "000001");
  CHECK(named("000001", "init").stem() == "000001_init");
}

TEST_CASE("migration: title is the first documentation line, else the slug", "[migration]") {
  Migration m = named("1", "add_phone_to_users");
  CHECK(m.title() == "add phone to users");
  m.doc = {"", "Add a phone number.", "More."};
  CHECK(m.title() == "Add a phone number.");
  m.doc = {"First."};
  CHECK(m.title() == "First.");
  CHECK(named("1", "").title() == "");
}

TEST_CASE("migration: files are the file, and the down file of a golang-migrate pair",
          "[migration]") {
  using Paths = std::vector<std::filesystem::path>;
  Migration m = named("1", "a");
  m.file = "migrations/1_a.sql";
  CHECK(m.files() == Paths{"migrations/1_a.sql"});
  m.down = Section{};
  m.down->file = m.file;
  CHECK(m.files() == Paths{"migrations/1_a.sql"});
  m.file = "migrations/1_a.up.sql";
  m.down->file = "migrations/1_a.down.sql";
  CHECK(m.files() == Paths{"migrations/1_a.up.sql", "migrations/1_a.down.sql"});
}

TEST_CASE("migration: reversible needs a down section that is not blank", "[migration]") {
  Migration m = named("1", "a");
  m.up.sql = "CREATE TABLE t (id INTEGER);";
  CHECK_FALSE(m.reversible());
  m.down = Section{};
  CHECK_FALSE(m.reversible());
  m.down->sql = "-- cannot be reverted\n/* really */";
  CHECK_FALSE(m.reversible());
  m.down->sql = "DROP TABLE t;";
  CHECK(m.reversible());
}

TEST_CASE("migration: an empty down section reverts nothing in dbmate's format", "[migration]") {
  Migration m = named("1", "a");
  m.up.sql = "INSERT INTO t VALUES (1);";
  m.down = Section{};
  m.down->sql = "-- nothing to undo";
  CHECK_FALSE(m.reversible());
  CHECK(m.empty_down_irreversible());
  m.format = MigrationFormat::golang_migrate;
  CHECK_FALSE(m.reversible());
  CHECK(m.empty_down_irreversible());
  m.format = MigrationFormat::dbmate;
  CHECK(m.reversible());
  CHECK_FALSE(m.empty_down_irreversible());
  // Without a down section at all it stays irreversible (dbmate requires one: such a file does
  // not parse as dbmate's).
  m.down.reset();
  CHECK_FALSE(m.reversible());
  CHECK_FALSE(m.empty_down_irreversible());
}

TEST_CASE("migration: an up that does nothing (a merge) needs no down to be reversible",
          "[migration]") {
  Migration m = named("1", "merge");
  m.up.sql = "-- joins two branches\n";
  CHECK(m.reversible());
  m.up.sql = "SELECT 1;";
  CHECK_FALSE(m.reversible());
}

TEST_CASE("migration: sections compare by body and options, refs by id", "[migration]") {
  Section a;
  a.sql = "SELECT 1;";
  a.file = "a.sql";
  a.first_line = 3;
  Section b = a;
  b.file = "b.sql";
  b.first_line = 9;
  CHECK(a == b);
  b.options.transaction = false;
  CHECK_FALSE(a == b);
  b = a;
  b.sql = "SELECT 2;";
  CHECK_FALSE(a == b);
  MigrationRef x{*MigrationId::from_digits("000001"), "000001_init", 1};
  MigrationRef y{*MigrationId::from_digits("1"), "1", 4};
  MigrationRef z{*MigrationId::from_digits("2"), "2", 1};
  CHECK(x == y);
  CHECK_FALSE(x == z);
}
