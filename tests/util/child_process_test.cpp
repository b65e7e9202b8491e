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
