// StopSignals: Ctrl-C and SIGTERM reach on_stop on a thread of its own, with no handler; a
// second one ends the process at once; an ignored one stays ignored. Each case runs in a child
// process (signals are process-wide), which reports through a pipe and ends with _exit.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "util/stop_signals.hpp"

using namespace migrate;

namespace {

/// A child process running `body` (given the pipe's write end); its report is read through
/// read_line(), and wait() tells how it ended.
class Child {
 public:
  explicit Child(const std::function<void(int)>& body) {
    REQUIRE(::pipe(m_pipe) == 0);
    m_pid = ::fork();
    REQUIRE(m_pid >= 0);
    if (m_pid == 0) {
      ::close(m_pipe[0]);
      // As from a terminal, whatever started the tests.
      ::signal(SIGINT, SIG_DFL);
      ::signal(SIGTERM, SIG_DFL);
      body(m_pipe[1]);
      ::_exit(0);
    }
    ::close(m_pipe[1]);
  }
  ~Child() {
    ::close(m_pipe[0]);
    if (m_pid > 0) {
      ::kill(m_pid, SIGKILL);
      ::waitpid(m_pid, nullptr, 0);
    }
  }
  /// The next line the child wrote; empty at its end.
  std::string read_line() {
    std::string line;
    char c = 0;
    while (::read(m_pipe[0], &c, 1) == 1 && c != '\n') {
      line += c;
    }
    return line;
  }
  void signal(int number) { ::kill(m_pid, number); }
  /// The exit status as a shell shows it: 128 + the signal that ended it; -1 when it is still
  /// running after a generous deadline (it is then killed).
  int wait() {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    int status = 0;
    while (::waitpid(m_pid, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        return -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    m_pid = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

 private:
  int m_pipe[2] = {-1, -1};
  pid_t m_pid = -1;
};

void say(int fd, const std::string& text) {
  std::string line = text + "\n";
  (void)!::write(fd, line.data(), line.size());
}

/// In the child: says "ready" once StopSignals listens, then, after the first stop signal and
/// the end of StopSignals, "heard <what on_stop heard>".
void report_first_stop(int out) {
  std::string heard;
  std::atomic<bool> stopped = false;
  {
    StopSignals signals([&](std::string_view signal) {
      heard = signal;
      stopped = true;
    });
    say(out, "ready");
    while (!stopped) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  say(out, "heard " + heard);
}

}  // namespace

TEST_CASE("stop_signals: on_stop hears which signal came, the process goes on", "[util]") {
  for (auto [number, name] : {std::pair{SIGINT, "Ctrl-C"}, std::pair{SIGTERM, "SIGTERM"}}) {
    Child child(report_first_stop);
    REQUIRE(child.read_line() == "ready");
    child.signal(number);
    CHECK(child.read_line() == std::string("heard ") + name);
    CHECK(child.wait() == 0);
  }
}

namespace {

/// A child whose on_stop says "stopping", then runs `stop`; the child says "ready", then waits.
/// The test has read "stopping" when this returns, after the first Ctrl-C.
std::unique_ptr<Child> stopping_child(std::function<void(int out)> stop) {
  auto child = std::make_unique<Child>([stop = std::move(stop)](int out) {
    StopSignals signals([out, &stop](std::string_view) {
      say(out, "stopping");
      stop(out);
    });
    say(out, "ready");
    for (;;) {
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  });
  REQUIRE(child->read_line() == "ready");
  child->signal(SIGINT);
  REQUIRE(child->read_line() == "stopping");
  return child;
}

}  // namespace

TEST_CASE("stop_signals: a second Ctrl-C ends the process, whatever on_stop does", "[util]") {
  std::unique_ptr<Child> child = stopping_child([](int /*out*/) {
    for (;;) {  // a stop that takes forever
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  });
  child->signal(SIGINT);
  CHECK(child->wait() == 128 + SIGINT);
}

TEST_CASE("stop_signals: a second Ctrl-C right away waits until on_stop returned", "[util]") {
  // on_stop is what sends the cancel to the server: a double Ctrl-C must not end the process
  // before it did, or the statement would run on there.
  std::unique_ptr<Child> child = stopping_child([](int out) {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    say(out, "cancel sent");
  });
  child->signal(SIGINT);
  CHECK(child->read_line() == "cancel sent");
  CHECK(child->wait() == 128 + SIGINT);
}

TEST_CASE("stop_signals: with no signal the destructor ends quietly and restores the mask",
          "[util]") {
  Child child([](int out) {
    {
      StopSignals signals([out](std::string_view) { say(out, "on_stop"); });
    }
    sigset_t mask;
    pthread_sigmask(SIG_BLOCK, nullptr, &mask);
    say(out, sigismember(&mask, SIGINT) || sigismember(&mask, SIGTERM) ? "blocked" : "unblocked");
  });
  CHECK(child.read_line() == "unblocked");
  CHECK(child.read_line().empty());  // on_stop never ran
  CHECK(child.wait() == 0);
}

TEST_CASE("stop_signals: a signal the process ignores stays ignored", "[util]") {
  Child child([](int out) {
    ::signal(SIGINT, SIG_IGN);  // as for a background job
    report_first_stop(out);
  });
  REQUIRE(child.read_line() == "ready");
  child.signal(SIGINT);
  child.signal(SIGTERM);
  CHECK(child.read_line() == "heard SIGTERM");
  CHECK(child.wait() == 0);
}
