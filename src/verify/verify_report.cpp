#include "verify/verify_report.hpp"

#include <algorithm>

namespace migrate {

std::string_view verify_step_name(VerifyStep step) {
  switch (step) {
    case VerifyStep::graph:
      return "graph";
    case VerifyStep::lint:
      return "lint";
    case VerifyStep::upgrade:
      return "upgrade";
    case VerifyStep::stairway:
      return "stairway";
    case VerifyStep::schema:
      return "schema";
    case VerifyStep::data:
      return "data";
  }
  return "graph";
}

std::string_view check_status_name(CheckStatus status) {
  switch (status) {
    case CheckStatus::passed:
      return "passed";
    case CheckStatus::failed:
      return "failed";
    case CheckStatus::skipped:
      return "skipped";
  }
  return "failed";
}

std::size_t VerifyReport::count(CheckStatus status) const {
  return static_cast<std::size_t>(std::count_if(
      checks.begin(), checks.end(), [status](const VerifyCheck& c) { return c.status == status; }));
}

VerifyCheck& VerifyReport::add(VerifyStep step, std::string name, CheckStatus status,
                               std::string file, std::string message) {
  checks.push_back({step, std::move(name), status, std::move(file), std::move(message), {}});
  return checks.back();
}

}  // namespace migrate
