#include "support/terminal_run.hpp"

#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <stdexcept>

namespace migrate::test {

namespace {

constexpr std::string_view kQuestion = "[y/N] ";

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) {
    out.push_back(s.data());
  }
  out.push_back(nullptr);
  return out;
}

std::size_t questions_in(const std::string& screen) {
  std::size_t count = 0;
  for (std::size_t at = screen.find(kQuestion); at != std::string::npos;
       at = screen.find(kQuestion, at + 1)) {
    ++count;
  }
  return count;
}

}  // namespace

TerminalResult run_in_terminal(std::string_view tool, const std::vector<std::string>& args,
                               const RunOptions& options, const std::vector<std::string>& answers) {
  std::vector<std::string> argv{tool_path(tool).string()};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<std::string> env = environment_for(options);
  std::vector<char*> argp = pointers(argv);
  std::vector<char*> envp = pointers(env);
  std::string cwd = options.cwd.string();
  int terminal = -1;
  pid_t pid = ::forkpty(&terminal, nullptr, nullptr, nullptr);
  if (pid < 0) {
    throw std::runtime_error("forkpty failed");
  }
  if (pid == 0) {  // the child: only what is safe after fork
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGTERM, SIG_DFL);
    if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) {
      ::_exit(127);
    }
    ::execve(argp[0], argp.data(), envp.data());
    ::_exit(127);
  }
  TerminalResult result;
  std::size_t answered = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(1);
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd fd{terminal, POLLIN, 0};
    if (::poll(&fd, 1, 100) <= 0) {
      continue;
    }
    char buffer[4096];
    ssize_t n = ::read(terminal, buffer, sizeof buffer);
    if (n <= 0) {
      break;  // EIO: the tool (the terminal's last user) has exited
    }
    result.screen.append(buffer, static_cast<std::size_t>(n));
    while (answered < questions_in(result.screen)) {
      std::string line = (answered < answers.size() ? answers[answered] : "") + "\n";
      (void)!::write(terminal, line.data(), line.size());
      ++answered;
    }
  }
  ::close(terminal);
  int status = 0;
  if (std::chrono::steady_clock::now() >= deadline) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
    return result;
  }
  ::waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

}  // namespace migrate::test
