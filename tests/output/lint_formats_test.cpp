// migrate-lint's findings as code-scanning UIs read them: SARIF 2.1.0 (parsed back with the
// same JSON library, its fields checked) and GitHub's workflow commands (escaped as GitHub's
// toolkit escapes them, so a message cannot end the command or a property early).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "lint/finding.hpp"
#include "lint/rule_family.hpp"
#include "output/github_annotations.hpp"
#include "output/json_output.hpp"

using namespace migrate;

namespace {

std::vector<Finding> sample() {
  const RuleInfo* index = find_rule("require-concurrent-index-creation");
  const RuleInfo* drop = find_rule("ban-drop-column");
  REQUIRE(index != nullptr);
  REQUIRE(drop != nullptr);
  return {
      {index, Severity::error, "migrations/0003 my indexes.sql", 4, "CREATE INDEX on users"},
      {drop, Severity::note, "migrations/0004_drop.sql", 7, "DROP COLUMN users.email"},
  };
}

}  // namespace

TEST_CASE("lint_sarif: SARIF 2.1.0 with every rule and each finding's place", "[lint][output]") {
  nlohmann::json sarif = nlohmann::json::parse(lint_sarif(sample()));
  CHECK(sarif["version"] == "2.1.0");
  CHECK(sarif["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json");
  REQUIRE(sarif["runs"].size() == 1);
  const nlohmann::json& run = sarif["runs"][0];
  const nlohmann::json& driver = run["tool"]["driver"];
  CHECK(driver["name"] == "migrate-lint");

  std::size_t count = 0;
  for (const RuleFamily& family : rule_families()) {
    count += family.rules.size();
  }
  REQUIRE(driver["rules"].size() == count);
  for (const nlohmann::json& rule : driver["rules"]) {
    INFO(rule.dump());
    const RuleInfo* info = find_rule(rule["id"].get<std::string>());
    REQUIRE(info != nullptr);
    CHECK(rule["shortDescription"]["text"] == std::string(info->message));
    CHECK(rule["fullDescription"]["text"] == std::string(info->why));
    CHECK_THAT(rule["help"]["text"].get<std::string>(), Catch::Contains(std::string(info->safe)));
    CHECK_THAT(rule["help"]["markdown"].get<std::string>(), Catch::Contains("**The safe way**"));
    CHECK(rule["defaultConfiguration"]["level"] == severity_name(info->severity));
  }

  const nlohmann::json& results = run["results"];
  REQUIRE(results.size() == 2);
  CHECK(results[0]["ruleId"] == "require-concurrent-index-creation");
  CHECK(driver["rules"][results[0]["ruleIndex"].get<std::size_t>()]["id"] == results[0]["ruleId"]);
  CHECK(results[0]["level"] == "error");
  CHECK(results[0]["message"]["text"] == "CREATE INDEX on users");
  const nlohmann::json& location = results[0]["locations"][0]["physicalLocation"];
  CHECK(location["artifactLocation"]["uri"] == "migrations/0003%20my%20indexes.sql");
  CHECK(location["region"]["startLine"] == 4);
  // The finding's own severity (lowered to a note), not the rule's.
  CHECK(results[1]["level"] == "note");
  CHECK(results[1]["locations"][0]["physicalLocation"]["region"]["startLine"] == 7);

  nlohmann::json empty = nlohmann::json::parse(lint_sarif({}));
  CHECK(empty["runs"][0]["results"].empty());
  CHECK(empty["runs"][0]["tool"]["driver"]["rules"].size() == count);
}

TEST_CASE("github_annotations: escaped as GitHub's toolkit escapes them", "[lint][output]") {
  CHECK(github_escape_data("50% done\r\nnext: a, b") == "50%25 done%0D%0Anext: a, b");
  CHECK(github_escape_property("dir,with:colon%\n") == "dir%2Cwith%3Acolon%25%0A");

  const RuleInfo* index = find_rule("require-concurrent-index-creation");
  REQUIRE(index != nullptr);
  std::vector<Finding> findings = {
      {index, Severity::error, "migrations/a,b:c.sql", 4, "line one\nline two, 100% sure: yes"},
      {index, Severity::warning, "m.sql", 1, "w"},
      {index, Severity::note, "m.sql", 2, "n"},
  };
  std::string out = github_annotations(findings);
  std::vector<std::string> lines;
  for (std::size_t at = 0, end; (end = out.find('\n', at)) != std::string::npos; at = end + 1) {
    lines.push_back(out.substr(at, end - at));
  }
  REQUIRE(lines.size() == 3);
  CHECK_THAT(lines[0], Catch::StartsWith("::error file=migrations/a%2Cb%3Ac.sql,line=4,"
                                         "title=require-concurrent-index-creation::line one%0Aline "
                                         "two, 100%25 sure: yes%0A%0A"));
  CHECK_THAT(lines[0], Catch::Contains("The safe way: "));
  CHECK_THAT(lines[1], Catch::StartsWith("::warning file=m.sql,line=1,title="));
  CHECK_THAT(lines[2], Catch::StartsWith("::notice file=m.sql,line=2,title="));
  CHECK(github_annotations({}).empty());
}
