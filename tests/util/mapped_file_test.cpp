#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <algorithm>

#include "support/temp_dir.hpp"
#include "util/error.hpp"
#include "util/mapped_file.hpp"

using namespace migrate;
using migrate::test::read_text;
using migrate::test::TempDir;
using migrate::test::write_text;

TEST_CASE("mapped_file: the file's bytes, then writable zeroes, the file never changed", "[util]") {
  TempDir dir;
  std::filesystem::path file = dir / "image";
  write_text(file, std::string("any\0bytes", 9));
  MappedFile mapped(file, 1 << 20);
  CHECK(mapped.text() == std::string("any\0bytes", 9));
  CHECK(mapped.size() == 9);
  CHECK(mapped.capacity() == 9 + (1 << 20));
  const char* headroom = mapped.data() + mapped.size();
  CHECK(std::all_of(headroom, headroom + (1 << 20), [](char c) { return c == 0; }));

  mapped.data()[0] = 'A';                      // the file's page, copied on write
  mapped.data()[mapped.capacity() - 1] = 'Z';  // the headroom's last byte
  CHECK(mapped.text().substr(0, 3) == "Any");
  CHECK(read_text(file) == std::string("any\0bytes", 9));

  MappedFile moved = std::move(mapped);
  CHECK(moved.text().substr(0, 3) == "Any");
  CHECK(mapped.data() == nullptr);  // NOLINT(bugprone-use-after-move): moved from, empty
}

TEST_CASE("mapped_file: an empty file maps as its headroom, and without any as nothing", "[util]") {
  TempDir dir;
  write_text(dir / "empty", "");
  MappedFile room(dir / "empty", 4096);
  CHECK(room.text().empty());
  CHECK(room.capacity() == 4096);
  room.data()[4095] = 'x';
  MappedFile nothing(dir / "empty", 0);
  CHECK(nothing.data() == nullptr);
  CHECK(nothing.capacity() == 0);
}

TEST_CASE("mapped_file: a missing file is an IoError naming it", "[util]") {
  TempDir dir;
  CHECK_THROWS_AS(MappedFile(dir / "missing", 4096), IoError);
  CHECK_THROWS_WITH(MappedFile(dir / "missing", 4096),
                    Catch::Matchers::Contains("cannot open") &&
                        Catch::Matchers::Contains("missing") &&
                        Catch::Matchers::Contains("No such file"));
}

TEST_CASE("mapped_file: no link is followed, and a FIFO is refused at once", "[util]") {
  // A cache's path where someone else can write could hold either: a FIFO's open would wait
  // for a writer forever.
  TempDir dir;
  write_text(dir / "real", "bytes");
  std::filesystem::create_symlink(dir / "real", dir / "link");
  CHECK_THROWS_WITH(MappedFile(dir / "link", 0), Catch::Matchers::Contains("cannot open"));
  REQUIRE(::mkfifo((dir / "fifo").c_str(), 0600) == 0);
  CHECK_THROWS_WITH(
      MappedFile(dir / "fifo", 0),
      Catch::Matchers::Contains("fifo") && Catch::Matchers::Contains("not a regular file"));
  CHECK(MappedFile(dir / "real", 0).text() == "bytes");
}
