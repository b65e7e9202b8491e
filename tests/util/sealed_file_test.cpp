#include <catch2/catch.hpp>

#include <unistd.h>

#include "support/run_tool.hpp"
#include "support/temp_dir.hpp"
#include "util/error.hpp"
#include "util/sealed_file.hpp"

using namespace migrate;
using migrate::test::read_text;
using migrate::test::TempDir;
using migrate::test::write_text;

TEST_CASE("sealed_file: what was sealed reads back, in a folder made for it", "[util]") {
  TempDir dir;
  std::filesystem::path file = dir / "cache" / "kind" / "file";
  write_sealed_file(file, std::string("any\0bytes\n", 10));
  std::optional<SealedContent> back = read_sealed_file(file);
  REQUIRE(back);
  CHECK(back->text() == std::string("any\0bytes\n", 10));
  write_sealed_file(file, "");
  REQUIRE(read_sealed_file(file));
  CHECK(read_sealed_file(file)->text().empty());
}

TEST_CASE("sealed_file: missing, damaged or cut short reads as none", "[util]") {
  TempDir dir;
  std::filesystem::path file = dir / "file";
  CHECK_FALSE(read_sealed_file(file));
  write_sealed_file(file, "remembered");
  std::string bytes = read_text(file);
  SECTION("a byte changed") {
    bytes[2] ^= 1;
  }
  SECTION("cut short") {
    bytes.resize(bytes.size() - 1);
  }
  SECTION("shorter than a seal") {
    bytes = "short";
  }
  write_text(file, bytes);
  CHECK_FALSE(read_sealed_file(file));
}

TEST_CASE("sealed_file: a killed writer's temporary is removed by the next write", "[util]") {
  TempDir dir;
  std::filesystem::path file = dir / "file";
  // A process id no process has (pid_max is at most 2^22).
  write_text(dir / "file.tmp99999999", "half");
  write_sealed_file(file, "whole");
  CHECK_FALSE(std::filesystem::exists(dir / "file.tmp99999999"));
  REQUIRE(read_sealed_file(file));
  CHECK(read_sealed_file(file)->text() == "whole");
}

TEST_CASE("sealed_file: quietly, a file that cannot be written is no error", "[util]") {
  TempDir dir;
  std::filesystem::path blocker = dir / "not-a-folder";
  write_text(blocker, "a file where a folder would be");
  CHECK_NOTHROW(write_sealed_file_quietly(blocker / "file", "lost"));
  CHECK_THROWS_AS(write_sealed_file(blocker / "file", "lost"), Error);
  CHECK_FALSE(read_sealed_file(blocker / "file"));
}

TEST_CASE("sealed_file: one another user owns is never trusted", "[util]") {
  // Whoever else could write where a cache lies (a HOME kept by sudo) could plant what a
  // command then trusts: only the effective user's own files are read.
  if (!migrate::test::running_as_root()) {
    WARN("needs root, to give a file to another user");
    return;
  }
  TempDir dir;
  std::filesystem::path file = dir / "file";
  write_sealed_file(file, "remembered");
  REQUIRE(::chown(file.c_str(), 65534, 65534) == 0);  // nobody's
  CHECK_FALSE(read_sealed_file(file));
  REQUIRE(::chown(file.c_str(), ::geteuid(), ::getegid()) == 0);
  REQUIRE(read_sealed_file(file));
  CHECK(read_sealed_file(file)->text() == "remembered");
}
