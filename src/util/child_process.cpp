#include "util/child_process.hpp"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <thread>

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

namespace {

/// A file a child writes to: `path` appended to (created owner-only), or /dev/null.
int open_output(const std::filesystem::path& path) {
  return path.empty() ? ::open("/dev/null", O_WRONLY | O_CLOEXEC)
                      : ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
}

}  // namespace

std::vector<std::string> environment_with(const std::map<std::string, std::string>& changes) {
  std::vector<std::string> entries;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string_view text = *entry;
    if (changes.count(std::string(text.substr(0, text.find('=')))) == 0) {
      entries.emplace_back(text);
    }
  }
  for (const auto& [name, value] : changes) {
    entries.push_back(name + "=" + value);
  }
  return entries;
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
  std::vector<std::string> environment = environment_with(options.environment);
  std::vector<char*> envp;
  for (std::string& entry : environment) {
    envp.push_back(entry.data());
  }
  envp.push_back(nullptr);
  std::error_code ignored;
  if (!options.folder.empty() && !std::filesystem::is_directory(options.folder, ignored)) {
    throw IoError(
        fmt::format("cannot start {} in {}: no such folder", argv.at(0), options.folder.string()));
  }
  bool switch_user = !options.as_user.empty() && ::geteuid() == 0;
  UserIds ids{::getuid(), ::getgid()};
  if (switch_user) {
    ids = user_ids(options.as_user);
  }
  int output = open_output(options.output);
  int errors = options.error_output.empty() ? -1 : open_output(options.error_output);
  int input = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (output < 0 || input < 0 || (!options.error_output.empty() && errors < 0)) {
    int error = errno;
    for (int fd : {output, errors, input}) {
      if (fd >= 0) {
        ::close(fd);
      }
    }
    throw IoError(fmt::format("cannot start {}: {}", argv.at(0), std::strerror(error)));
  }
  if (switch_user) {
    for (const std::filesystem::path* file : {&options.output, &options.error_output}) {
      if (!file->empty()) {
        (void)::chown(file->c_str(), ids.uid, ids.gid);
      }
    }
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
    ::dup2(errors >= 0 ? errors : output, 2);
    if (!options.folder.empty() && ::chdir(options.folder.c_str()) != 0) {
      ::_exit(126);
    }
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
    ::execve(args[0], args.data(), envp.data());
    ::_exit(127);
  }
  int error = errno;
  if (pid > 0) {
    ::setpgid(pid, pid);  // the child does too: whichever runs first, no window without it
  }
  for (int fd : {output, errors, input}) {
    if (fd >= 0) {
      ::close(fd);
    }
  }
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

bool ChildProcess::ended_within(std::chrono::milliseconds timeout) {
  if (m_waited) {
    return true;
  }
  auto ended = [this] {
    siginfo_t info{};
    return ::waitid(P_PID, static_cast<id_t>(m_pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
           info.si_pid == m_pid;
  };
  auto deadline = std::chrono::steady_clock::now() + timeout;
  // Through syscall(): glibc 2.36's <sys/pidfd.h> declares pidfd_open without C linkage.
  int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, m_pid, 0));
  while (!ended()) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      break;
    }
    if (pidfd >= 0) {  // readable once the process ended
      struct pollfd watched {
        pidfd, POLLIN, 0
      };
      ::poll(&watched, 1, static_cast<int>(std::min<long long>(left.count(), 1 << 30)));
    } else {  // a kernel without pidfd_open (before 5.3)
      std::this_thread::sleep_for(std::min(left, std::chrono::milliseconds(20)));
    }
  }
  if (pidfd >= 0) {
    ::close(pidfd);
  }
  return ended();
}

void ChildProcess::kill_group(int signal) {
  if (m_pid > 0) {
    ::kill(-m_pid, signal);
  }
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
