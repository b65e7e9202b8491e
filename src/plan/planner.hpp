#pragma once

#include <optional>

#include "graph/revision_spec.hpp"
#include "plan/plan.hpp"

namespace migrate {

class RevisionGraph;
struct DatabaseStatus;

struct UpgradeRequest {
  RevisionSpec target;         ///< default: head
  bool strict = false;         ///< refuse pending migrations older than the newest applied one
  bool allow_changed = false;  ///< let applied migrations whose file changed through
  bool allow_empty = false;    ///< apply an up section that has no statement
};

/// Plans an upgrade: every migration that is an ancestor of the target (or is the target) and
/// is not applied, in topological order, after re-keying renamed rows. Throws GraphError for an
/// unknown target (checked first), UsageError for `+N` past the last pending migration, an Error
/// (exit 2) for an up section with no statement (unless allowed; merges and squashes may be
/// empty), and CheckFailed for changed applied migrations (unless allowed) and for out-of-order
/// ones under --strict.
Plan plan_upgrade(const RevisionGraph& graph, const DatabaseStatus& status,
                  const UpgradeRequest& request);

/// Plans a downgrade: reverts, newest first, every applied migration that is not an ancestor of
/// the target (orphans included, from their stored down SQL); `-N` reverts the last N applied
/// (UsageError when fewer are). A migration whose up section was edited since it was applied is
/// reverted with the down SQL stored then; a note says so whenever the file's down differs.
/// Throws Error (exit 2) before anything runs when a step has no down section.
/// With `fake` (nothing runs, the rows go) a migration without a down section is no obstacle.
Plan plan_downgrade(const RevisionGraph& graph, const DatabaseStatus& status,
                    const RevisionSpec& target, bool fake = false);

/// Plans a redo, the edit loop on a development database: takes back migrations with the down
/// SQL stored when each was applied (it undoes what ran, whatever the file says now), newest
/// first, then applies their files as they are now, parents first. `-N` redoes the last N
/// applied; an id or `head` redoes that migration and every applied one that depends on it.
/// Throws before anything runs for an unknown or unapplied target, an orphan or a partly
/// applied migration in the set, or one applied without a down section.
/// Without a target, it redoes the migrations edited since they were applied (with what depends
/// on them), else the last one applied.
Plan plan_redo(const RevisionGraph& graph, const DatabaseStatus& status,
               const std::optional<RevisionSpec>& target, bool allow_empty = false);

}  // namespace migrate
