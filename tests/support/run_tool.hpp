#pragma once

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace migrate::test {

/// What a finished process left behind.
struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

/// `text` (a process's output) a line each, without their '\n's.
std::vector<std::string> lines_of(const std::string& text);

/// How to run a process.
struct RunOptions {
  std::filesystem::path cwd;               ///< default: the test's working directory
  std::map<std::string, std::string> env;  ///< added to (or replacing) the environment
  bool as_unprivileged_user = false;       ///< as "nobody" when the tests run as root
};

/// The environment a tool runs in: the tests' own without what steers migrate (DATABASE_URL,
/// MIGRATE_*, NO_COLOR, XDG_CACHE_HOME: a folder of this test process's), plus `options.env`,
/// as "NAME=value" entries.
std::vector<std::string> environment_for(const RunOptions& options);

/// `make -f make/migrate.mk ARGUMENTS` with MIGRATE= the built dispatcher, in `options.cwd`: a
/// target run as a project that includes make/migrate.mk runs it.
ProcessResult run_make(const std::vector<std::string>& arguments, const RunOptions& options);

/// The built executable `name` (migrate, migrate-upgrade, …).
std::filesystem::path tool_path(std::string_view name);
/// A copy of the built tool `name` in `folder` (folder/bin/name, and the libraries it loads in
/// folder/lib/migrate, as installed), for running it as an unprivileged user: the build folder
/// may be where that user cannot go (under /root).
std::filesystem::path copy_tool(std::string_view name, const std::filesystem::path& folder);
/// The repository's own folder (for its migrations/ and make/migrate.mk).
std::filesystem::path source_dir();

/// A process started and not yet waited for (for concurrent runs).
class RunningProcess {
 public:
  RunningProcess(pid_t pid, std::filesystem::path out, std::filesystem::path err);
  RunningProcess(RunningProcess&& other) noexcept;
  RunningProcess(const RunningProcess&) = delete;
  ~RunningProcess();
  ProcessResult wait();
  /// Sends a signal (SIGKILL for the crash tests); wait() then reports 128 + the signal.
  void kill(int signal);
  pid_t pid() const { return m_pid; }

 private:
  pid_t m_pid;
  std::filesystem::path m_out, m_err;
};

/// Starts `argv` with its output captured. The environment is the test's own without the
/// variables that steer migrate (DATABASE_URL, MIGRATE_*, NO_COLOR), plus `options.env`.
RunningProcess start_process(const std::vector<std::string>& argv, const RunOptions& options = {});
ProcessResult run_process(const std::vector<std::string>& argv, const RunOptions& options = {});

/// Runs a built tool as a user would: run_tool("migrate-upgrade", {"--dry-run"}, {.cwd = dir}).
ProcessResult run_tool(std::string_view tool, const std::vector<std::string>& args,
                       const RunOptions& options = {});
RunningProcess start_tool(std::string_view tool, const std::vector<std::string>& args,
                          const RunOptions& options = {});

/// True when the tests run as root, where permission tests need an unprivileged user.
bool running_as_root();

}  // namespace migrate::test
