// TempFolder on real folders: made, locked, removed; and what a killed process left behind
// removed by the next one, never a folder another live process holds.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include "support/temp_dir.hpp"
#include "util/temp_folder.hpp"

using namespace migrate;
using namespace migrate::test;

namespace {

/// Makes a folder look untouched for two minutes.
void age(const std::filesystem::path& folder) {
  std::filesystem::last_write_time(
      folder, std::filesystem::file_time_type::clock::now() - std::chrono::minutes(2));
}

/// A TempFolder made by a child process that is then killed with kill -9: what it left.
std::filesystem::path left_by_killed_process(const std::filesystem::path& parent) {
  int pipe_ends[2];
  REQUIRE(::pipe(pipe_ends) == 0);
  pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    TempFolder folder("migrate-test", parent);
    std::string path = folder.path().string();
    (void)::write(pipe_ends[1], path.data(), path.size());
    ::close(pipe_ends[1]);
    ::pause();
    ::_exit(0);
  }
  ::close(pipe_ends[1]);
  std::string path;
  char buffer[512];
  ssize_t n = 0;
  while ((n = ::read(pipe_ends[0], buffer, sizeof buffer)) > 0) {
    path.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(pipe_ends[0]);
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  return path;
}

}  // namespace

TEST_CASE("temp_folder: made in its parent with its prefix, removed when it goes", "[util]") {
  TempDir parent;
  std::filesystem::path path;
  {
    TempFolder folder("migrate-test", parent.path());
    path = folder.path();
    CHECK(path.parent_path() == parent.path());
    CHECK(path.filename().string().starts_with("migrate-test-"));
    CHECK(std::filesystem::is_directory(path));
    write_text(path / "inside.db", "x");
  }
  CHECK_FALSE(std::filesystem::exists(path));
  TempFolder early("migrate-test", parent.path());
  early.remove();  // a Ctrl-C's: at once
  CHECK_FALSE(std::filesystem::exists(early.path()));
}

TEST_CASE("temp_folder: what a killed process left is removed by the next, a live one's kept",
          "[util]") {
  TempDir parent;
  std::filesystem::path left = left_by_killed_process(parent.path());
  REQUIRE(std::filesystem::is_directory(left));
  std::filesystem::path young = left_by_killed_process(parent.path());
  TempFolder live("migrate-test", parent.path());
  std::filesystem::path other = parent / "migrate-other-abc123";  // another prefix's
  std::filesystem::create_directories(other);
  age(left);
  age(live.path());
  age(other);
  {
    TempFolder next("migrate-test", parent.path());
    CHECK_FALSE(std::filesystem::exists(left));
    CHECK(std::filesystem::exists(young));  // may be one made but not locked yet
    CHECK(std::filesystem::exists(live.path()));
    CHECK(std::filesystem::exists(other));
  }
  CHECK(std::filesystem::exists(live.path()));
}
