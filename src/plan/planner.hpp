#pragma once

#include <optional>

#include "graph/revision_spec.hpp"
#include "plan/plan.hpp"
#include "util/error.hpp"

namespace migrate {

class RevisionGraph;
struct DatabaseStatus;

/// The migrations in the way cannot be taken back as the plan asked: a downgrade would revert
/// one that has no down section, or a redo one that cannot be reverted and applied again (no
/// down section, no file, another migration's row, stopped part-way). Nothing was run; the
/// message lists them and says what to do instead.
class PlanRefused : public Error {
 public:
  explicit PlanRefused(const std::string& message) : Error(ExitCode::bad_input, message) {}
};

struct UpgradeRequest {
  RevisionSpec target;         ///< default: head
  bool strict = false;         ///< refuse pending migrations older than the newest applied one
  bool allow_changed = false;  ///< let applied migrations whose file changed through
  bool allow_empty = false;    ///< apply an up section that has no statement
};

/// Plans an upgrade: every migration that is an ancestor of the target (or is the target) and
/// is not applied, in topological order, after re-keying renamed rows. Throws GraphError for an
/// unknown target (checked first), UsageError for `+N` past the last pending migration, a
/// ParseError (InvalidFiles for several) for an up section with no statement (unless allowed;
/// merges and squashes may be empty), and CheckFailed for changed applied migrations (unless
/// allowed) and for out-of-order ones under --strict.
Plan plan_upgrade(const RevisionGraph& graph, const DatabaseStatus& status,
                  const UpgradeRequest& request);

/// Plans a downgrade: reverts, newest first, every applied migration that is not an ancestor of
/// the target (orphans included, from their stored down SQL); `-N` reverts the last N applied
/// (UsageError when fewer are). A migration whose up section was edited since it was applied is
/// reverted with the down SQL stored then; a note says so whenever the file's down differs.
/// Throws PlanRefused before anything runs when a step has no down section.
/// With `fake` (nothing runs, the rows go) a migration without a down section is no obstacle.
Plan plan_downgrade(const RevisionGraph& graph, const DatabaseStatus& status,
                    const RevisionSpec& target, bool fake = false);

/// Plans a redo, the edit loop on a development database: takes back migrations with the down
/// SQL stored when each was applied (it undoes what ran, whatever the file says now), newest
/// first, then applies their files as they are now, parents first. `-N` redoes the last N
/// applied; an id or `head` redoes that migration and every applied one that depends on it.
/// Throws before anything runs: GraphError for an unknown or unapplied target (UsageError for
/// a count past what is applied), PlanRefused for an orphan, a partly applied migration in the
/// set, another migration's row under a file's id, or one applied without a down section.
/// Without a target, it redoes the migrations edited since they were applied (with what depends
/// on them), else the last one applied.
Plan plan_redo(const RevisionGraph& graph, const DatabaseStatus& status,
               const std::optional<RevisionSpec>& target, bool allow_empty = false);

}  // namespace migrate
