// new_migration: the id a new migration gets (from the clock, never before an existing one) and
// its file staged with migrations/HEAD, on a real folder.
#include <catch2/catch.hpp>

#include <chrono>

#include "migration/migration_dir.hpp"
#include "migration/new_migration.hpp"
#include "support/temp_dir.hpp"
#include "util/file.hpp"
#include "util/file_transaction.hpp"

using namespace migrate;
using namespace migrate::test;

namespace {

/// 2026-11-21 14:23:05 UTC.
TimePoint at_1423() {
  using namespace std::chrono;
  return sys_days{year{2026} / 11 / 21} + hours{14} + minutes{23} + seconds{5};
}

MigrationId id(std::string_view digits) {
  return *MigrationId::from_digits(digits);
}

Migration migration(std::string_view digits, std::string slug) {
  Migration m;
  m.id = id(digits);
  m.slug = std::move(slug);
  return m;
}

}  // namespace

TEST_CASE("new_migration_id: the clock's minute, or after the newest existing id", "[migration]") {
  CHECK(new_migration_id(at_1423(), false, {}).text() == "202611211423");
  CHECK(new_migration_id(at_1423(), true, {}).text() == "20261121142305");
  CHECK(new_migration_id(at_1423(), false, {migration("202611211400", "a")}).text() ==
        "202611211423");
  // The same minute, or a clock behind the folder: the next id, so the new file sorts last.
  CHECK(new_migration_id(at_1423(), false, {migration("202611211423", "a")}).text() ==
        "202611211424");
  CHECK(new_migration_id(at_1423(), false,
                         {migration("202611211400", "a"), migration("202612010000", "b")})
            .text() == "202612010001");
}

TEST_CASE("new_migration_id: a folder numbered in sequence gets the next number, as wide",
          "[migration]") {
  CHECK(new_migration_id(at_1423(), false, {migration("000004", "d"), migration("000003", "c")})
            .text() == "000005");
  CHECK(new_migration_id(at_1423(), false, {migration("9", "i")}).text() == "10");
  CHECK(new_migration_id(at_1423(), true, {migration("00099", "x")}).text() == "00100");
  // A folder that moved from numbers to timestamps goes on with timestamps.
  CHECK(
      new_migration_id(at_1423(), false, {migration("000004", "d"), migration("202611211400", "e")})
          .text() == "202611211423");
}

TEST_CASE("id_after: a timestamp after the given id, a sequence number stays one", "[migration]") {
  CHECK(id_after(at_1423(), false, id("202611211400")).text() == "202611211423");
  CHECK(id_after(at_1423(), false, id("202611211500")).text() == "202611211501");
  CHECK(id_after(at_1423(), false, id("000042")).text() == "000043");
  // dbmate's 14-digit timestamps: a 14-digit timestamp, whatever id-format says.
  CHECK(id_after(at_1423(), false, id("20240102000000")).text() == "20261121142305");
}

TEST_CASE("stage_new_migration: the file and migrations/HEAD, written together", "[migration]") {
  TempDir dir;
  Migration m = migration("202611211423", "add_users");
  m.up.sql = "CREATE TABLE users (id INTEGER);\n";
  FileTransaction files(dir.path());
  std::filesystem::path path = stage_new_migration(dir.path(), m, true, files);
  CHECK(path == dir.path() / "202611211423_add_users.sql");
  CHECK_FALSE(std::filesystem::exists(path));  // staged, not written yet
  files.apply();
  files.keep();
  CHECK_THAT(read_text(path), Catch::Contains("CREATE TABLE users (id INTEGER);"));
  CHECK(read_text(head_file_path(dir.path())) == head_file_text(m.stem()));
}

namespace {

/// A migration of a name-ordered folder, read from `file`.
Migration stem_migration(std::string_view stem, std::string file) {
  Migration m;
  m.id = MigrationId::from_row(stem);
  m.file = "migrations/" + file;
  m.format = MigrationFormat::stem;
  return m;
}

/// A new migration named in the folder of `existing`, as migrate-create names it.
Migration new_stem(std::string slug, const std::vector<Migration>& existing) {
  Migration m;
  m.id = new_migration_id(at_1423(), false, existing);
  m.slug = std::move(slug);
  m.down.emplace();
  name_stem_migration(m, existing);
  return m;
}

}  // namespace

TEST_CASE("name_stem_migration: the next number, as wide, in the folder's own style",
          "[migration]") {
  std::vector<Migration> dotted{stem_migration("0001_create_a", "0001_create_a.up.sql"),
                                stem_migration("0002_index_a", "0002_index_a.up.sql"),
                                stem_migration("0001_create_b", "0001_create_b.up.sql")};
  Migration added = new_stem("add_x", dotted);
  CHECK(added.id.text() == "0003_add_x");
  CHECK(added.id.named());
  CHECK(added.stem() == "0003_add_x");
  CHECK(added.file == "0003_add_x.up.sql");
  CHECK(added.down->file == "0003_add_x.down.sql");
  // maragudk/migrate's own style: a '-' and _up.sql files; a timestamp stays one.
  Migration dashed = new_stem("users", {stem_migration("1-accounts", "1-accounts_up.sql")});
  CHECK(dashed.id.text() == "2-users");
  CHECK(dashed.file == "2-users_up.sql");
  CHECK(dashed.down->file == "2-users_down.sql");
  CHECK(new_stem("x", {stem_migration("202611211400_a", "202611211400_a.up.sql")}).id.text() ==
        "202611211423_x");
  // An empty folder: the clock, as elsewhere, and .up.sql files.
  Migration first = new_stem("first", {});
  CHECK(first.id.text() == "202611211423_first");
  CHECK(first.file == "202611211423_first.up.sql");
}

TEST_CASE("name_stem_migration: a stem that would not come last, or not be read, is refused",
          "[migration]") {
  CHECK_THROWS_WITH(new_stem("ten", {stem_migration("9_nine", "9_nine.up.sql")}),
                    Catch::Contains("the new migration 10_ten would not come last: the folder "
                                    "runs its files in name order, and 9_nine sorts after it"));
  CHECK_THROWS_WITH(new_stem("x", {stem_migration("accounts", "accounts.up.sql")}),
                    Catch::Contains("202611211423_x would not come last"));
  CHECK_THROWS_WITH(new_stem("ünï", {stem_migration("1_a", "1_a.up.sql")}),
                    Catch::Contains("the new migration's name 2_ünï is not one a name-ordered "
                                    "folder's tool reads"));
}
