#include "support/run_tool.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <sstream>
#include <stdexcept>

#include "support/temp_dir.hpp"

extern char** environ;

namespace migrate::test {

namespace {

bool steers_migrate(std::string_view entry) {
  return entry.starts_with("DATABASE_URL=") || entry.starts_with("MIGRATE_") ||
         entry.starts_with("NO_COLOR=") || entry.starts_with("XDG_CACHE_HOME=");
}

/// The tools' cache folder outside a repository (util/cache_home): one per test process,
/// removed with it, not the home of whoever runs the tests.
const std::filesystem::path& tools_cache_home() {
  static const TempDir folder;
  return folder.path();
}

/// Where captured output goes: files, so concurrent processes never block on a full pipe.
std::filesystem::path capture_file(std::string_view kind) {
  static std::atomic<int> counter{0};
  const char* base = std::getenv("TMPDIR");
  return std::filesystem::path(base != nullptr && *base != '\0' ? base : "/tmp") /
         ("migrate-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "." +
          std::string(kind));
}

}  // namespace

std::vector<std::string> environment_for(const RunOptions& options) {
  std::vector<std::string> env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string_view text = *entry;
    std::string name(text.substr(0, text.find('=')));
    if (!steers_migrate(text) && options.env.count(name) == 0) {
      env.emplace_back(text);
    }
  }
  for (const auto& [name, value] : options.env) {
    env.push_back(name + "=" + value);
  }
  if (options.env.count("XDG_CACHE_HOME") == 0) {
    env.push_back("XDG_CACHE_HOME=" + tools_cache_home().string());
  }
  return env;
}

std::filesystem::path tool_path(std::string_view name) {
  return std::filesystem::path(MIGRATE_TOOLS_DIR) / name;
}

std::filesystem::path copy_tool(std::string_view name, const std::filesystem::path& folder) {
  const auto overwrite = std::filesystem::copy_options::overwrite_existing;
  std::filesystem::create_directories(folder / "bin");
  std::filesystem::copy_file(tool_path(name), folder / "bin" / name, overwrite);
  std::filesystem::path libraries = tool_path(name).parent_path().parent_path() / "lib" / "migrate";
  std::filesystem::create_directories(folder / "lib" / "migrate");
  std::filesystem::copy(libraries, folder / "lib" / "migrate",
                        overwrite | std::filesystem::copy_options::recursive);
  return folder / "bin" / name;
}

std::filesystem::path source_dir() {
  return MIGRATE_SOURCE_DIR;
}

bool running_as_root() {
  return ::geteuid() == 0;
}

RunningProcess::RunningProcess(pid_t pid, std::filesystem::path out, std::filesystem::path err)
    : m_pid(pid), m_out(std::move(out)), m_err(std::move(err)) {}

RunningProcess::RunningProcess(RunningProcess&& other) noexcept
    : m_pid(other.m_pid), m_out(std::move(other.m_out)), m_err(std::move(other.m_err)) {
  other.m_pid = -1;
}

RunningProcess::~RunningProcess() {
  if (m_pid > 0) {
    wait();
  }
}

void RunningProcess::kill(int signal) {
  if (m_pid > 0) {
    ::kill(m_pid, signal);
  }
}

ProcessResult RunningProcess::wait() {
  ProcessResult result;
  int status = 0;
  while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
  }
  m_pid = -1;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = read_text(m_out);
  result.err = read_text(m_err);
  std::filesystem::remove(m_out);
  std::filesystem::remove(m_err);
  return result;
}

RunningProcess start_process(const std::vector<std::string>& argv_in, const RunOptions& options) {
  std::vector<std::string> argv = argv_in;
  if (options.as_unprivileged_user && running_as_root()) {
    argv.insert(argv.begin(),
                {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"});
  }
  std::filesystem::path out = capture_file("out");
  std::filesystem::path err = capture_file("err");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  if (!options.cwd.empty()) {
    posix_spawn_file_actions_addchdir_np(&actions, options.cwd.c_str());
  }
  std::vector<char*> args;
  for (std::string& arg : argv) {
    args.push_back(arg.data());
  }
  args.push_back(nullptr);
  std::vector<std::string> env = environment_for(options);
  std::vector<char*> envp;
  for (std::string& entry : env) {
    envp.push_back(entry.data());
  }
  envp.push_back(nullptr);
  // As from a terminal, whatever started the tests (a background job ignores SIGINT): Ctrl-C
  // and SIGTERM have their default action and are not blocked, so the tests that send them
  // reach the tool.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigdefault(&attributes, &stop_signals);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  pid_t pid = 0;
  int rc = ::posix_spawnp(&pid, args[0], &actions, &attributes, args.data(), envp.data());
  posix_spawnattr_destroy(&attributes);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(rc));
  }
  return RunningProcess(pid, out, err);
}

ProcessResult run_process(const std::vector<std::string>& argv, const RunOptions& options) {
  return start_process(argv, options).wait();
}

RunningProcess start_tool(std::string_view tool, const std::vector<std::string>& args,
                          const RunOptions& options) {
  std::vector<std::string> argv{tool_path(tool).string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return start_process(argv, options);
}

ProcessResult run_make(const std::vector<std::string>& arguments, const RunOptions& options) {
  std::vector<std::string> argv{"make", "--no-print-directory", "-f",
                                (source_dir() / "make" / "migrate.mk").string(),
                                "MIGRATE=" + tool_path("migrate").string()};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  return run_process(argv, options);
}

ProcessResult run_tool(std::string_view tool, const std::vector<std::string>& args,
                       const RunOptions& options) {
  return start_tool(tool, args, options).wait();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

}  // namespace migrate::test
