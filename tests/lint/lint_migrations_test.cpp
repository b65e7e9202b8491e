// lint_migrations: a graph's chosen migrations, their text from where the caller says, the
// project's settings applied.
#include <catch2/catch.hpp>

#include "db/engine.hpp"
#include "graph/revision_graph.hpp"
#include "lint/lint_migrations.hpp"
#include "support/lint_sql.hpp"
#include "support/migration_builder.hpp"
#include "util/error.hpp"

using namespace migrate;
using namespace migrate::test;
using Names = std::vector<std::string>;

namespace {

constexpr std::string_view kIndex = "CREATE INDEX users_email ON users (email);";

/// 1 creates posts, 2 indexes users (released) and posts: only users' index is a finding.
RevisionGraph branch_graph() {
  return RevisionGraph(
      {make_migration("1", std::nullopt, "CREATE TABLE posts (author bigint);"),
       make_migration("2", std::nullopt,
                      std::string(kIndex) + "\nCREATE INDEX posts_author ON posts (author);")});
}

LintRequest request_for_2() {
  LintRequest request;
  request.chosen = {1};
  request.branch = std::set<std::size_t>{0, 1};
  request.context.runner_lock_timeout = request.context.runner_statement_timeout = true;
  // No file on disk: the texts come from here, as the gate's come from the index.
  request.read_text = [](const std::filesystem::path& file) -> std::string {
    CHECK(file == "migrations/2_m2.sql");  // only the chosen migration's text is read
    return "-- migrate:up\nCREATE INDEX users_email ON users (email);\n";
  };
  return request;
}

}  // namespace

TEST_CASE("lint_migrations: the text comes from the caller, the settings apply",
          "[lint][lint_migrations]") {
  const Dialect& dialect = engine_for_scheme("postgres")->dialect();
  RevisionGraph graph = branch_graph();
  LintRequest request = request_for_2();
  std::vector<Finding> findings = lint_migrations(dialect, graph, request);
  CHECK(rule_names(findings) == Names{"require-concurrent-index-creation"});
  CHECK(findings.at(0).file == "migrations/2_m2.sql");

  SECTION("a suppression in the given text, not on disk, silences it") {
    request.read_text = [](const std::filesystem::path&) -> std::string {
      return "-- migrate:lint ignore=require-concurrent-index-creation reason=\"40 rows\"\n"
             "-- migrate:up\nCREATE INDEX users_email ON users (email);\n";
    };
    CHECK(lint_migrations(dialect, graph, request).empty());
  }
  SECTION("severity and disable from the settings") {
    request.settings.severity = {{"require-concurrent-index-creation", Severity::warning}};
    CHECK(lint_migrations(dialect, graph, request).at(0).severity == Severity::warning);
    request.settings.disabled = {"require-concurrent-index-creation"};
    CHECK(lint_migrations(dialect, graph, request).empty());
  }
}

TEST_CASE("lint_migrations: a migration read only for its tables may be unparsable",
          "[lint][lint_migrations]") {
  const Dialect& dialect = engine_for_scheme("postgres")->dialect();
  RevisionGraph graph({make_migration("1", std::nullopt, "CREATE INDEX ON ;"),
                       make_migration("2", std::nullopt, std::string(kIndex))});
  LintRequest request = request_for_2();
  CHECK(rule_names(lint_migrations(dialect, graph, request)) ==
        Names{"require-concurrent-index-creation"});
  request.chosen = {0, 1};
  request.read_text = [](const std::filesystem::path&) { return std::string(); };
  CHECK_THROWS_AS(lint_migrations(dialect, graph, request), ParseError);
}
