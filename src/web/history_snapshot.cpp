#include "web/history_snapshot.hpp"

#include <chrono>

#include "db/open_database.hpp"
#include "git/git_repo.hpp"
#include "migration/migration_dir.hpp"
#include "target/target.hpp"
#include "target/target_status.hpp"
#include "util/error.hpp"
#include "util/file.hpp"
#include "util/parallel.hpp"
#include "web/authorship_cache.hpp"

namespace migrate {

namespace {

using namespace std::chrono_literals;

/// A page request must not wait long for one environment: a server that accepts but never
/// answers costs the connect timeout, a locked SQLite file the lock timeout, a slow query the
/// statement timeout; then the environment is shown as unreachable.
ConnectOptions page_connect_options() {
  ConnectOptions options;
  options.lock_timeout = 2s;
  options.connect_timeout = 3s;
  options.statement_timeout = 5s;
  return options;
}

EnvironmentView read_environment(const Target& target, const RevisionGraph& graph) {
  EnvironmentView view{target.name, "", std::nullopt, target.problem};
  if (!target.problem.empty()) {
    return view;
  }
  try {
    view.database = target_url(target).redacted();
    view.status = read_target_status(target, graph, page_connect_options()).status;
  } catch (const std::exception& e) {
    // Driver messages name the redacted URL; a URL that did not parse is redacted here.
    view.error = redact_url(e.what());
  }
  if (view.database.empty()) {
    view.database = redact_url(target.url);
  }
  return view;
}

/// Who added each file (one walk of the history when HEAD moved); none (not an error) outside
/// git.
void read_authorship(const WebSource& source, AuthorshipCache& authorship,
                     HistorySnapshot& snapshot) {
  snapshot.added_by.assign(snapshot.graph.size(), nullptr);
  try {
    std::optional<GitRepo> repo = GitRepo::discover(source.config.migrations_dir);
    if (!repo || repo->workdir().empty()) {
      return;
    }
    snapshot.files = authorship.get(*repo, repo->relative_path(source.config.migrations_dir));
  } catch (const Error& e) {
    snapshot.git_error = e.what();
    return;
  }
  for (std::size_t m = 0; m < snapshot.graph.size(); ++m) {
    auto found = snapshot.files->find(snapshot.graph.at(m).file.filename().string());
    if (found != snapshot.files->end()) {
      snapshot.added_by[m] = &found->second;
    }
  }
}

}  // namespace

HistorySnapshot read_history_folder(const WebSource& source) {
  // Paths as history shows them: relative to the working directory when inside it.
  return HistorySnapshot(
      RevisionGraph(read_migration_dir(display_path(source.config.migrations_dir, source.cwd))));
}

HistorySnapshot read_history_snapshot(const WebSource& source, AuthorshipCache& authorship) {
  HistorySnapshot snapshot = read_history_folder(source);
  read_history_states(source, authorship, snapshot);
  return snapshot;
}

void read_history_states(const WebSource& source, AuthorshipCache& authorship,
                         HistorySnapshot& snapshot) {
  std::vector<Target> targets = configured_targets(source.config, *source.environment);
  snapshot.environments.resize(targets.size());
  parallel_for(targets.size(), [&](std::size_t i) {
    snapshot.environments[i] = read_environment(targets[i], snapshot.graph);
  });
  read_authorship(source, authorship, snapshot);
}

}  // namespace migrate
