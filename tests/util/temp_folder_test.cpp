// TempFolder: a folder of the process's own, gone with it, and the folders of processes killed
// outright removed by the next one.
#include "util/temp_folder.hpp"

#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include "support/temp_dir.hpp"
#include "util/error.hpp"

using namespace migrate;
using namespace migrate::test;

namespace {

/// The process id of a process that has ended (a child, reaped).
pid_t ended_process() {
  pid_t child = ::fork();
  if (child == 0) {
    ::_exit(0);
  }
  ::waitpid(child, nullptr, 0);
  return child;
}

std::size_t entries(const std::filesystem::path& folder) {
  return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(folder),
                                                std::filesystem::directory_iterator()));
}

}  // namespace

TEST_CASE("temp_folder: made for the process, removed with what it holds", "[util]") {
  TempDir dir;
  std::filesystem::path path;
  {
    TempFolder folder(dir.path(), "migrate-test");
    path = folder.path();
    CHECK(path.parent_path() == dir.path());
    CHECK(path.filename().string().starts_with(fmt::format("migrate-test-{}-", ::getpid())));
    write_text(path / "a" / "b.sql", "x");
    TempFolder second(dir.path(), "migrate-test");  // the first one's process lives: kept
    CHECK(second.path() != path);
    CHECK(std::filesystem::exists(path / "a" / "b.sql"));
    second.remove();
    CHECK_FALSE(std::filesystem::exists(second.path()));
  }
  CHECK_FALSE(std::filesystem::exists(path));
  CHECK(entries(dir.path()) == 0);
}

TEST_CASE("temp_folder: a killed process's folder is removed by the next one", "[util]") {
  TempDir dir;
  pid_t gone = ended_process();
  std::filesystem::path left = dir / fmt::format("migrate-test-{}-AbC123", gone);
  write_text(left / "schema" / "app.sql", "x");
  // Not one of its folders: another prefix, a live process's, a name that only looks alike.
  std::filesystem::path other = dir / fmt::format("migrate-other-{}-AbC123", gone);
  std::filesystem::path live = dir / fmt::format("migrate-test-{}-AbC123", ::getppid());
  std::filesystem::path alike = dir / fmt::format("migrate-test-{}-x", gone);
  for (const auto& folder : {other, live, alike}) {
    std::filesystem::create_directory(folder);
  }
  TempFolder folder(dir.path(), "migrate-test");
  CHECK_FALSE(std::filesystem::exists(left));
  CHECK(std::filesystem::exists(other));
  CHECK(std::filesystem::exists(live));
  CHECK(std::filesystem::exists(alike));
}

TEST_CASE("temp_folder: a parent that is not there is an IoError naming it", "[util]") {
  TempDir dir;
  CHECK_THROWS_AS(TempFolder(dir / "missing", "migrate-test"), IoError);
  CHECK_THROWS_WITH(
      TempFolder(dir / "missing", "migrate-test"),
      Catch::Contains("cannot create a temporary folder under " + (dir / "missing").string()));
}
