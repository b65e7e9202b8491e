#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "migration/folder_snapshot.hpp"
#include "migration/migration_dir.hpp"
#include "support/later_read.hpp"
#include "support/temp_dir.hpp"
#include "util/file_stamp.hpp"

using namespace migrate;
using migrate::test::a_minute_later;
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

/// The outlines of the folder's migrations, as a snapshot keeps them.
std::vector<Migration> outlines_of(const TempDir& dir) {
  std::vector<Migration> outlines;
  for (const Migration& migration : read_migration_dir(dir.path())) {
    outlines.push_back(migration.outline());
  }
  return outlines;
}

/// Moves the folder's stamp and no entry's, as an editor's swap file made and removed does.
void make_and_remove_a_swap_file(const TempDir& dir) {
  write_text(dir / ".swap", "an editor's\n");
  std::filesystem::remove(dir / ".swap");
}

}  // namespace

TEST_CASE("folder_snapshot: the state names every entry with its stamp, in name order",
          "[migration][folder_snapshot]") {
  TempDir dir;
  settled_folder(dir);
  write_text(dir / ".hidden", "never read\n");
  std::optional<FolderState> state = folder_state(dir.path(), a_minute_later());
  REQUIRE(state);
  const std::string& entries = state->entries;
  CHECK(entries.find("0001_a.sql") < entries.find("0002_b.sql"));
  CHECK(entries.find("README.md") != std::string::npos);
  CHECK(entries.find(".hidden") == std::string::npos);
  CHECK(entries.find(stamp_of(dir / "0002_b.sql")->text()) != std::string::npos);
  CHECK(state->folder == stamp_of(dir.path())->text());
  CHECK_FALSE(state->listing_kept);
  // The same folder, the same state.
  CHECK(folder_state(dir.path(), a_minute_later())->entries == entries);
}

TEST_CASE("folder_snapshot: a folder changed a moment ago keeps no stamp",
          "[migration][folder_snapshot]") {
  TempDir dir;
  settled_folder(dir);
  make_and_remove_a_swap_file(dir);
  std::optional<FolderState> state = folder_state(dir.path(), ReadStart());
  REQUIRE(state);
  CHECK(state->folder.empty());
  CHECK(state->entries == folder_state(dir.path(), a_minute_later())->entries);
}

