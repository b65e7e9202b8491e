#include "plan/plan.hpp"

namespace migrate {

const char* step_verb(const PlanStep& step) {
  switch (step.kind) {
    case PlanStep::Kind::apply:
      return "apply";
    case PlanStep::Kind::resume:
      return "resume";
    case PlanStep::Kind::revert:
      return "revert";
    case PlanStep::Kind::rekey:
      return "re-key";
    case PlanStep::Kind::record:
      return "record";
  }
  return "?";
}

}  // namespace migrate
