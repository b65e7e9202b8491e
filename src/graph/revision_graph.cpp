#include "graph/revision_graph.hpp"

#include <algorithm>
#include <functional>
#include <iterator>
#include <queue>

#include <fmt/format.h>

#include "migration/migration_dir.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace migrate {

namespace {

std::string where(const Migration& migration, int line) {
  return line > 0 ? fmt::format("{}:{}", migration.file.string(), line) : migration.file.string();
}

/// Problems found while building, reported together so one run shows all of them.
class Problems {
 public:
  void add(std::string message) { m_messages.push_back(std::move(message)); }
  void throw_if_any() const {
    if (m_messages.size() == 1) {
      throw GraphError(m_messages.front());
    }
    if (!m_messages.empty()) {
      throw GraphError(fmt::format("the migration set is invalid ({} problems):\n  {}",
                                   m_messages.size(), fmt::join(m_messages, "\n  ")));
    }
  }

 private:
  std::vector<std::string> m_messages;
};

void check_duplicates(const std::vector<Migration>& sorted, Problems& problems) {
  for (std::size_t i = 1; i < sorted.size(); ++i) {
    if (sorted[i].id == sorted[i - 1].id) {
      problems.add(duplicate_id_message(sorted[i].id, sorted[i - 1].file, sorted[i].file));
    }
  }
}

/// Follows not-yet-ordered parents from a node left over by the topological sort until a node
/// repeats: that loop is a cycle.
std::vector<std::size_t> find_cycle(const std::vector<std::vector<std::size_t>>& parents,
                                    const std::vector<std::size_t>& indegree, std::size_t start) {
  std::vector<std::size_t> path;
  std::vector<int> position(parents.size(), -1);
  std::size_t node = start;
  while (position[node] < 0) {
    position[node] = static_cast<int>(path.size());
    path.push_back(node);
    for (std::size_t parent : parents[node]) {
      if (indegree[parent] > 0) {
        node = parent;
        break;
      }
    }
  }
  return {path.begin() + position[node], path.end()};
}

}  // namespace

