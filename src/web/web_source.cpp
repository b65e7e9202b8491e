#include "web/web_source.hpp"

#include <chrono>

#include "db/open_database.hpp"
#include "history/history_reader.hpp"
#include "migration/migration_dir.hpp"
#include "target/target.hpp"
#include "util/file.hpp"
#include "web/authorship_cache.hpp"

namespace migrate {

// A page request must not wait long for one environment: a server that accepts but never
// answers costs the connect timeout, a locked SQLite file the lock timeout, a slow query the
// statement timeout; then the environment is shown as unreachable.
ConnectOptions page_connect_options() {
  using namespace std::chrono_literals;
  ConnectOptions options;
  options.lock_timeout = 2s;
  options.server.connect_timeout = 3s;
  options.server.statement_timeout = 5s;
  return options;
}

RevisionGraph read_web_graph(const WebSource& source) {
  // Paths as history shows them: relative to the working directory when inside it.
  return RevisionGraph(read_migration_dir(display_path(source.config.migrations_dir, source.cwd),
                                          source.config.format,
                                          GooseSettings{{}, source.config.skip_go, nullptr}));
}

History read_web_history(const WebSource& source, AuthorshipCache& authorship,
                         RevisionGraph graph) {
  return read_history(std::move(graph), configured_targets(source.config, *source.environment),
                      source.config.migrations_dir, page_connect_options(),
                      [&authorship](const GitRepo& repo, const std::string& folder) {
                        return authorship.get(repo, folder);
                      });
}

}  // namespace migrate
