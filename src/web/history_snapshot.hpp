#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "git/authorship.hpp"
#include "graph/revision_graph.hpp"
#include "plan/database_status.hpp"

namespace migrate {

class AuthorshipCache;
class Environment;

/// Where the history page reads from; copied into the server, read afresh on every request.
struct WebSource {
  Config config;                   ///< the tool's configuration (folder, database, migrate.conf)
  const Environment* environment;  ///< for ${VARIABLES} of other [env] sections; outlives us
  std::filesystem::path cwd;
};

/// One environment's database as the page shows it: its state, or why it could not be read.
struct EnvironmentView {
  std::string name;
  std::string database;                  ///< redacted: the only form that reaches the page
  std::optional<DatabaseStatus> status;  ///< nullopt when it could not be read
  std::string error;                     ///< why not (messages name redacted URLs only)
};

/// Everything the page and its API show, read in one go: the migrations, who added each file,
/// and every environment's state. `added_by` points into `files`, which it shares.
struct HistorySnapshot {
  explicit HistorySnapshot(RevisionGraph graph) : graph(std::move(graph)) {}

  RevisionGraph graph;
  std::vector<EnvironmentView> environments;
  std::shared_ptr<const FileAuthorships> files;  ///< null outside git
  std::vector<const FileAuthorship*> added_by;   ///< per migration; null: not committed / no git
  std::string git_error;                         ///< why authorship is missing, if it failed
};

/// Reads the folder, the git history and every environment's database now. Databases are
/// opened read-only with short timeouts, in parallel, so one that does not answer delays a
/// request by a few seconds and never fails it. Throws Error when the folder cannot be read.
/// Who added the files comes from `authorship` (walked again only when HEAD moved).
HistorySnapshot read_history_snapshot(const WebSource& source, AuthorshipCache& authorship);
/// read_history_snapshot in two halves: the folder alone first (so a request for a migration
/// that does not exist is answered without waiting for any database), then the rest.
HistorySnapshot read_history_folder(const WebSource& source);
void read_history_states(const WebSource& source, AuthorshipCache& authorship,
                         HistorySnapshot& snapshot);

}  // namespace migrate
