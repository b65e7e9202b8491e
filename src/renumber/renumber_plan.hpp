#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "migration/migration.hpp"

namespace migrate {

class RevisionGraph;

/// One of this branch's migrations, and what renumbering does to it.
struct RenumberStep {
  std::size_t migration = 0;  ///< index in the local migrations
  MigrationId new_id;         ///< equal to the old one when only its parent changes
  std::string new_stem;       ///< "<new id>_<slug>"
  std::string new_parent;     ///< the stem it depends on afterwards
  bool renamed = false;       ///< the id changes (so the file is renamed)
  /// Upstream's stem with this migration's current id, when upstream has another migration
  /// with it (two people in the same minute); empty when the id is free.
  std::string clash;
};

/// What migrate-renumber would do: this branch's migrations, in their order, each with its
/// new id and parent; empty `steps` when they already follow upstream's.
struct RenumberPlan {
  std::vector<RenumberStep> steps;  ///< only those that change
  std::vector<std::size_t> branch;  ///< every migration of this branch, parents first
  std::string upstream_head;        ///< the stem they are chained after
  std::string new_head;             ///< the stem migrations/HEAD names afterwards
};

/// Plans the renumbering (DESIGN.md, "Git integration"): `local` (the work tree's
/// migrations, sorted by id; duplicate ids allowed, that is the point) minus the files
/// upstream has (`upstream_files`, file names) are this branch's. When one of them is not
/// newer than every upstream migration, or the first is not chained after upstream's head,
/// they all get ids after the newest upstream one, in their order (an id that is already
/// newer than the one before is kept), and each depends on the one before, the first on
/// upstream's head. `id_after(x)` gives the id for a migration that must come after x.
/// Throws UsageError when the work tree lacks some of upstream's migrations (rebase first)
/// or upstream has several heads.
RenumberPlan plan_renumber(const std::vector<Migration>& local,
                           const std::set<std::string>& upstream_files,
                           const RevisionGraph& upstream,
                           const std::function<MigrationId(const MigrationId&)>& id_after);

/// Why the migration of `pushed` (one of plan.steps), which the remote-tracking branch
/// `branch` ("origin/feature") has already, is not renumbered without --force, and the way
/// out. When one of the plan's migrations has the id of one of upstream's, `migrate merge`
/// cannot join the heads either (the set does not load): --force is the only way then, and
/// both commands say so.
std::string pushed_refusal(const RenumberPlan& plan, const std::vector<Migration>& local,
                           const RenumberStep& pushed, const std::string& branch);

/// The file name a migration gets with a new id ("<new id>_<slug>.sql", or ".up.sql"/".down.sql"
/// for golang-migrate pairs, from `file`; Flyway's `V<new id>__<description>.sql`).
std::string renamed_file_name(const std::filesystem::path& file, const MigrationId& old_id,
                              const MigrationId& new_id);

}  // namespace migrate
