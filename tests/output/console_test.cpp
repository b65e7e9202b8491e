// Console: where a tool's words go, and in which order, on real files standing in for stdout and
// stderr.
#include <catch2/catch.hpp>

#include <cstdio>
#include <string>

#include "output/console.hpp"

using namespace migrate;

namespace {

/// What has been written to `file` so far.
std::string written(std::FILE* file) {
  std::fflush(file);
  std::string text;
  std::rewind(file);
  char buffer[256];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, file)) {
    text.append(buffer, n);
  }
  return text;
}

}  // namespace

TEST_CASE("console: a note waits for the open line to end, note_now ends it and shows at once",
          "[output]") {
  std::FILE* out = std::tmpfile();
  std::FILE* err = std::tmpfile();
  {
    Console console("migrate-upgrade", out, err, false, Verbosity::normal);
    console.begin_line("  apply  0002_b  b ");
    console.note("held back");
    CHECK(written(err).empty());  // the progress line is not split

    console.note_now("waiting for the migration lock");
    CHECK(written(out) == "  apply  0002_b  b \n");
    CHECK(written(err) ==
          "migrate-upgrade: note: held back\n"
          "migrate-upgrade: note: waiting for the migration lock\n");

    // What ends the step comes on a line of its own.
    console.end_line("ok (5 ms)");
    CHECK(written(out) == "  apply  0002_b  b \n    ok (5 ms)\n");
  }
  std::fclose(out);
  std::fclose(err);
}

TEST_CASE("console: note_now is quiet with -q, like every note", "[output]") {
  std::FILE* out = std::tmpfile();
  std::FILE* err = std::tmpfile();
  {
    Console console("migrate-upgrade", out, err, false, Verbosity::quiet);
    console.begin_line("  apply  0002_b  b ");
    console.note_now("waiting for the migration lock");
    CHECK(written(out).empty());
    CHECK(written(err).empty());
  }
  std::fclose(out);
  std::fclose(err);
}
