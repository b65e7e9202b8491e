#pragma once

#include <string>
#include <vector>

#include "migration/migration.hpp"

namespace migrate {

/// One thing an upgrade or downgrade will do.
struct PlanStep {
  enum class Kind {
    apply,   ///< run a pending migration's up section and record it
    resume,  ///< finish a transaction:false up section that stopped part-way
    revert,  ///< run a down section and delete the row
    rekey,   ///< re-key the row of a renumbered migration (nothing runs)
    record,  ///< record a squashed migration whose work is done: its row in, the rows of the
             ///< migrations it replaces out (nothing runs)
  };
  Kind kind = Kind::apply;
  MigrationId id;      ///< the migration (for rekey: its new id)
  MigrationId old_id;  ///< rekey: the id the row has now
  std::string stem;    ///< for messages
  std::string title;
  /// The file's migration; null when reverting an orphan from its stored down SQL.
  const Migration* migration = nullptr;
  Section section;                    ///< what runs: the up section, or the down section
  int resume_from = 0;                ///< resume: statements already done
  std::vector<MigrationId> replaced;  ///< record: the migrations whose rows it drops
  std::string reason;                 ///< why this step is in the plan (for --dry-run)
};

/// "apply", "resume", "revert", "re-key": the word for a step in output and scripts.
const char* step_verb(const PlanStep& step);

/// A step of `kind` for a migration file's `section`.
PlanStep make_step(PlanStep::Kind kind, const Migration& migration, const Section& section,
                   std::string reason);

/// The checksum an apply step's row records: a Flyway repeatable's is of the text it runs (its
/// placeholders replaced, as Flyway's), any other migration's of its file's up section.
std::string recorded_checksum(const PlanStep& step);

/// What an upgrade or downgrade will do, in order, and what the user should know about it.
struct Plan {
  std::vector<PlanStep> steps;
  std::vector<std::string> notes;

  bool empty() const { return steps.empty(); }
};

}  // namespace migrate
