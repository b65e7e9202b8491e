#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include "support/temp_dir.hpp"
#include "util/error.hpp"
#include "util/file.hpp"

using namespace migrate;
using migrate::test::read_text;
using migrate::test::TempDir;
using migrate::test::write_text;

TEST_CASE("file: read_file returns every byte", "[util]") {
  TempDir dir;
  std::string content("line one\r\nline two\n\0binary", 27);
  write_text(dir / "a.sql", content);
  CHECK(read_file(dir / "a.sql") == content);
  write_text(dir / "empty.sql", "");
  CHECK(read_file(dir / "empty.sql").empty());
  std::string big(100000, 'x');
  write_text(dir / "big.sql", big);
  CHECK(read_file(dir / "big.sql") == big);
}

TEST_CASE("file: read_file of a missing file names it, exit 1", "[util]") {
  TempDir dir;
  try {
    read_file(dir / "missing.sql");
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.exit_code() == ExitCode::failure);
    CHECK_THAT(e.what(), Catch::Contains((dir / "missing.sql").string()));
    CHECK_THAT(e.what(), Catch::Contains("cannot read"));
  }
}

TEST_CASE("file: write_file_atomically creates and replaces, leaving no temporary", "[util]") {
  TempDir dir;
  write_file_atomically(dir / "HEAD", "first\n");
  CHECK(read_text(dir / "HEAD") == "first\n");
  write_file_atomically(dir / "HEAD", "second\n");
  CHECK(read_text(dir / "HEAD") == "second\n");
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    (void)entry;
    ++files;
  }
  CHECK(files == 1);
}

TEST_CASE("file: write_file_atomically into a missing folder fails, exit 1", "[util]") {
  TempDir dir;
  try {
    write_file_atomically(dir / "no" / "such" / "file", "x");
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.exit_code() == ExitCode::failure);
    CHECK_THAT(e.what(), Catch::Contains("no/such/file"));
  }
}

TEST_CASE("file: create_new_file never overwrites", "[util]") {
  TempDir dir;
  create_new_file(dir / "new.sql", "content");
  CHECK(read_text(dir / "new.sql") == "content");
  try {
    create_new_file(dir / "new.sql", "other");
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.exit_code() == ExitCode::failure);
    CHECK_THAT(e.what(), Catch::Contains("cannot create"));
    CHECK_THAT(e.what(), Catch::Contains((dir / "new.sql").string()));
  }
  CHECK(read_text(dir / "new.sql") == "content");
}

TEST_CASE("file: display_path is relative inside the base only", "[util]") {
  CHECK(display_path("/repo/migrations/1_a.sql", "/repo") == "migrations/1_a.sql");
  CHECK(display_path("/repo/migrations", "/repo/") == "migrations");
  CHECK(display_path("/other/migrations", "/repo") == "/other/migrations");
  CHECK(display_path("/repository/x", "/repo") == "/repository/x");
  CHECK(display_path("relative/x", "/repo") == "relative/x");
  CHECK(display_path("/repo/x", "") == "/repo/x");
}

TEST_CASE("file: a file that cannot be read or written is an IoError", "[util]") {
  TempDir dir;
  write_text(dir / "taken.sql", "x");
  CHECK_THROWS_AS(read_file(dir / "missing.sql"), IoError);
  CHECK_THROWS_AS(write_file_atomically(dir / "no" / "file", "x"), IoError);
  CHECK_THROWS_AS(create_new_file(dir / "taken.sql", "y"), IoError);
}

TEST_CASE("file: remove_dead_temporaries removes what a killed writer left, nothing else",
          "[util]") {
  TempDir dir;
  pid_t gone = ::fork();
  if (gone == 0) {
    ::_exit(0);
  }
  ::waitpid(gone, nullptr, 0);
  std::filesystem::path file = dir / "replay-sqlite";
  write_text(dir / fmt::format("replay-sqlite.tmp{}", gone), "half");     // its writer is gone
  write_text(dir / fmt::format("replay-sqlite.tmp{}", ::getpid()), "x");  // a writer at work
  write_text(dir / "replay-sqlite.tmpx1", "not a temporary of ours");
  write_text(dir / fmt::format("other.tmp{}", gone), "another file's");
  write_text(file, "kept");
  remove_dead_temporaries(file);
  CHECK_FALSE(std::filesystem::exists(dir / fmt::format("replay-sqlite.tmp{}", gone)));
  CHECK(std::filesystem::exists(dir / fmt::format("replay-sqlite.tmp{}", ::getpid())));
  CHECK(std::filesystem::exists(dir / "replay-sqlite.tmpx1"));
  CHECK(std::filesystem::exists(dir / fmt::format("other.tmp{}", gone)));
  CHECK(read_text(file) == "kept");
  remove_dead_temporaries(dir / "no" / "such" / "file");  // no folder: nothing, no error
}

TEST_CASE("file: an owner's file is readable by its owner alone, whatever was there before",
          "[util]") {
  TempDir dir;
  std::filesystem::path file = dir / "secret";
  // What a killed process with this pid left (pids come round again in a container), readable
  // by all: its mode must not survive into the file.
  std::filesystem::path leftover = fmt::format("{}.tmp{}", file.string(), ::getpid());
  write_text(leftover, "old");
  ::chmod(leftover.c_str(), 0644);
  ::mode_t old_umask = ::umask(0);
  write_file_atomically(file, "password", Readers::owner);
  write_file_atomically(dir / "open", "anyone", Readers::anyone);
  ::umask(old_umask);
  CHECK(read_text(file) == "password");
  CHECK((std::filesystem::status(file).permissions() & std::filesystem::perms::all) ==
        (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
  CHECK((std::filesystem::status(dir / "open").permissions() & std::filesystem::perms::all) ==
        (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
         std::filesystem::perms::group_read | std::filesystem::perms::group_write |
         std::filesystem::perms::others_read | std::filesystem::perms::others_write));
}
