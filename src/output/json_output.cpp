#include "output/json_output.hpp"

#include <nlohmann/json.hpp>

#include "graph/revision_graph.hpp"
#include "plan/database_status.hpp"

namespace migrate {

namespace {

using nlohmann::json;

json brief(const Migration& m) {
  return {{"id", m.id.text()}, {"stem", m.stem()}, {"title", m.title()}, {"file", m.file.string()}};
}

json briefs(const RevisionGraph& graph, const std::vector<std::size_t>& migrations) {
  json list = json::array();
  for (std::size_t m : migrations) {
    list.push_back(brief(graph.at(m)));
  }
  return list;
}

json row_json(const AppliedMigration& row) {
  json out = {{"id", row.id.text()},
              {"title", row.title},
              {"checksum", row.checksum},
              {"applied_at", row.applied_at},
              {"duration_ms", row.duration_ms},
              {"applied_by", row.applied_by},
              {"git_commit", row.git_commit.empty() ? json(nullptr) : json(row.git_commit)}};
  if (row.statements_total) {
    out["statements_done"] = row.statements_done.value_or(0);
    out["statements_total"] = *row.statements_total;
  }
  return out;
}

json orphans_json(const DatabaseStatus& status) {
  json list = json::array();
  for (std::size_t r : status.orphans) {
    list.push_back(row_json(status.rows[r]));
  }
  return list;
}

json migration_json(const RevisionGraph& graph, const DatabaseStatus& status, std::size_t m,
                    const std::vector<bool>& is_head) {
  const Migration& migration = graph.at(m);
  json out = brief(migration);
  json parents = json::array();
  for (std::size_t p : graph.parents(m)) {
    parents.push_back(graph.at(p).id.text());
  }
  json replaces = json::array();
  for (const MigrationRef& ref : migration.replaces) {
    replaces.push_back(ref.id.text());
  }
  out["parents"] = parents;
  out["replaces"] = replaces;
  out["head"] = static_cast<bool>(is_head[m]);
  out["doc"] = migration.doc;
  out["checksum"] = migration.checksum;
  out["reversible"] = migration.reversible();
  out["transaction"] = migration.up.options.transaction;
  out["state"] = state_name(status.state[m]);
  out["applied"] = status.row_of[m] ? row_json(status.rows[*status.row_of[m]]) : json(nullptr);
  return out;
}

}  // namespace

std::string current_json(const RevisionGraph& graph, const DatabaseStatus& status,
                         const std::string& database) {
  json renamed = json::array();
  for (const DatabaseStatus::Rename& rename : status.renamed) {
    renamed.push_back({{"from", status.rows[rename.row].id.text()},
                       {"to", graph.at(rename.migration).id.text()},
                       {"stem", graph.at(rename.migration).stem()}});
  }
  std::size_t applied = 0;
  for (std::size_t m = 0; m < graph.size(); ++m) {
    applied += status.applied(m) ? 1 : 0;
  }
  json out = {{"database", database},
              {"heads", briefs(graph, status.applied_heads(graph))},
              {"applied", applied},
              {"pending", briefs(graph, status.pending)},
              {"partial", briefs(graph, status.partial)},
              {"changed", briefs(graph, status.changed)},
              {"orphans", orphans_json(status)},
              {"renamed", renamed},
              {"up_to_date", status.pending.empty() && status.partial.empty()}};
  return out.dump(2) + "\n";
}

std::string history_json(const RevisionGraph& graph, const DatabaseStatus& status,
                         const std::string& database) {
  std::vector<bool> is_head(graph.size(), false);
  for (std::size_t head : graph.heads()) {
    is_head[head] = true;
  }
  json migrations = json::array();
  for (std::size_t m = 0; m < graph.size(); ++m) {
    migrations.push_back(migration_json(graph, status, m, is_head));
  }
  json out = {
      {"database", database}, {"migrations", migrations}, {"orphans", orphans_json(status)}};
  return out.dump(2) + "\n";
}

}  // namespace migrate
