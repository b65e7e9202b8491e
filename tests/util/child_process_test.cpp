// ChildProcess with real programs: exit codes, its own process group, and a death signal that
// reaches it when its parent is killed with kill -9.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include "support/temp_dir.hpp"
#include "util/child_process.hpp"

using namespace migrate;
using namespace migrate::test;

namespace {

/// Whether `pid` is gone (or a zombie nobody reaped yet).
bool ended(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) {
    return true;
  }
  std::size_t close = line.rfind(')');
  return close != std::string::npos && close + 2 < line.size() && line[close + 2] == 'Z';
}

}  // namespace

TEST_CASE("child_process: exit codes, output, and a stop when it goes", "[util]") {
  TempDir dir;
  ChildProcess fails({"/bin/sh", "-c", "echo hello; exit 3"}, {.output = dir / "out.txt"});
  CHECK(fails.wait() == 3);
  CHECK(read_text(dir / "out.txt") == "hello\n");
  pid_t pid = 0;
  {
    ChildProcess sleeper({"/bin/sleep", "60"}, {});
    pid = sleeper.pid();
    CHECK(sleeper.running());
    CHECK(::getpgid(pid) == pid);  // a group of its own: a terminal's Ctrl-C is migrate's
  }
  CHECK(ended(pid));
}

TEST_CASE("child_process: the death signal reaches it when its parent is killed with kill -9",
          "[util]") {
  int pipe_ends[2];
  REQUIRE(::pipe(pipe_ends) == 0);
  pid_t parent = ::fork();
  REQUIRE(parent >= 0);
  if (parent == 0) {
    ChildProcess sleeper({"/bin/sleep", "60"}, {.death_signal = SIGKILL});
    pid_t pid = sleeper.pid();
    (void)::write(pipe_ends[1], &pid, sizeof pid);
    ::pause();
    ::_exit(0);
  }
  pid_t child = 0;
  REQUIRE(::read(pipe_ends[0], &child, sizeof child) == sizeof child);
  ::close(pipe_ends[0]);
  ::close(pipe_ends[1]);
  CHECK_FALSE(ended(child));
  ::kill(parent, SIGKILL);
  ::waitpid(parent, nullptr, 0);
  bool gone = false;
  for (int i = 0; i < 100 && !gone; ++i) {
    gone = ended(child);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(gone);
}

TEST_CASE("child_process: its folder, variables, stderr apart, and its whole group stopped",
          "[util]") {
  TempDir dir;
  std::filesystem::create_directories(dir / "project");
  ChildProcess child({"/bin/sh", "-c", "pwd; echo \"$GREETING\"; echo oops >&2; exit 4"},
                     {.output = dir / "out",
                      .error_output = dir / "err",
                      .folder = dir / "project",
                      .environment = {{"GREETING", "hi there"}}});
  CHECK(child.ended_within(std::chrono::seconds(30)));
  CHECK(child.wait() == 4);
  CHECK(read_text(dir / "out") ==
        std::filesystem::canonical(dir / "project").string() + "\nhi there\n");
  CHECK(read_text(dir / "err") == "oops\n");
  CHECK_THROWS_WITH(ChildProcess({"/bin/true"}, {.folder = dir / "nowhere"}),
                    Catch::Contains("no such folder"));

  // A shell whose command outlives the timeout: the group's kill reaches the sleep it started.
  ChildProcess shell({"/bin/sh", "-c", "sleep 1000 & echo $! > sleeper; wait"},
                     {.folder = dir.path()});
  pid_t sleeper = 0;
  for (int i = 0; i < 200 && sleeper == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::string text = std::filesystem::exists(dir / "sleeper") ? read_text(dir / "sleeper") : "";
    sleeper = text.empty() ? 0 : std::stoi(text);
  }
  REQUIRE(sleeper > 0);
  CHECK_FALSE(shell.ended_within(std::chrono::milliseconds(50)));
  shell.kill_group(SIGKILL);
  CHECK(shell.ended_within(std::chrono::seconds(30)));
  CHECK(shell.wait() == 128 + SIGKILL);
  bool gone = false;
  for (int i = 0; i < 100 && !gone; ++i) {
    gone = ended(sleeper);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(gone);
}
