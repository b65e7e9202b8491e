// TempFolder on real folders: made for the process, locked, removed with what it holds; and what
// a process killed outright left removed by the next one, never a folder a live run holds.
#include "util/temp_folder.hpp"

#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include <fmt/format.h>

#include "support/temp_dir.hpp"
#include "util/error.hpp"

using namespace migrate;
using namespace migrate::test;

namespace {

/// Makes a folder look untouched for two minutes.
void age(const std::filesystem::path& folder) {
  std::filesystem::last_write_time(
      folder, std::filesystem::file_time_type::clock::now() - std::chrono::minutes(2));
}

/// The process id of a process that has ended (a child, reaped).
pid_t ended_process() {
  pid_t child = ::fork();
  if (child == 0) {
    ::_exit(0);
  }
  ::waitpid(child, nullptr, 0);
  return child;
}

/// A TempFolder made by a child process, which is then killed with kill -9 (`kill`) or left
/// running, its pid in `*pid`: what it made.
std::filesystem::path made_by_child(const std::filesystem::path& parent, bool kill, pid_t* pid) {
  int pipe_ends[2];
  REQUIRE(::pipe(pipe_ends) == 0);
  pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    TempFolder folder("migrate-test", parent);
    std::string path = folder.path().string();
    (void)!::write(pipe_ends[1], path.data(), path.size());
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
  if (kill) {
    ::kill(child, SIGKILL);
    ::waitpid(child, nullptr, 0);
  }
  *pid = child;
  return path;
}

/// A child process killed at the end of the scope, whatever a failed REQUIRE skips.
struct KilledAtEnd {
  pid_t pid = 0;
  ~KilledAtEnd() {
    if (pid > 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
  }
};

std::size_t entries(const std::filesystem::path& folder) {
  return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(folder),
                                                std::filesystem::directory_iterator()));
}

}  // namespace

TEST_CASE("temp_folder: made for the process, removed with what it holds", "[util]") {
  TempDir dir;
  std::filesystem::path path;
  {
    TempFolder folder("migrate-test", dir.path());
    path = folder.path();
    CHECK(path.parent_path() == dir.path());
    CHECK(path.filename().string().starts_with(fmt::format("migrate-test-{}-", ::getpid())));
    write_text(path / "a" / "b.sql", "x");
    TempFolder second("migrate-test", dir.path());  // the first one's process lives: kept
    CHECK(second.path() != path);
    CHECK(std::filesystem::exists(path / "a" / "b.sql"));
    second.remove();  // a Ctrl-C's: at once, and again by the destructor without harm
    CHECK_FALSE(std::filesystem::exists(second.path()));
  }
  CHECK_FALSE(std::filesystem::exists(path));
  CHECK(entries(dir.path()) == 0);
}

TEST_CASE("temp_folder: what a killed process left is removed by the next, a live run's kept",
          "[util]") {
  TempDir dir;
  pid_t killed = 0;
  KilledAtEnd running;
  // The live one first: a folder made later would remove the killed one's already.
  std::filesystem::path held = made_by_child(dir.path(), false, &running.pid);
  std::filesystem::path left = made_by_child(dir.path(), true, &killed);
  REQUIRE(std::filesystem::is_directory(left));
  age(held);  // old, but its lock is held: a live run's
  pid_t gone = ended_process();
  std::filesystem::path unlocked = dir / fmt::format("migrate-test-{}-AbC123", gone);
  write_text(unlocked / "schema" / "app.sql", "x");
  // Not one of its folders: another prefix, a live process's just made (not locked yet), a name
  // that only looks alike.
  std::filesystem::path other = dir / fmt::format("migrate-other-{}-AbC123", gone);
  std::filesystem::path fresh = dir / fmt::format("migrate-test-{}-AbC123", ::getppid());
  std::filesystem::path alike = dir / fmt::format("migrate-test-{}-x", gone);
  for (const auto& folder : {other, fresh, alike}) {
    std::filesystem::create_directory(folder);
  }
  {
    TempFolder next("migrate-test", dir.path());
    CHECK_FALSE(std::filesystem::exists(left));
    CHECK_FALSE(std::filesystem::exists(unlocked));
    CHECK(std::filesystem::exists(held));
    CHECK(std::filesystem::exists(other));
    CHECK(std::filesystem::exists(fresh));
    CHECK(std::filesystem::exists(alike));
  }
  // A live pid's folder a minute old with no lock: that pid is another process's now.
  age(fresh);
  TempFolder::remove_abandoned("migrate-test", dir.path());
  CHECK_FALSE(std::filesystem::exists(fresh));
  CHECK(std::filesystem::exists(held));
}

TEST_CASE("temp_folder: a parent that is not there is an IoError naming it", "[util]") {
  TempDir dir;
  CHECK_THROWS_AS(TempFolder("migrate-test", dir / "missing"), IoError);
  CHECK_THROWS_WITH(
      TempFolder("migrate-test", dir / "missing"),
      Catch::Contains("cannot create a temporary folder under " + (dir / "missing").string()));
}
