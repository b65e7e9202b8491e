#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "migration/folder_snapshot.hpp"
#include "migration/migration_dir.hpp"
#include "support/temp_dir.hpp"
#include "util/file_stamp.hpp"

using namespace migrate;
using migrate::test::TempDir;
using migrate::test::write_text;

namespace {

/// A folder of two migrations whose stamps are old enough to trust.
void settled_folder(const TempDir& dir) {
  write_text(dir / "0001_a.sql", "-- migrate:up\nCREATE TABLE a (x INT);\n");
  write_text(dir / "0002_b.sql", "-- migrate:up\nCREATE TABLE b (x INT);\n");
  write_text(dir / "README.md", "notes\n");
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
}

}  // namespace

TEST_CASE("folder_snapshot: the state names every entry with its stamp, in name order",
          "[migration][folder_snapshot]") {
  TempDir dir;
  settled_folder(dir);
  write_text(dir / ".hidden", "never read\n");
  std::optional<std::string> state = folder_state(dir.path(), ReadStart());
  REQUIRE(state);
  CHECK(state->find("0001_a.sql") < state->find("0002_b.sql"));
  CHECK(state->find("README.md") != std::string::npos);
  CHECK(state->find(".hidden") == std::string::npos);
  CHECK(state->find(stamp_of(dir / "0002_b.sql")->text()) != std::string::npos);
  CHECK(folder_state(dir.path(), ReadStart()) == state);  // the same folder, the same state
}

TEST_CASE("folder_snapshot: no state for what a snapshot cannot stand for",
          "[migration][folder_snapshot]") {
  TempDir dir;
  settled_folder(dir);
  SECTION("a file changed a moment ago") {
    write_text(dir / "0002_b.sql", "-- migrate:up\nCREATE TABLE b (y INT);\n");
  }
  SECTION("a subfolder, whose files a Flyway folder reads") {
    std::filesystem::create_directory(dir / "v2");
  }
  SECTION("a Go migration, whose warning every run prints") {
    write_text(dir / "00003_seed.go", "package main\n");
  }
  SECTION("no folder") {
    std::filesystem::remove_all(dir.path());
  }
  CHECK_FALSE(folder_state(dir.path(), ReadStart()));
}

TEST_CASE("folder_snapshot: the data tests folder is no reason to refuse",
          "[migration][folder_snapshot]") {
  TempDir dir;
  std::filesystem::create_directory(dir / std::string(kDataTestsFolder));
  settled_folder(dir);
  CHECK(folder_state(dir.path(), ReadStart()));
}

TEST_CASE("folder_snapshot: found only for the same state and settings, never when damaged",
          "[migration][folder_snapshot]") {
  TempDir dir;
  settled_folder(dir);
  std::vector<Migration> outlines;
  for (const Migration& migration : read_migration_dir(dir.path())) {
    outlines.push_back(migration.outline());
  }
  std::filesystem::path file = dir / "cache" / "snapshot";
  std::string state = *folder_state(dir.path(), ReadStart());
  save_folder_snapshot(file, state, "dir=m", outlines);
  std::optional<std::vector<Migration>> found = load_folder_snapshot(file, state, "dir=m");
  REQUIRE(found);
  REQUIRE(found->size() == 2);
  CHECK((*found)[1].id.text() == "0002");
  CHECK((*found)[1].checksum == outlines[1].checksum);
  CHECK((*found)[1].up.blank() == false);
  CHECK_FALSE(load_folder_snapshot(file, state + "x", "dir=m"));
  CHECK_FALSE(load_folder_snapshot(file, state, "dir=other"));
  std::string bytes = migrate::test::read_text(file);
  bytes[bytes.size() - 100] ^= 1;
  write_text(file, bytes);
  CHECK_FALSE(load_folder_snapshot(file, state, "dir=m"));
}
