#include "util/child_process.hpp"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "util/error.hpp"

extern char** environ;

namespace migrate {

UserIds user_ids(const std::string& user) {
  struct passwd entry {};
  struct passwd* found = nullptr;
  std::vector<char> buffer(16384);
  if (::getpwnam_r(user.c_str(), &entry, buffer.data(), buffer.size(), &found) != 0 ||
      found == nullptr) {
    throw IoError(fmt::format("there is no user {} on this machine", user));
  }
  return {found->pw_uid, found->pw_gid};
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const ChildOptions& options,
                           int stop_signal)
    : m_stop_signal(stop_signal) {
  // Everything the child needs is made before fork(): after it, only async-signal-safe calls.
  std::vector<char*> args;
  for (const std::string& arg : argv) {
    args.push_back(const_cast<char*>(arg.c_str()));
  }
  args.push_back(nullptr);
  bool switch_user = !options.as_user.empty() && ::geteuid() == 0;
  UserIds ids{::getuid(), ::getgid()};
  if (switch_user) {
    ids = user_ids(options.as_user);
  }
  int output = options.output.empty() ? ::open("/dev/null", O_WRONLY | O_CLOEXEC)
                                      : ::open(options.output.c_str(),
                                               O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  int input = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (output < 0 || input < 0) {
    int error = errno;
    if (output >= 0) {
      ::close(output);
    }
    if (input >= 0) {
      ::close(input);
    }
    throw IoError(fmt::format("cannot start {}: {}", argv.at(0), std::strerror(error)));
  }
  if (switch_user && !options.output.empty()) {
    (void)::fchown(output, ids.uid, ids.gid);
  }
  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid == 0) {
    // Until execve this is a copy of migrate: a signal now must not run a handler of its.
    struct sigaction default_action {};
    default_action.sa_handler = SIG_DFL;
    for (int signal = 1; signal < NSIG; ++signal) {
      ::sigaction(signal, &default_action, nullptr);
    }
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::setpgid(0, 0);
    ::dup2(input, 0);
    ::dup2(output, 1);
    ::dup2(output, 2);
    if (switch_user &&
        (::setgroups(0, nullptr) != 0 || ::setgid(ids.gid) != 0 || ::setuid(ids.uid) != 0)) {
      ::_exit(126);
    }
    // After setuid, which clears it.
    if (options.death_signal != 0) {
      ::prctl(PR_SET_PDEATHSIG, options.death_signal);
      if (::getppid() != parent) {
        ::_exit(125);  // the parent is gone already
      }
    }
    ::execve(args[0], args.data(), environ);
    ::_exit(127);
  }
  int error = errno;
  if (pid > 0) {
    ::setpgid(pid, pid);  // the child does too: whichever runs first, no window without it
  }
  ::close(output);
  ::close(input);
  if (pid < 0) {
    throw IoError(fmt::format("cannot start {}: {}", argv.at(0), std::strerror(error)));
  }
  m_pid = pid;
}

ChildProcess::~ChildProcess() {
  if (m_pid > 0 && running()) {
    ::kill(m_pid, m_stop_signal);
    wait();
  }
}

int ChildProcess::wait() {
  while (!m_waited) {
    if (::waitpid(m_pid, &m_status, 0) == m_pid) {
      m_waited = true;
    } else if (errno != EINTR) {
      m_waited = true;
      m_status = 0;
    }
  }
  return WIFEXITED(m_status) ? WEXITSTATUS(m_status) : 128 + WTERMSIG(m_status);
}

bool ChildProcess::running() {
  if (m_waited) {
    return false;
  }
  pid_t done = ::waitpid(m_pid, &m_status, WNOHANG);
  if (done == m_pid) {
    m_waited = true;
    return false;
  }
  return done == 0;
}

}  // namespace migrate
