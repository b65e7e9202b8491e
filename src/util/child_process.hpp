#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace migrate {

/// How ChildProcess starts a program.
struct ChildOptions {
  /// Run as this user (its uid and gid) when this process is root; empty: as this process.
  std::string as_user;
  /// A signal the child gets when this process dies, even by kill -9 (Linux's
  /// PR_SET_PDEATHSIG), so a server migrate started never outlives it; 0: none.
  int death_signal = 0;
  /// Where its stdout and stderr go (appended; created owner-only); empty: /dev/null.
  std::filesystem::path output;
  /// Where its stderr goes instead, when it must be read apart from its stdout (appended;
  /// created owner-only); empty: with its stdout.
  std::filesystem::path error_output;
  /// The folder it runs in; empty: this process's working directory.
  std::filesystem::path folder;
  /// Variables set in its environment (replacing any of the same name), besides this
  /// process's.
  std::map<std::string, std::string> environment;
};

/// A program this process started and owns: in a process group of its own (a Ctrl-C at the
/// terminal reaches migrate, which stops it in order), with no signal blocked, stdin on
/// /dev/null. The destructor stops it (`stop_signal`) and waits for it, if it still runs.
class ChildProcess {
 public:
  /// Starts `argv[0]` (a path, not searched on PATH). Throws IoError when it cannot start, or
  /// when `options.as_user` does not exist.
  ChildProcess(const std::vector<std::string>& argv, const ChildOptions& options,
               int stop_signal = 15);
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();

  /// Waits for it to end: its exit code, or 128 + the signal that ended it.
  int wait();
  /// Waits up to `timeout` for it to end, without collecting it: until wait() does, its process
  /// id (and so its process group's) cannot be reused, and kill_group() reaches exactly what it
  /// started. Whether it ended.
  bool ended_within(std::chrono::milliseconds timeout);
  /// Sends `signal` to its whole process group: it and what it started (a shell's commands),
  /// from any thread, as long as wait() has not collected it.
  void kill_group(int signal);
  /// Whether it still runs (it is waited for when it has ended).
  bool running();
  pid_t pid() const { return m_pid; }

 private:
  pid_t m_pid = -1;
  int m_stop_signal;
  bool m_waited = false;
  int m_status = 0;
};

/// This process's environment with `changes` made (added, or replacing a variable of the same
/// name), as `NAME=value` strings: a child's environment.
std::vector<std::string> environment_with(const std::map<std::string, std::string>& changes);

/// The uid and gid of `user`, for files a ChildProcess running as that user must own. Throws
/// IoError when there is no such user.
struct UserIds {
  uid_t uid;
  gid_t gid;
};
UserIds user_ids(const std::string& user);

}  // namespace migrate
