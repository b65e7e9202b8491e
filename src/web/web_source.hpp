#pragma once

#include <filesystem>

#include "config/config.hpp"
#include "db/connect_options.hpp"
#include "graph/revision_graph.hpp"
#include "history/history.hpp"

namespace migrate {

class AuthorshipCache;
class Environment;

/// Where the history page reads from; copied into the server, read afresh on every request.
struct WebSource {
  Config config;                   ///< the tool's configuration (folder, database, migrate.conf)
  const Environment* environment;  ///< for ${VARIABLES} of other [env] sections; outlives us
  std::filesystem::path cwd;
};

/// How the page opens a configured database: one that does not answer is shown as such after a
/// few seconds (connect 3 s, statement 5 s, SQLite lock 2 s), never holding the page.
ConnectOptions page_connect_options();

/// The migrations of the folder alone, read now (so a request for a migration that does not
/// exist is answered without waiting for any database). Throws Error when the folder cannot be
/// read.
RevisionGraph read_web_graph(const WebSource& source);

/// The history of `graph` in every configured target (configured_targets, read afresh from
/// migrate.conf), read now: databases read-only with short timeouts, in parallel, so one that
/// does not answer delays a request by a few seconds and never fails it. Who added the files
/// comes from `authorship` (walked again only when HEAD moved).
History read_web_history(const WebSource& source, AuthorshipCache& authorship, RevisionGraph graph);

}  // namespace migrate
