#pragma once

#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include "util/child_process.hpp"

namespace migrate {

/// A private PostgreSQL cluster for development databases, when migrate.conf names no
/// dev-database: `initdb` from the local server binaries (/usr/lib/postgresql/<version>/bin, the
/// newest) into a new folder under $TMPDIR, listening on a unix socket in that folder only,
/// without fsync; as the `postgres` user (else `nobody`) when run as root, since PostgreSQL
/// refuses root. The server is stopped and the folder removed when this goes, and the server
/// is told to quit if migrate dies (kill -9 included). Starting takes a second or two.
class ThrowawayCluster {
 public:
  ThrowawayCluster() = default;
  /// Makes the cluster and starts its server (a second or two). Throws UsageError when the
  /// server binaries are not installed (what to install, or to set dev-database), DbError when
  /// initdb or the server fails (with its log).
  void start();
  ThrowawayCluster(const ThrowawayCluster&) = delete;
  ThrowawayCluster& operator=(const ThrowawayCluster&) = delete;
  ~ThrowawayCluster();

  /// Stops the server at once and removes the folder, from any thread, for a command that is
  /// about to end the process (Ctrl-C): nothing may use the cluster after.
  void abandon() noexcept;

  /// The superuser's URL to its `postgres` database, over its socket.
  const std::string& url() const { return m_url; }
  const std::filesystem::path& folder() const { return m_folder; }

 private:
  std::mutex m_mutex;        ///< abandon() may come from another thread while start() runs
  bool m_abandoned = false;  ///< start() makes nothing more after abandon()
  pid_t m_initdb = 0;        ///< initdb while it runs: abandon() kills its group
  std::filesystem::path m_folder;
  std::string m_url;
  std::unique_ptr<ChildProcess> m_server;
};

}  // namespace migrate
