#include "web/web_schema.hpp"

#include "db/connect_options.hpp"
#include "db/database_url.hpp"
#include "db/engine.hpp"
#include "diff/dev_database.hpp"
#include "target/target.hpp"
#include "target/target_schema.hpp"
#include "target/target_status.hpp"
#include "util/sha256.hpp"

namespace migrate {

std::vector<std::string> chain_keys(const RevisionGraph& graph) {
  std::vector<std::string> keys(graph.size());
  for (std::size_t m = 0; m < graph.size(); ++m) {  // parents come first in the graph's order
    std::string text = graph.at(m).checksum;
    for (std::size_t parent : graph.parents(m)) {
      text += '\n' + keys[parent];
    }
    keys[m] = sha256_hex(text);
  }
  return keys;
}

WebSchema::WebSchema(const WebSource& source) : m_source(source) {}

WebSchema::~WebSchema() = default;

DevDatabases& WebSchema::dev(std::string_view engine) {
  std::lock_guard lock(m_dev_mutex);
  auto found = m_dev.find(engine);
  if (found == m_dev.end()) {
    found = m_dev
                .emplace(std::string(engine),
                         std::make_unique<DevDatabases>(std::string(engine),
                                                        m_source.config.dev_database_url))
                .first;
  }
  return *found->second;
}

std::vector<TargetDrift> WebSchema::drift(const RevisionGraph& graph) {
  std::vector<Target> targets = configured_targets(m_source.config, *m_source.environment);
  std::lock_guard lock(m_mutex);
  std::vector<TargetDrift> drifts;
  for (const Target& target : targets) {
    drifts.push_back(read_target_drift(
        target, graph, [this](std::string_view engine) -> DevDatabases& { return dev(engine); },
        page_connect_options()));
  }
  return drifts;
}

std::vector<MigrationSchemaChange> WebSchema::changes(const RevisionGraph& graph) {
  Target target = tool_target(m_source.config);
  std::string engine(engine_of(target_url(target)).name);
  std::vector<std::string> keys = chain_keys(graph);
  for (std::string& key : keys) {
    key = engine + ':' + key;
  }
  std::lock_guard lock(m_mutex);
  bool known = true;
  for (const std::string& key : keys) {
    known = known && m_changes.contains(key);
  }
  if (!known) {
    std::vector<MigrationSchemaChange> computed =
        migration_schema_changes(graph, dev(engine), schema_read_options(target));
    // What the folder holds now, only: edits would otherwise pile up stale entries.
    m_changes.clear();
    for (std::size_t m = 0; m < keys.size(); ++m) {
      m_changes[keys[m]] = std::move(computed[m]);
    }
  }
  std::vector<MigrationSchemaChange> result;
  result.reserve(keys.size());
  for (const std::string& key : keys) {
    result.push_back(m_changes.at(key));
  }
  return result;
}

void WebSchema::abandon() noexcept {
  // Not m_mutex: a computation may hold it for seconds. Its development databases fail under
  // it from now on, and it ends.
  std::lock_guard lock(m_dev_mutex);
  for (auto& [engine, dev] : m_dev) {
    dev->abandon();
  }
}

}  // namespace migrate
