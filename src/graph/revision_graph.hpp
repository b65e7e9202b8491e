#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include "migration/migration.hpp"

namespace migrate {

/// The migrations as a DAG through their parents (`depends:`, or the previous id when a file
/// has none). Migrations are kept in topological order, ties broken by id, so index i is the
/// i-th migration to apply on every machine.
class RevisionGraph {
 public:
  /// Builds and validates the graph; throws GraphError naming the files of every problem found
  /// (duplicate ids, unknown parents, cycles, replaces of unknown ids).
  explicit RevisionGraph(std::vector<Migration> migrations);

  std::size_t size() const { return m_migrations.size(); }
  bool empty() const { return m_migrations.empty(); }
  const Migration& at(std::size_t index) const { return m_migrations[index]; }
  const std::vector<Migration>& migrations() const { return m_migrations; }
  std::optional<std::size_t> find(const MigrationId& id) const;

  const std::vector<std::size_t>& parents(std::size_t index) const { return m_parents[index]; }
  const std::vector<std::size_t>& children(std::size_t index) const { return m_children[index]; }

  /// Migrations no other one depends on, in order; migrations replaced by a squash are not heads.
  std::vector<std::size_t> heads() const;
  /// True for a migration that a squashed migration's `replaces:` names.
  bool replaced(std::size_t index) const { return m_replaced_by[index].has_value(); }
  /// The squashed migration that replaces this one, if any.
  std::optional<std::size_t> replaced_by(std::size_t index) const { return m_replaced_by[index]; }
  /// What a squashed migration replaces, in order (empty for an ordinary one).
  const std::vector<std::size_t>& replaces(std::size_t index) const { return m_replaces[index]; }

  /// Flyway's repeatable migrations, which are no part of the graph (no parents, no children):
  /// in the order Flyway runs them, by description.
  const std::vector<Migration>& repeatables() const { return m_repeatables; }
  /// Membership of `targets` and all their ancestors.
  std::vector<bool> closure(std::span<const std::size_t> targets) const;

 private:
  std::vector<Migration> m_migrations;
  std::vector<Migration> m_repeatables;
  std::vector<std::vector<std::size_t>> m_parents;
  std::vector<std::vector<std::size_t>> m_children;
  std::vector<std::optional<std::size_t>> m_replaced_by;
  std::vector<std::vector<std::size_t>> m_replaces;
  std::unordered_map<MigrationId, std::size_t> m_index;
};

/// "202611211423_add_phone_to_users, 202611211500_x" for a few of the graph's migrations (by
/// index), "… (N in all)" after `shown` of them.
std::string list_stems(const RevisionGraph& graph, const std::vector<std::size_t>& migrations,
                       std::size_t shown = 5);

}  // namespace migrate
