#include "util/subprocess.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>

#include <fmt/format.h>

#include "util/child_process.hpp"
#include "util/error.hpp"

namespace migrate {

namespace {

/// A temporary file for what the child writes (stderr, stdout), removed when done.
class NamelessFile {
 public:
  NamelessFile() {
    char name[] = "/tmp/migrate-child-XXXXXX";
    m_fd = ::mkstemp(name);
    if (m_fd < 0) {
      throw IoError(fmt::format("cannot create a temporary file: {}", std::strerror(errno)));
    }
    ::unlink(name);  // nameless: it goes away with the descriptor
  }
  NamelessFile(const NamelessFile&) = delete;
  NamelessFile& operator=(const NamelessFile&) = delete;
  ~NamelessFile() { ::close(m_fd); }
  int fd() const { return m_fd; }
  std::string read_all() const {
    std::string text;
    char buffer[4096];
    ::lseek(m_fd, 0, SEEK_SET);
    ssize_t n;
    while ((n = ::read(m_fd, buffer, sizeof buffer)) > 0) {
      text.append(buffer, static_cast<std::size_t>(n));
    }
    return text;
  }

 private:
  int m_fd = -1;
};

}  // namespace

ChildResult run_child(const std::vector<std::string>& argv,
                      const std::map<std::string, std::string>& env, bool keep_output) {
  std::vector<std::string> environment = environment_with(env);
  std::vector<char*> args, envp;
  for (const std::string& arg : argv) {
    args.push_back(const_cast<char*>(arg.c_str()));
  }
  args.push_back(nullptr);
  for (std::string& entry : environment) {
    envp.push_back(entry.data());
  }
  envp.push_back(nullptr);

  NamelessFile err;
  std::optional<NamelessFile> out;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  if (keep_output) {
    out.emplace();
    posix_spawn_file_actions_adddup2(&actions, out->fd(), 1);
  } else {
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  }
  posix_spawn_file_actions_adddup2(&actions, err.fd(), 2);
  // Nothing blocked in the child, whatever this thread blocks (StopSignals blocks Ctrl-C to
  // take it with sigwait): a Ctrl-C at the terminal reaches a pg_dump migrate waits for.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK);
  pid_t pid = 0;
  int rc = ::posix_spawnp(&pid, args[0], &actions, &attributes, args.data(), envp.data());
  posix_spawnattr_destroy(&attributes);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    throw IoError(fmt::format("cannot run {}: {}", argv[0], std::strerror(rc)));
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  ChildResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.err = err.read_all();
  if (out) {
    result.out = out->read_all();
  }
  return result;
}

std::optional<std::filesystem::path> find_on_path(std::string_view name) {
  // posix_spawnp's search: each folder of PATH in turn (an empty one is the working folder),
  // and its default when PATH is not set.
  const char* path = std::getenv("PATH");
  std::string_view folders = path != nullptr ? path : "/bin:/usr/bin";
  while (true) {
    std::size_t colon = folders.find(':');
    std::string_view folder = folders.substr(0, colon);
    std::filesystem::path candidate =
        std::filesystem::path(folder.empty() ? "." : std::string(folder)) / name;
    std::error_code error;
    if (std::filesystem::is_regular_file(candidate, error) &&
        ::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
    if (colon == std::string_view::npos) {
      return std::nullopt;
    }
    folders.remove_prefix(colon + 1);
  }
}

bool program_on_path(std::string_view name) {
  return find_on_path(name).has_value();
}

}  // namespace migrate
