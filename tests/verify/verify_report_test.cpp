// The report of migrate-verify as CI systems read it: JUnit XML (checked by xmllint, which parses
// it) and JSON (parsed by nlohmann), with every text a database or a file can put in it.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "output/json_output.hpp"
#include "support/run_tool.hpp"
#include "support/temp_dir.hpp"
#include "support/xml_query.hpp"
#include "verify/verify_report.hpp"

using namespace migrate;
using namespace migrate::test;

namespace {

VerifyReport sample() {
  VerifyReport report;
  report.engine = "sqlite";
  report.add(VerifyStep::graph, "migrations", CheckStatus::passed, "migrations", "2 migrations");
  report.add(VerifyStep::stairway, "0001_a", CheckStatus::passed, "migrations/0001_a.sql", "ok");
  report
      .add(VerifyStep::stairway, "0002_<b>&\"c\"", CheckStatus::failed, "migrations/0002_b.sql",
           "its down does not give back the schema before its up")
      .details = {"still to drop index idx_a", "a \x01 control, a bad byte \xff, caf\xc3\xa9"};
  report.add(VerifyStep::stairway, "0003_c", CheckStatus::skipped, "migrations/0003_c.sql",
             "no down section:\nirreversible, so it is not tried");
  report.notes.push_back("the stairway walks <these> & those");
  return report;
}

}  // namespace

TEST_CASE("verify_report: counts and step names", "[verify]") {
  VerifyReport report = sample();
  CHECK(report.count(CheckStatus::passed) == 2);
  CHECK(report.count(CheckStatus::failed) == 1);
  CHECK(report.count(CheckStatus::skipped) == 1);
  CHECK_FALSE(report.passed());
  CHECK(verify_step_name(VerifyStep::data) == "data");
  CHECK(check_status_name(CheckStatus::skipped) == "skipped");
}

TEST_CASE("verify_report: JUnit XML, well-formed whatever the texts hold", "[verify]") {
  TempDir dir;
  std::filesystem::path file = dir / "report.xml";
  write_text(file, verify_junit(sample()));
  ProcessResult lint = run_process({"xmllint", "--noout", file.string()});
  INFO(lint.err);
  CHECK(lint.exit_code == 0);
  CHECK(xpath(file, "string(/testsuites/@tests)") == "4");
  CHECK(xpath(file, "string(/testsuites/@failures)") == "1");
  CHECK(xpath(file, "string(/testsuites/@skipped)") == "1");
  CHECK(xpath(file, "count(/testsuites/testsuite)") == "2");
  CHECK(xpath(file, "string(//testsuite[@name='stairway']/@tests)") == "3");
  std::string failed = "//testsuite[@name='stairway']/testcase[2]";
  CHECK(xpath(file, "string(" + failed + "/@name)") == "0002_<b>&\"c\"");
  CHECK(xpath(file, "string(" + failed + "/@file)") == "migrations/0002_b.sql");
  CHECK(xpath(file, "string(" + failed + "/failure/@message)") ==
        "its down does not give back the schema before its up");
  std::string body = xpath(file, "string(" + failed + "/failure)");
  CHECK_THAT(body, Catch::Contains("  - still to drop index idx_a\n"));
  // A control character and a byte that is no UTF-8 become U+FFFD; UTF-8 stays.
  CHECK_THAT(body, Catch::Contains("a \xEF\xBF\xBD control, a bad byte \xEF\xBF\xBD, caf\xc3\xa9"));
  // A line ending kept in an attribute, where a raw one would read as a space.
  CHECK(xpath(file, "string(//testsuite[@name='stairway']/testcase[3]/skipped/@message)") ==
        "no down section:\nirreversible, so it is not tried");
  CHECK(xpath(file, "count(//testcase[@name='0001_a']/*)") == "0");  // passed: nothing inside
  CHECK(xpath(file, "string(//system-out)") == "the stairway walks <these> & those\n");
}

TEST_CASE("verify_report: an empty report is still a document", "[verify]") {
  TempDir dir;
  write_text(dir / "report.xml", verify_junit(VerifyReport{}));
  CHECK(xpath(dir / "report.xml", "string(/testsuites/@tests)") == "0");
}

TEST_CASE("verify_report: JSON, stable fields, bad bytes replaced", "[verify]") {
  nlohmann::json json = nlohmann::json::parse(verify_json(sample()));
  CHECK(json["passed"] == false);
  CHECK(json["engine"] == "sqlite");
  CHECK(json["summary"]["checks"] == 4);
  CHECK(json["summary"]["passed"] == 2);
  CHECK(json["summary"]["failed"] == 1);
  CHECK(json["summary"]["skipped"] == 1);
  REQUIRE(json["checks"].size() == 4);
  const nlohmann::json& failed = json["checks"][2];
  CHECK(failed["step"] == "stairway");
  CHECK(failed["name"] == "0002_<b>&\"c\"");
  CHECK(failed["status"] == "failed");
  CHECK(failed["file"] == "migrations/0002_b.sql");
  CHECK(failed["details"][0] == "still to drop index idx_a");
  CHECK(failed["details"][1] == "a \x01 control, a bad byte \xEF\xBF\xBD, caf\xc3\xa9");
  CHECK(json["checks"][0]["details"].empty());
  CHECK(json["notes"][0] == "the stairway walks <these> & those");
  VerifyReport upgrade;
  upgrade.add(VerifyStep::upgrade, "base -> head", CheckStatus::passed, "", "1 step");
  CHECK(nlohmann::json::parse(verify_json(upgrade))["checks"][0]["file"].is_null());
}