RevisionGraph::RevisionGraph(std::vector<Migration> migrations) {
  auto versioned = [](const Migration& m) { return !m.repeatable; };
  // stable_partition takes a buffer as large as the whole set, even when there is nothing to
  // move: most folders have no repeatable.
  auto repeatables = std::all_of(migrations.begin(), migrations.end(), versioned)
                         ? migrations.end()
                         : std::stable_partition(migrations.begin(), migrations.end(), versioned);
  m_repeatables.assign(std::make_move_iterator(repeatables),
                       std::make_move_iterator(migrations.end()));
  migrations.erase(repeatables, migrations.end());
  std::stable_sort(m_repeatables.begin(), m_repeatables.end(),
                   [](const Migration& a, const Migration& b) { return a.title() < b.title(); });
  // By id; a Flyway baseline (B10, a name) at its version, just after the version's own file.
  auto id_order = [](const Migration& a, const Migration& b) {
    if (a.baseline || b.baseline) {
      MigrationId x = a.version(), y = b.version();
      if (x != y) {
        return x < y;
      }
    }
    return a.id < b.id;
  };
  if (!std::is_sorted(migrations.begin(), migrations.end(),
                      id_order)) {  // read_migration_dir sorts
    std::stable_sort(migrations.begin(), migrations.end(), id_order);
  }
  Problems problems;
  check_duplicates(migrations, problems);
  std::unordered_map<MigrationId, std::size_t> by_id;
  by_id.reserve(migrations.size());
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    by_id.emplace(migrations[i].id, i);
  }

  // Parents, and which squash replaces what, in id order.
  const std::size_t n = migrations.size();
  std::vector<std::vector<std::size_t>> parents(n);
  std::vector<std::optional<std::size_t>> replaced_by(n);
  std::vector<std::vector<std::size_t>> replaces(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Migration& m = migrations[i];
    if (!m.depends) {
      if (i > 0) {
        parents[i].push_back(i - 1);
      }
    } else {
      for (const MigrationRef& ref : *m.depends) {
        auto found = by_id.find(ref.id);
        if (found == by_id.end()) {
          problems.add(fmt::format("{}: depends on {}, which is not a migration in this folder",
                                   where(m, ref.line), ref.text));
        } else if (std::find(parents[i].begin(), parents[i].end(), found->second) ==
                   parents[i].end()) {
          parents[i].push_back(found->second);
        }
      }
    }
    for (const MigrationRef& ref : m.replaces) {
      auto found = by_id.find(ref.id);
      if (found == by_id.end()) {
        problems.add(fmt::format("{}: replaces {}, which is not a migration in this folder",
                                 where(m, ref.line), ref.text));
      } else if (replaced_by[found->second] && *replaced_by[found->second] != i) {
        problems.add(fmt::format(
            "{}: replaces {}, which {} replaces already: squash each "
            "migration once",
            where(m, ref.line), ref.text, migrations[*replaced_by[found->second]].file.string()));
      } else if (found->second == i) {
        problems.add(fmt::format("{}: replaces itself", where(m, ref.line)));
      } else {
        replaced_by[found->second] = i;
        replaces[i].push_back(found->second);
      }
    }
  }
  problems.throw_if_any();

  // Kahn's algorithm, always taking the smallest id that is ready: deterministic everywhere.
  std::vector<std::vector<std::size_t>> children(n);
  std::vector<std::size_t> indegree(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t p : parents[i]) {
      children[p].push_back(i);
      ++indegree[i];
    }
  }
  std::priority_queue<std::size_t, std::vector<std::size_t>, std::greater<>> ready;
  for (std::size_t i = 0; i < n; ++i) {
    if (indegree[i] == 0) {
      ready.push(i);
    }
  }
  std::vector<std::size_t> order;
  order.reserve(n);
  while (!ready.empty()) {
    std::size_t node = ready.top();
    ready.pop();
    order.push_back(node);
    for (std::size_t child : children[node]) {
      if (--indegree[child] == 0) {
        ready.push(child);
      }
    }
  }
  if (order.size() < n) {
    std::size_t start = 0;
    while (indegree[start] == 0) {
      ++start;
    }
    std::vector<std::string> files;
    for (std::size_t node : find_cycle(parents, indegree, start)) {
      files.push_back(migrations[node].file.string());
    }
    files.push_back(files.front());
    throw GraphError(fmt::format(
        "the migrations depend on each other in a cycle: {} (each depends on the next). Fix the "
        "'-- depends:' lines so that every migration depends only on older ones",
        fmt::join(files, " -> ")));
  }

  // Most often the id order is already topological: the migrations stay where they are
  // (thousands of them are megabytes), and the lists made above are the graph's (a heap block
  // each that is not made again; children were listed in index order).
  bool in_order = true;
  for (std::size_t k = 0; k < n && in_order; ++k) {
    in_order = order[k] == k;
  }
  if (in_order) {
    m_migrations = std::move(migrations);
    m_parents = std::move(parents);
    m_children = std::move(children);
    m_replaced_by = std::move(replaced_by);
    m_replaces = std::move(replaces);
    for (std::vector<std::size_t>& each : m_replaces) {
      std::sort(each.begin(), each.end());
    }
    m_index = std::move(by_id);
    return;
  }
  // Else everything renumbered into topological order, each migration moved to its place.
  std::vector<std::size_t> position(n);
  for (std::size_t k = 0; k < n; ++k) {
    position[order[k]] = k;
  }
  m_migrations.reserve(n);
  for (std::size_t old : order) {
    m_migrations.push_back(std::move(migrations[old]));
  }
  m_parents.resize(n);
  m_children.resize(n);
  m_replaced_by.resize(n);
  m_replaces.resize(n);
  for (std::size_t k = 0; k < n; ++k) {
    std::size_t old = order[k];
    for (std::size_t p : parents[old]) {
      m_parents[k].push_back(position[p]);
    }
    for (std::size_t c : children[old]) {
      m_children[k].push_back(position[c]);
    }
    std::sort(m_children[k].begin(), m_children[k].end());
    if (replaced_by[old]) {
      m_replaced_by[k] = position[*replaced_by[old]];
    }
    for (std::size_t r : replaces[old]) {
      m_replaces[k].push_back(position[r]);
    }
    std::sort(m_replaces[k].begin(), m_replaces[k].end());
  }
  m_index.reserve(n);
  for (std::size_t k = 0; k < n; ++k) {
    m_index.emplace(m_migrations[k].id, k);
  }
}

std::optional<std::size_t> RevisionGraph::find(const MigrationId& id) const {
  auto found = m_index.find(id);
  if (found == m_index.end()) {
    return std::nullopt;
  }
  return found->second;
}

std::vector<std::size_t> RevisionGraph::heads() const {
  std::vector<std::size_t> heads;
  for (std::size_t i = 0; i < size(); ++i) {
    if (m_children[i].empty() && !m_replaced_by[i]) {
      heads.push_back(i);
    }
  }
  return heads;
}

std::vector<bool> RevisionGraph::closure(std::span<const std::size_t> targets) const {
  std::vector<bool> member(size(), false);
  std::vector<std::size_t> stack(targets.begin(), targets.end());
  while (!stack.empty()) {
    std::size_t node = stack.back();
    stack.pop_back();
    if (member[node]) {
      continue;
    }
    member[node] = true;
    stack.insert(stack.end(), m_parents[node].begin(), m_parents[node].end());
  }
  return member;
}

std::string list_stems(const RevisionGraph& graph, const std::vector<std::size_t>& migrations,
                       std::size_t shown) {
  return shortened_list(migrations.size(), shown,
                        [&](std::size_t i) { return graph.at(migrations[i]).stem(); });
}

}  // namespace migrate
