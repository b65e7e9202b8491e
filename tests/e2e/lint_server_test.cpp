// migrate-lint --database: the real server's table sizes (pg_class.reltuples) lower a rewrite
// of a small table to a note; lint-small-table sets the line. A real PostgreSQL server.
#include <catch2/catch.hpp>

#include "support/git_work_tree.hpp"
#include "support/postgres.hpp"
#include "support/run_tool.hpp"
#include "support/temp_dir.hpp"

using namespace migrate::test;
using Catch::Contains;

namespace {

/// A project whose branch adds a column with a volatile default to `accounts`, which the
/// server has with `rows` rows (analyzed).
struct SizedProject {
  TempDir dir;
  GitWorkTree tree{dir / "repo"};
  PostgresDatabase database;

  explicit SizedProject(int rows, const std::string& settings = "") {
    database.exec("CREATE TABLE accounts (id bigint PRIMARY KEY)");
    database.exec("INSERT INTO accounts SELECT generate_series(1, " + std::to_string(rows) + ")");
    database.exec("ANALYZE accounts");
    tree.write("migrate.conf", "[migrate]\n" + settings);
    tree.write("migrations/0001_accounts.sql",
               "-- Accounts.\n-- migrate:up\nCREATE TABLE accounts (id bigint PRIMARY KEY);\n");
    tree.commit("accounts");
    tree.git({"update-ref", "refs/remotes/origin/main", "HEAD"});
    tree.write("migrations/0002_token.sql",
               "-- Token.\n-- migrate:up\nALTER TABLE accounts ADD COLUMN token uuid DEFAULT "
               "gen_random_uuid();\n");
  }
  ProcessResult lint() const {
    return run_tool("migrate-lint",
                    {"--migration-lock-timeout", "5s", "--statement-timeout", "1m", "--database",
                     database.url()},
                    {.cwd = tree.root()});
  }
};

}  // namespace

TEST_CASE("lint server: a rewrite of a small table is a note that says its size",
          "[e2e][lint][postgres]") {
  SizedProject project(40);
  ProcessResult result = project.lint();
  INFO(result.out << result.err);
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Contains("migrations/0002_token.sql:3: note:"));
  CHECK_THAT(result.out, Contains("accounts has about 40 rows by pg_class.reltuples, under "
                                  "lint-small-table = 10000"));
}

TEST_CASE("lint server: a large table, or a lower lint-small-table, keeps the error",
          "[e2e][lint][postgres]") {
  SECTION("20,000 rows") {
    SizedProject project(20000);
    ProcessResult result = project.lint();
    CHECK(result.exit_code == 3);
    CHECK_THAT(result.out, Contains("migrations/0002_token.sql:3: error:"));
    CHECK_THAT(result.out, !Contains("reltuples"));
  }
  SECTION("lint-small-table = 10") {
    SizedProject project(40, "\tlint-small-table = 10\n");
    ProcessResult result = project.lint();
    CHECK(result.exit_code == 3);
    CHECK_THAT(result.out, Contains("error:"));
  }
  SECTION("a bad lint-small-table is exit 2") {
    SizedProject project(40, "\tlint-small-table = many\n");
    ProcessResult result = project.lint();
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Contains("lint-small-table = many: give a whole number of rows"));
  }
}

TEST_CASE("lint server: without --database nothing is asked of the server", "[e2e][lint]") {
  TempDir dir;
  GitWorkTree tree{dir / "repo"};
  // A server that does not exist: lint never connects unless told to.
  tree.write("migrate.conf", "[migrate]\n\tdatabase = postgres://nobody@127.0.0.1:1/none\n");
  tree.write("migrations/0001_a.sql", "-- A.\n-- migrate:up\nCREATE TABLE a (id bigint);\n");
  ProcessResult result = run_tool("migrate-lint", {}, {.cwd = tree.root()});
  INFO(result.err);
  CHECK(result.exit_code == 0);
}
