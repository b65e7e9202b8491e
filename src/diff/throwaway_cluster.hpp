#pragma once

#include <filesystem>
#include <memory>
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
  /// Throws UsageError when the server binaries are not installed (what to install, or to set
  /// dev-database), DbError when initdb or the server fails (with its log).
  ThrowawayCluster();
  ThrowawayCluster(const ThrowawayCluster&) = delete;
  ThrowawayCluster& operator=(const ThrowawayCluster&) = delete;
  ~ThrowawayCluster();

  /// The superuser's URL to its `postgres` database, over its socket.
  const std::string& url() const { return m_url; }
  const std::filesystem::path& folder() const { return m_folder; }

 private:
  std::filesystem::path m_folder;
  std::string m_url;
  std::unique_ptr<ChildProcess> m_server;
};

}  // namespace migrate