TEST_CASE("folder_snapshot: a listing is kept only while the folder keeps its stamp",
          "[migration][folder_snapshot]") {
  TempDir dir;
  settled_folder(dir);
  const ReadStart start = a_minute_later();
  const FolderState listed = *folder_state(dir.path(), start);
  // A listing that leaves out README.md: while it is kept, the folder is not listed.
  FolderListing partial{
      listed.folder, {std::string_view("0001_a.sql\0", 10), std::string_view("0002_b.sql\0", 10)}};
  SECTION("the same stamp: the names are stat'ed, the folder not listed") {
    std::optional<FolderState> kept = folder_state(dir.path(), start, &partial);
    REQUIRE(kept);
    CHECK(kept->listing_kept);
    CHECK(kept->entries.find("README.md") == std::string::npos);
    CHECK(kept->entries.find(stamp_of(dir / "0002_b.sql")->text()) != std::string::npos);
  }
  SECTION("another stamp: the folder is listed") {
    std::string other = listed.folder + "0";
    partial.folder = other;
    std::optional<FolderState> fresh = folder_state(dir.path(), start, &partial);
    REQUIRE(fresh);
    CHECK_FALSE(fresh->listing_kept);
    CHECK(fresh->entries == listed.entries);
  }
  SECTION("a name that is gone though the stamp is the same: the folder is listed") {
    partial.names.push_back(std::string_view("0003_gone.sql\0", 13));
    std::optional<FolderState> fresh = folder_state(dir.path(), start, &partial);
    REQUIRE(fresh);
    CHECK_FALSE(fresh->listing_kept);
    CHECK(fresh->entries == listed.entries);
  }
  SECTION("a folder changed a moment ago: listed, whatever stamp the listing has") {
    make_and_remove_a_swap_file(dir);
    partial.folder = stamp_of(dir.path())->text();
    std::optional<FolderState> fresh = folder_state(dir.path(), ReadStart(), &partial);
    REQUIRE(fresh);
    CHECK_FALSE(fresh->listing_kept);
    CHECK(fresh->entries == listed.entries);
  }
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
  const std::vector<Migration> outlines = outlines_of(dir);
  std::filesystem::path file = dir / "cache" / "snapshot";
  const FolderState state = *folder_state(dir.path(), a_minute_later());
  save_folder_snapshot(file, state, "dir=m", outlines);
  {
    const FolderSnapshot snapshot(file, "dir=m");
    std::optional<std::vector<Migration>> found = snapshot.migrations(state);
    REQUIRE(found);
    REQUIRE(found->size() == 2);
    CHECK((*found)[1].id.text() == "0002");
    CHECK((*found)[1].checksum == outlines[1].checksum);
    CHECK((*found)[1].up.blank() == false);
    FolderState other = state;
    other.entries += "x";
    CHECK_FALSE(snapshot.migrations(other));
    // Its listing: the folder's stamp and the names, each followed by its '\0'.
    REQUIRE(snapshot.listing());
    CHECK(snapshot.listing()->folder == state.folder);
    REQUIRE(snapshot.listing()->names.size() == 3);
    CHECK(snapshot.listing()->names[2] == "README.md");
    CHECK(snapshot.listing()->names[2].data()[9] == '\0');
  }
  CHECK_FALSE(FolderSnapshot(file, "dir=other").migrations(state));
  CHECK_FALSE(FolderSnapshot(file, "dir=other").listing());
  std::string bytes = migrate::test::read_text(file);
  bytes[bytes.size() - 100] ^= 1;
  write_text(file, bytes);
  CHECK_FALSE(FolderSnapshot(file, "dir=m").migrations(state));
  CHECK_FALSE(FolderSnapshot(file, "dir=m").listing());
}

TEST_CASE("folder_snapshot: one taken while the folder changed keeps no listing",
          "[migration][folder_snapshot]") {
  TempDir dir;
  settled_folder(dir);
  std::filesystem::path file = dir / "cache" / "snapshot";
  FolderState state = *folder_state(dir.path(), a_minute_later());
  state.folder.clear();  // what a racy folder's state has
  save_folder_snapshot(file, state, "dir=m", {});
  const FolderSnapshot snapshot(file, "dir=m");
  CHECK(snapshot.migrations(state));
  CHECK_FALSE(snapshot.listing());
}

TEST_CASE("folder_snapshot: a folder whose stamp moved with the same entries is refreshed",
          "[migration][folder_snapshot]") {
  TempDir dir;
  settled_folder(dir);
  const std::vector<Migration> outlines = outlines_of(dir);
  TempDir cache;  // not in the folder, where it would be a subfolder
  std::filesystem::path file = cache / "snapshot";
  const FolderState before = *folder_state(dir.path(), a_minute_later());
  save_folder_snapshot(file, before, "dir=m", outlines);
  make_and_remove_a_swap_file(dir);
  std::optional<FolderState> moved = folder_state(dir.path(), a_minute_later());
  REQUIRE(moved);
  const FolderState after = *moved;
  REQUIRE(after.folder != before.folder);
  {
    const FolderSnapshot snapshot(file, "dir=m");
    CHECK_FALSE(snapshot.folder_moved(before));
    REQUIRE(snapshot.folder_moved(after));
    snapshot.refresh(file, after);
  }
  const FolderSnapshot refreshed(file, "dir=m");
  CHECK_FALSE(refreshed.folder_moved(after));
  REQUIRE(refreshed.listing());
  CHECK(refreshed.listing()->folder == after.folder);
  std::optional<std::vector<Migration>> found = refreshed.migrations(after);
  REQUIRE(found);
  REQUIRE(found->size() == 2);
  CHECK((*found)[0].checksum == outlines[0].checksum);
}
