#include "plan/database_status.hpp"

#include <algorithm>
#include <unordered_map>

#include <fmt/format.h>

#include "graph/graph_marks.hpp"
#include "graph/revision_graph.hpp"
#include "migration/checksum.hpp"
#include "util/error.hpp"

namespace migrate {

namespace {

/// Whether a row and the file with its id are the same migration. After a renumber an id can
/// name another migration than the one applied under it (the row's went to a new id): then
/// neither the title nor the up section match. A blank up section (a merge) proves nothing.
bool same_migration(const AppliedMigration& row, const Migration& m) {
  // The checksum first: most rows match by it, without building the title.
  return (row.checksum == m.checksum && !m.up.blank()) || row.title == m.title();
}

/// A row left without a file, whose id a file still has after renames were matched: the same
/// migration with both its title and its up section edited ("changed", not orphan + pending).
void rejoin_edited(const RevisionGraph& graph, std::vector<std::size_t>& orphan_candidates,
                   DatabaseStatus& status) {
  std::erase_if(orphan_candidates, [&](std::size_t r) {
    std::optional<std::size_t> m = graph.find(status.rows[r].id);
    if (!m || status.row_of[*m]) {
      return false;
    }
    status.row_of[*m] = r;
    return true;
  });
}

/// A row with no file is the renamed form of a pending migration when their up sections have
/// the same checksum, and the match is one to one. Blank up sections (merge migrations) all
/// share a checksum, so for those the titles must match too.
void find_renames(const RevisionGraph& graph, std::vector<std::size_t>& orphan_candidates,
                  std::vector<std::size_t>& pending_candidates, DatabaseStatus& status) {
  std::unordered_multimap<std::string, std::size_t> pending_by_checksum;
  for (std::size_t m : pending_candidates) {
    pending_by_checksum.emplace(graph.at(m).checksum, m);
  }
  std::unordered_map<std::size_t, int> claims;  // migration -> how many rows match it
  std::vector<std::optional<std::size_t>> match(orphan_candidates.size());
  for (std::size_t k = 0; k < orphan_candidates.size(); ++k) {
    const AppliedMigration& row = status.rows[orphan_candidates[k]];
    auto [first, last] = pending_by_checksum.equal_range(row.checksum);
    int count = 0;
    for (auto it = first; it != last; ++it) {
      const Migration& m = graph.at(it->second);
      if (!m.up.blank() || m.title() == row.title) {
        match[k] = it->second;
        ++count;
      }
    }
    if (count != 1) {
      match[k].reset();
    } else {
      ++claims[*match[k]];
    }
  }
  std::vector<std::size_t> orphans;
  for (std::size_t k = 0; k < orphan_candidates.size(); ++k) {
    if (match[k] && claims[*match[k]] == 1) {
      status.renamed.push_back({orphan_candidates[k], *match[k]});
      status.row_of[*match[k]] = orphan_candidates[k];
    } else {
      orphans.push_back(orphan_candidates[k]);
    }
  }
  orphan_candidates = std::move(orphans);
}

/// A migration a squash replaces needs no row when the squash is applied, or when nothing of
/// the squashed range ran here (the squash runs instead). Only when part of the range ran do the
/// rest of the originals run, before the squash is recorded.
bool superseded(const RevisionGraph& graph, const DatabaseStatus& status, std::size_t m) {
  if (status.ignores_baseline(graph, m)) {
    return true;
  }
  std::optional<std::size_t> squash = graph.replaced_by(m);
  if (!squash || status.ignores_baseline(graph, *squash)) {
    return false;
  }
  return status.row_of[*squash] || !status.ran_part_of(graph, *squash);
}

}  // namespace

const char* state_name(MigrationState state) {
  switch (state) {
    case MigrationState::pending:
      return "pending";
    case MigrationState::applied:
      return "applied";
    case MigrationState::changed:
      return "changed";
    case MigrationState::partial:
      return "partial";
    case MigrationState::replaced:
      return "replaced";
  }
  return "?";
}

bool DatabaseStatus::ran_part_of(const RevisionGraph& graph, std::size_t squash) const {
  // Through the squashes it replaces too (a Flyway baseline replaces the one before it): their
  // originals' rows count. The replaces form a tree, each migration replaced once; `seen`
  // guards against a hand-made loop all the same.
  std::vector<std::size_t> todo{squash};
  std::vector<bool> seen(graph.size(), false);
  while (!todo.empty()) {
    std::size_t next = todo.back();
    todo.pop_back();
    for (std::size_t original : graph.replaces(next)) {
      if (row_of[original]) {
        return true;
      }
      if (!seen[original]) {
        seen[original] = true;
        todo.push_back(original);
      }
    }
  }
  return false;
}

bool DatabaseStatus::ignores_baseline(const RevisionGraph& graph, std::size_t migration) const {
  return graph.at(migration).baseline && !row_of[migration] && migrated;
}

GraphStates graph_states(const DatabaseStatus& status, std::string database) {
  GraphStates states;
  states.database = std::move(database);
  states.words.reserve(status.state.size());
  for (MigrationState state : status.state) {
    states.words.emplace_back(state_name(state));
  }
  for (std::size_t r = 0; r < status.repeatable_row.size(); ++r) {
    states.repeatable_words.emplace_back(status.repeatable_due(r) ? "pending" : "applied");
  }
  return states;
}

bool DatabaseStatus::repeatable_due(std::size_t repeatable) const {
  return std::find(repeatables_due.begin(), repeatables_due.end(), repeatable) !=
         repeatables_due.end();
}

std::vector<std::size_t> DatabaseStatus::applied_heads(const RevisionGraph& graph) const {
  std::vector<std::size_t> heads;
  for (std::size_t i = 0; i < graph.size(); ++i) {
    if (!applied(i)) {
      continue;
    }
    // The children of what replaces it count too: where a Flyway baseline was not run, the
    // migrations after it follow the ones it replaces.
    bool has_applied_child = false;
    std::size_t hops = 0;  // a hand-made loop of replaces: each migration once at most
    for (std::optional<std::size_t> m = i; m && !has_applied_child && hops++ < graph.size();
         m = graph.replaced_by(*m)) {
      for (std::size_t child : graph.children(*m)) {
        has_applied_child = has_applied_child || applied(child);
      }
    }
    if (!has_applied_child) {
      heads.push_back(i);
    }
  }
  return heads;
}

bool is_repeatable_row(const RevisionGraph& graph, const AppliedMigration& row) {
  // Only a Flyway folder has repeatables: in a name-ordered one, R__x is a stem like any other.
  bool flyway = !graph.repeatables().empty() || graph.empty() ||
                graph.at(0).format == MigrationFormat::flyway;
  return flyway && row.id.named() && row.id.text().starts_with("R__") && !graph.find(row.id);
}

namespace {

/// The checksum of a repeatable's text as it runs: with its placeholders replaced, as Flyway
/// computes it; the file's when there are none or no values. A placeholder without a value
/// leaves the file's, and says so in `problem`.
std::string repeatable_checksum(const Migration& repeatable, const PlaceholderValues* values,
                                std::string& problem) {
  if (values == nullptr || repeatable.up.sql.find("${") == std::string::npos) {
    return repeatable.checksum;
  }
  try {
    return section_checksum(replace_flyway_placeholders(repeatable.up, *values));
  } catch (const ParseError& e) {
    problem = fmt::format("line {} cannot run: {}", e.line(), e.problem());
    return repeatable.checksum;
  }
}

/// Each repeatable's row, and which are due: never applied, stopped part-way, or applied with
/// a checksum that is neither its file's nor its text's as it runs (Flyway's rule).
void match_repeatables(const RevisionGraph& graph, DatabaseStatus& status,
                       const PlaceholderValues* values) {
  const std::vector<Migration>& repeatables = graph.repeatables();
  status.repeatable_row.assign(repeatables.size(), std::nullopt);
  status.repeatable_problem.assign(repeatables.size(), std::string());
  for (std::size_t i = 0; i < repeatables.size(); ++i) {
    status.repeatable_checksum.push_back(
        repeatable_checksum(repeatables[i], values, status.repeatable_problem[i]));
  }
  for (std::size_t r = 0; r < status.rows.size(); ++r) {
    if (!is_repeatable_row(graph, status.rows[r])) {
      continue;
    }
    auto file = std::find_if(repeatables.begin(), repeatables.end(),
                             [&](const Migration& m) { return m.id == status.rows[r].id; });
    if (file == repeatables.end()) {
      status.removed_repeatables.push_back(r);
    } else {
      status.repeatable_row[static_cast<std::size_t>(file - repeatables.begin())] = r;
    }
  }
  for (std::size_t i = 0; i < repeatables.size(); ++i) {
    const std::optional<std::size_t>& row = status.repeatable_row[i];
    if (!row || status.rows[*row].partial() || !status.repeatable_problem[i].empty() ||
        (status.rows[*row].checksum != repeatables[i].checksum &&
         status.rows[*row].checksum != status.repeatable_checksum[i])) {
      status.repeatables_due.push_back(i);
    }
  }
}

}  // namespace

std::string repeatable_due_reason(const DatabaseStatus& status, std::size_t repeatable) {
  if (!status.repeatable_problem[repeatable].empty()) {
    return status.repeatable_problem[repeatable];
  }
  const std::optional<std::size_t>& row = status.repeatable_row[repeatable];
  if (!row) {
    return "never applied here";
  }
  return status.rows[*row].partial() ? "stopped part-way" : "changed since applied";
}

std::string describe_due_repeatable(const DatabaseStatus& status, std::size_t repeatable) {
  std::string reason = repeatable_due_reason(status, repeatable);
  if (!status.repeatable_problem[repeatable].empty()) {
    return reason;
  }
  return reason + "; the next upgrade to head runs it";
}

DatabaseStatus reconcile(const RevisionGraph& graph, std::vector<AppliedMigration> rows,
                         const PlaceholderValues* placeholders) {
  DatabaseStatus status;
  status.rows = std::move(rows);
  status.row_of.assign(graph.size(), std::nullopt);
  std::vector<std::size_t> orphan_candidates;
  match_repeatables(graph, status, placeholders);
  for (std::size_t r = 0; r < status.rows.size(); ++r) {
    if (is_repeatable_row(graph, status.rows[r])) {
      continue;  // match_repeatables' row
    }
    status.migrated = true;
    std::optional<std::size_t> m = graph.find(status.rows[r].id);
    if (m && same_migration(status.rows[r], graph.at(*m))) {
      status.row_of[*m] = r;
    } else {
      orphan_candidates.push_back(r);
    }
  }
  std::vector<std::size_t> pending_candidates;
  for (std::size_t m = 0; m < graph.size(); ++m) {
    if (!status.row_of[m]) {
      pending_candidates.push_back(m);
    }
  }
  if (!orphan_candidates.empty()) {
    find_renames(graph, orphan_candidates, pending_candidates, status);
    rejoin_edited(graph, orphan_candidates, status);
  }
  status.orphans = std::move(orphan_candidates);
  status.state.assign(graph.size(), MigrationState::applied);
  for (std::size_t m = 0; m < graph.size(); ++m) {
    if (!status.row_of[m]) {
      status.state[m] =
          superseded(graph, status, m) ? MigrationState::replaced : MigrationState::pending;
      if (status.state[m] == MigrationState::pending) {
        status.pending.push_back(m);
      }
      continue;
    }
    const AppliedMigration& row = status.rows[*status.row_of[m]];
    if (row.partial()) {
      status.state[m] = MigrationState::partial;
      status.partial.push_back(m);
    } else if (row.checksum != graph.at(m).checksum) {
      status.state[m] = MigrationState::changed;
      status.changed.push_back(m);
    }
  }
  return status;
}

std::optional<std::string> applied_title_if_other(const RevisionGraph& graph,
                                                  const DatabaseStatus& status,
                                                  std::size_t migration) {
  if (!status.row_of[migration]) {
    return std::nullopt;
  }
  const std::string& applied = status.rows[*status.row_of[migration]].title;
  if (applied.empty() || applied == graph.at(migration).title()) {
    return std::nullopt;
  }
  return applied;
}

std::string describe_position(const RevisionGraph& graph, const DatabaseStatus& status) {
  std::vector<std::size_t> heads = status.applied_heads(graph);
  if (heads.empty()) {
    return "nothing applied";
  }
  return list_stems(graph, heads);
}

}  // namespace migrate
