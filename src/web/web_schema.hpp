#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "diff/live_drift.hpp"
#include "diff/migration_schema_changes.hpp"
#include "graph/revision_graph.hpp"
#include "web/web_source.hpp"

namespace migrate {

class DevDatabases;

/// The schema side of the page: each environment's drift, and what each migration's up section
/// does to the schema. Both need development databases (SQLite's in memory; PostgreSQL's on
/// dev-database, else on a throwaway cluster started at the first need), which are kept for the
/// server's life, so the cluster starts once. One computation runs at a time; the others wait.
class WebSchema {
 public:
  explicit WebSchema(const WebSource& source);
  WebSchema(const WebSchema&) = delete;
  WebSchema& operator=(const WebSchema&) = delete;
  ~WebSchema();

  /// Every configured environment's live drift against `graph`, read now.
  std::vector<TargetDrift> drift(const RevisionGraph& graph);

  /// What each migration of `graph` (by index) does to the schema of the tool's database's
  /// engine. Remembered by the checksums of a migration's up section and of all its ancestors',
  /// which are all it depends on: computed again only when one of them changes.
  std::vector<MigrationSchemaChange> changes(const RevisionGraph& graph);

  /// For a signal that ends the process: a throwaway cluster is stopped and removed at once.
  void abandon() noexcept;

 private:
  DevDatabases& dev(std::string_view engine);

  const WebSource& m_source;
  std::mutex m_mutex;      ///< held by a computation
  std::mutex m_dev_mutex;  ///< held while m_dev is looked at: abandon() may come at any time
  std::map<std::string, std::unique_ptr<DevDatabases>, std::less<>> m_dev;  ///< by engine
  std::map<std::string, MigrationSchemaChange> m_changes;                   ///< by chain_keys()
};

/// Per migration of `graph` (by index), a key for its up section and all its ancestors' (their
/// checksums): equal keys, equal schema changes. Pure.
std::vector<std::string> chain_keys(const RevisionGraph& graph);

}  // namespace migrate
