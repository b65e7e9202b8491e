// migrate-verify --json. The verify module's one file with nlohmann/json: output/ sits below
// verify/ in the layering, so the report is written here, as output/json_output writes the
// models below it.
#include <nlohmann/json.hpp>

#include "verify/verify_report.hpp"

namespace migrate {

using json = nlohmann::ordered_json;

std::string verify_json(const VerifyReport& report) {
  json out = json::object();
  out["passed"] = report.passed();
  out["engine"] = report.engine;
  json summary = json::object();
  summary["checks"] = report.checks.size();
  summary["passed"] = report.count(CheckStatus::passed);
  summary["failed"] = report.count(CheckStatus::failed);
  summary["skipped"] = report.count(CheckStatus::skipped);
  out["summary"] = std::move(summary);
  json checks = json::array();
  for (const VerifyCheck& check : report.checks) {
    json item = json::object();
    item["step"] = verify_step_name(check.step);
    item["name"] = check.name;
    item["status"] = check_status_name(check.status);
    item["file"] = check.file.empty() ? json(nullptr) : json(check.file);
    item["message"] = check.message;
    item["details"] = check.details;
    checks.push_back(std::move(item));
  }
  out["checks"] = std::move(checks);
  out["notes"] = report.notes;
  // A database's error message may hold bytes that are no UTF-8: replaced, never a throw.
  return out.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace migrate
