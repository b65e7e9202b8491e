#include "diff/throwaway_cluster.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <thread>

#include <fmt/format.h>

#include "db/database_url.hpp"
#include "db/open_database.hpp"
#include "util/error.hpp"
#include "util/file.hpp"
#include "util/process_gone.hpp"
#include "util/subprocess.hpp"
#include "util/text.hpp"

namespace migrate {

namespace {

bool server_in(const std::filesystem::path& bin) {
  return ::access((bin / "initdb").c_str(), X_OK) == 0 &&
         ::access((bin / "postgres").c_str(), X_OK) == 0;
}

/// Where `pg_config --bindir` says the server is, when pg_config is on PATH and says so.
std::optional<std::filesystem::path> pg_config_binaries() {
  std::optional<std::filesystem::path> pg_config = find_on_path("pg_config");
  if (!pg_config) {
    return std::nullopt;
  }
  char name[] = "/tmp/migrate-pg-config-XXXXXX";
  int fd = ::mkstemp(name);
  if (fd < 0) {
    return std::nullopt;
  }
  ::close(fd);
  std::filesystem::path output(name);
  std::string said;
  try {
    ChildProcess child({pg_config->string(), "--bindir"}, {.output = output});
    if (child.wait() == 0) {
      said = std::string(trim(read_file(output)));
    }
  } catch (const Error&) {
  }
  std::error_code ignored;
  std::filesystem::remove(output, ignored);
  if (said.empty() || !server_in(said)) {
    return std::nullopt;
  }
  return std::filesystem::path(said);
}

/// The server binaries: where pg_config says, else the newest Debian's postgresql package
/// installed.
std::filesystem::path server_binaries() {
  if (std::optional<std::filesystem::path> said = pg_config_binaries()) {
    return *said;
  }
  std::filesystem::path newest;
  int newest_version = -1;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql", error)) {
    std::string version = entry.path().filename().string();
    if (version.empty() || version.find_first_not_of("0123456789.") != std::string::npos) {
      continue;
    }
    std::filesystem::path bin = entry.path() / "bin";
    if (server_in(bin) && std::stoi(version) > newest_version) {
      newest_version = std::stoi(version);
      newest = bin;
    }
  }
  if (newest.empty()) {
    throw UsageError(
        "comparing PostgreSQL schemas needs a server to load them into, and none is installed "
        "here: install PostgreSQL's server (Debian: apt-get install postgresql), or set "
        "dev-database = postgres://user@host/postgres in migrate.conf's [migrate] section");
  }
  return newest;
}

/// The last lines of a log, for a message.
std::string log_tail(const std::filesystem::path& log) {
  std::string text;
  try {
    text = read_file(log);
  } catch (const Error&) {
    return "(no log)";
  }
  std::size_t start = text.size();
  for (int lines = 0; lines < 6 && start > 0; ++lines) {
    start = text.rfind('\n', start - 2);
    start = start == std::string::npos ? 0 : start + 1;
  }
  return std::string(trim(text.substr(start)));
}

/// Whether the server of a cluster folder still runs: its postmaster.pid names a live process.
bool server_alive(const std::filesystem::path& folder) {
  std::string pid_file;
  try {
    pid_file = read_file(folder / "data" / "postmaster.pid");
  } catch (const Error&) {
    return false;
  }
  long pid = std::strtol(pid_file.c_str(), nullptr, 10);
  return pid > 0 && !process_gone(pid);
}

/// Folders of clusters whose migrate was killed (kill -9: its server quit, its folder stayed),
/// removed: those whose server is gone, left for over a minute (a folder younger than that may
/// be another migrate's, still starting).
void remove_stale_clusters(const std::filesystem::path& parent) {
  std::error_code error;
  auto now = std::filesystem::file_time_type::clock::now();
  for (const auto& entry : std::filesystem::directory_iterator(parent, error)) {
    std::string name = entry.path().filename().string();
    std::error_code ignored;
    if (!name.starts_with("migrate-dev-") || !entry.is_directory(ignored)) {
      continue;
    }
    auto modified = std::filesystem::last_write_time(entry.path(), ignored);
    if (ignored || now - modified < std::chrono::minutes(1) || server_alive(entry.path())) {
      continue;
    }
    std::filesystem::remove_all(entry.path(), ignored);  // best effort: another user's stays
  }
}

/// What start() throws when abandon() came first: it makes nothing more, the process is ending.
IoError abandoned_while_starting() {
  return IoError("the development cluster was abandoned while it started");
}

}  // namespace

