#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace migrate {

class RevisionGraph;

/// The migrations among `candidates` (indices in `graph`) that have nothing to apply: their up
/// section holds no statement (only white space and comments, as migrate-create's template
/// before it is filled in), and they are neither a merge (two or more parents: joining
/// branches is its whole job) nor a squash (what it `replaces:` is recorded). Such a migration
/// is most likely unfinished: the planner refuses to apply it without --allow-empty, and the
/// pre-commit gate refuses to commit it. In the order given.
std::vector<std::size_t> empty_migrations(const RevisionGraph& graph,
                                          std::span<const std::size_t> candidates);

}  // namespace migrate
