#pragma once

#include "graph/revision_spec.hpp"
#include "plan/plan.hpp"

namespace migrate {

class RevisionGraph;
struct DatabaseStatus;

struct UpgradeRequest {
  RevisionSpec target;         ///< default: head
  bool strict = false;         ///< refuse pending migrations older than the newest applied one
  bool allow_changed = false;  ///< let applied migrations whose file changed through
};

/// Plans an upgrade: every migration that is an ancestor of the target (or is the target) and
/// is not applied, in topological order, after re-keying renamed rows. Throws CheckFailed for
/// changed applied migrations (unless allowed) and for out-of-order ones under --strict.
Plan plan_upgrade(const RevisionGraph& graph, const DatabaseStatus& status,
                  const UpgradeRequest& request);

/// Plans a downgrade: reverts, newest first, every applied migration that is not an ancestor of
/// the target (orphans included, from their stored down SQL); `-N` reverts the last N applied.
/// Throws Error (exit 2) before anything runs when a step has no down section.
Plan plan_downgrade(const RevisionGraph& graph, const DatabaseStatus& status,
                    const RevisionSpec& target);

}  // namespace migrate