void ThrowawayCluster::start() {
  std::filesystem::path bin = server_binaries();
  const char* tmp = std::getenv("TMPDIR");
  std::string parent = tmp != nullptr && *tmp ? tmp : "/tmp";
  remove_stale_clusters(parent);
  std::string pattern = fmt::format("{}/migrate-dev-XXXXXX", parent);
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw IoError(fmt::format("cannot create a folder for a development cluster under {}: {}",
                              std::filesystem::path(pattern).parent_path().string(),
                              std::strerror(errno)));
  }
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_folder = pattern;
    if (m_abandoned) {  // abandon() came while the folder was made: it is this one's to remove
      std::error_code ignored;
      std::filesystem::remove_all(m_folder, ignored);
      throw abandoned_while_starting();
    }
  }
  try {
    std::string owner;
    if (::geteuid() == 0) {  // PostgreSQL refuses to run as root
      owner = "postgres";
      try {
        user_ids(owner);
      } catch (const IoError&) {
        owner = "nobody";
      }
      UserIds ids = user_ids(owner);
      if (::chown(m_folder.c_str(), ids.uid, ids.gid) != 0) {
        throw IoError(fmt::format("cannot give {} to {}: {}", m_folder.string(), owner,
                                  std::strerror(errno)));
      }
    }
    std::filesystem::path data = m_folder / "data";
    std::optional<ChildProcess> initdb;
    {
      // Made under the lock, so abandon() either sees it (and kills it) or comes after.
      std::lock_guard<std::mutex> lock(m_mutex);
      if (m_abandoned) {
        throw abandoned_while_starting();
      }
      initdb.emplace(
          std::vector<std::string>{(bin / "initdb").string(), "-D", data.string(), "-U", "postgres",
                                   "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"},
          ChildOptions{
              .as_user = owner, .death_signal = SIGKILL, .output = m_folder / "initdb.log"});
      m_initdb = initdb->pid();
    }
    int initdb_status = initdb->wait();
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      m_initdb = 0;
    }
    if (initdb_status != 0) {
      throw DbError(fmt::format("initdb failed for a development cluster: {}",
                                log_tail(m_folder / "initdb.log")));
    }
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      if (m_abandoned) {
        throw abandoned_while_starting();
      }
      // SIGINT: a fast shutdown when this goes; SIGQUIT, an immediate one, if migrate dies.
      m_server = std::make_unique<ChildProcess>(
          std::vector<std::string>{(bin / "postgres").string(), "-D", data.string(), "-k",
                                   m_folder.string(), "-c", "listen_addresses=", "-c", "fsync=off",
                                   "-c", "synchronous_commit=off", "-c", "full_page_writes=off"},
          ChildOptions{
              .as_user = owner, .death_signal = SIGQUIT, .output = m_folder / "server.log"},
          SIGINT);
    }
    m_url = fmt::format("postgresql://postgres@/postgres?host={}", m_folder.string());
    DatabaseUrl url = parse_database_url(m_url, "/");
    for (int attempt = 0;; ++attempt) {
      if (!m_server->running()) {
        throw DbError(fmt::format("the development cluster's server did not start: {}",
                                  log_tail(m_folder / "server.log")));
      }
      try {
        open_database(url, {});
        break;
      } catch (const DbError&) {
        if (attempt > 300) {
          throw DbError(fmt::format("the development cluster's server did not answer in 30 s: {}",
                                    log_tail(m_folder / "server.log")));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
  } catch (...) {
    m_server.reset();
    std::error_code ignored;
    std::filesystem::remove_all(m_folder, ignored);
    throw;
  }
}

void ThrowawayCluster::abandon() noexcept {
  std::lock_guard<std::mutex> lock(m_mutex);
  m_abandoned = true;
  if (m_initdb > 0) {
    ::kill(-m_initdb, SIGKILL);  // initdb and the single-user server it runs
  }
  if (m_server) {
    ::kill(m_server->pid(), SIGQUIT);  // an immediate shutdown: nothing in it is kept
    m_server->wait();
  }
  if (m_folder.empty()) {
    return;
  }
  // A killed initdb's processes may still be writing for a moment: remove until it stays gone.
  std::error_code ignored;
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::filesystem::remove_all(m_folder, ignored);
    if (!std::filesystem::exists(m_folder, ignored)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      if (!std::filesystem::exists(m_folder, ignored)) {
        break;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

ThrowawayCluster::~ThrowawayCluster() {
  m_server.reset();  // stopped and waited for
  std::error_code ignored;
  std::filesystem::remove_all(m_folder, ignored);
}

}  // namespace migrate
