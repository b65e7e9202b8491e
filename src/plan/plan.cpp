#include "plan/plan.hpp"

#include "migration/checksum.hpp"

namespace migrate {

const char* step_verb(const PlanStep& step) {
  switch (step.kind) {
    case PlanStep::Kind::apply:
      return "apply";
    case PlanStep::Kind::resume:
      return "resume";
    case PlanStep::Kind::revert:
      // A repeatable has no down: its row goes, nothing runs (forget_repeatables).
      return step.migration != nullptr && step.migration->repeatable ? "forget" : "revert";
    case PlanStep::Kind::rekey:
      return "re-key";
    case PlanStep::Kind::record:
      return "record";
  }
  return "?";
}

PlanStep make_step(PlanStep::Kind kind, const Migration& migration, const Section& section,
                   std::string reason) {
  PlanStep step;
  step.kind = kind;
  step.id = migration.id;
  step.stem = migration.stem();
  step.title = migration.title();
  step.migration = &migration;
  step.section = section;
  step.reason = std::move(reason);
  return step;
}

std::string recorded_checksum(const PlanStep& step) {
  if (step.migration->repeatable) {
    return section_checksum(step.section.sql);
  }
  return step.migration->checksum;
}

}  // namespace migrate
