// migrate.conf's [lint] settings: read (every name checked) and applied to findings.
#include <catch2/catch.hpp>

#include "lint/lint_settings.hpp"
#include "lint/rule_family.hpp"
#include "support/lint_sql.hpp"
#include "util/error.hpp"

using namespace migrate;
using namespace migrate::test;
using Catch::Contains;
using Names = std::vector<std::string>;

namespace {

std::string settings_error(const std::vector<std::string>& disable,
                           const std::map<std::string, std::string>& severity) {
  try {
    read_lint_settings("/p/migrate.conf", disable, severity);
  } catch (const ConfigError& e) {
    CHECK(e.exit_code() == ExitCode::bad_input);
    return e.what();
  }
  FAIL("no ConfigError");
  return {};
}

/// A plain CREATE INDEX on an existing table, and a varchar column: an error and a warning.
std::vector<Finding> two_findings() {
  LintContext context;
  context.runner_lock_timeout = context.runner_statement_timeout = true;
  return lint_postgres(
      "CREATE INDEX users_email ON users (email);\nALTER TABLE users ADD COLUMN name "
      "varchar(40);\n",
      true, context);
}

}  // namespace

TEST_CASE("lint settings: disable lists and severities by rule", "[lint][lint_settings]") {
  LintSettings settings = read_lint_settings(
      "/p/migrate.conf", {"prefer-text-field, ban-char-field", "prefer-robust-stmts"},
      {{"require-concurrent-index-creation", "warning"}, {"prefer-bigint-over-int", " note "}});
  CHECK(settings.disabled ==
        std::set<std::string>{"prefer-text-field", "ban-char-field", "prefer-robust-stmts"});
  CHECK(settings.severity.at("require-concurrent-index-creation") == Severity::warning);
  CHECK(settings.severity.at("prefer-bigint-over-int") == Severity::note);
  CHECK(read_lint_settings("/p/migrate.conf", {}, {}).empty());
}

TEST_CASE("lint settings: an unknown rule or severity names the setting and what is valid",
          "[lint][lint_settings]") {
  CHECK(settings_error({"prefer-text-feild"}, {}) ==
        "/p/migrate.conf: [lint] disable = prefer-text-feild: no lint rule is called "
        "prefer-text-feild (`migrate lint --list-rules` lists them)");
  CHECK_THAT(settings_error({}, {{"no-such-rule", "warning"}}),
             Contains("[lint \"severity\"] no-such-rule = warning: no lint rule is called "
                      "no-such-rule"));
  CHECK(settings_error({}, {{"prefer-text-field", "loud"}}) ==
        "/p/migrate.conf: [lint \"severity\"] prefer-text-field = loud: a rule's severity is "
        "error, warning or note");
}

TEST_CASE("lint settings: a disabled rule is not reported, a severity replaces the rule's",
          "[lint][lint_settings]") {
  std::vector<Finding> findings = two_findings();
  REQUIRE(rule_names(findings) == Names{"require-concurrent-index-creation", "prefer-text-field"});
  CHECK(apply_lint_settings(findings, {}).size() == 2);

  LintSettings settings;
  settings.disabled = {"prefer-text-field"};
  settings.severity = {{"require-concurrent-index-creation", Severity::warning}};
  std::vector<Finding> applied = apply_lint_settings(findings, settings);
  REQUIRE(rule_names(applied) == Names{"require-concurrent-index-creation"});
  CHECK(applied[0].severity == Severity::warning);

  settings = {};
  settings.severity = {{"prefer-text-field", Severity::error}};
  applied = apply_lint_settings(findings, settings);
  CHECK(applied[1].severity == Severity::error);
}

TEST_CASE("lint settings: a finding the context lowered stays as low", "[lint][lint_settings]") {
  std::vector<Finding> findings = two_findings();
  findings[0].severity = Severity::note;  // as a rewrite on a table known to be small is
  LintSettings settings;
  settings.severity = {{"require-concurrent-index-creation", Severity::error}};
  CHECK(apply_lint_settings(findings, settings)[0].severity == Severity::note);
  findings[0].severity = Severity::warning;  // lowered, and the project lowers it further
  settings.severity = {{"require-concurrent-index-creation", Severity::note}};
  CHECK(apply_lint_settings(findings, settings)[0].severity == Severity::note);
}
