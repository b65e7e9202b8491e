// A migration migrate-create generates from the model, as the gate's linter judges it: an index
// on a released table comes out as a plain CREATE INDEX (with its hazard said), the gate
// refuses it, and `migrate lint --fix` makes it the safe form the gate takes, which a real
// server then runs. PostgreSQL, development databases on dev-database.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "support/git_work_tree.hpp"
#include "support/postgres.hpp"
#include "support/run_tool.hpp"
#include "support/temp_dir.hpp"

using namespace migrate::test;
using Catch::Contains;

TEST_CASE("generated lint fix: an index on a released table, generated, refused, fixed, run",
          "[e2e][lint][check][postgres]") {
  PostgresDatabase database;
  TempDir dir;
  GitWorkTree tree{dir / "repo"};
  tree.write("migrate.conf", fmt::format("[migrate]\n\tdatabase = {}\n\tdev-database = {}\n"
                                         "\tschema = schema/\n\tupstream = origin/main\n",
                                         database.url(), postgres_admin_url()));
  tree.write("schema/app.sql",
             "CREATE TABLE users (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
             "  email TEXT NOT NULL);\n");
  RunOptions options{.cwd = tree.root()};
  REQUIRE(run_tool("migrate-create", {"-m", "create users"}, options).exit_code == 0);
  tree.commit("users, released");
  tree.git({"update-ref", "refs/remotes/origin/main", "HEAD"});

  tree.write("schema/app.sql",
             "CREATE TABLE users (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
             "  email TEXT NOT NULL);\nCREATE INDEX users_email ON users (email);\n");
  ProcessResult created = run_tool("migrate-create", {"-m", "index email"}, options);
  INFO(created.out << created.err);
  REQUIRE(created.exit_code == 0);
  tree.git({"add", "-A"});
  ProcessResult refused = run_tool("migrate-check", {"--staged"}, options);
  INFO(refused.out << refused.err);
  CHECK(refused.exit_code == 3);
  CHECK_THAT(refused.out + refused.err, Contains("[require-concurrent-index-creation]"));

  ProcessResult fixed = run_tool("migrate-lint", {"--fix"}, options);
  INFO(fixed.out << fixed.err);
  CHECK(fixed.exit_code == 0);
  CHECK_THAT(fixed.out, Contains("CONCURRENTLY, which lets writes go on"));
  tree.git({"add", "-A"});
  ProcessResult passed = run_tool("migrate-check", {"--staged"}, options);
  INFO(passed.out << passed.err);
  CHECK(passed.exit_code == 0);

  ProcessResult upgraded = run_tool("migrate-upgrade", {}, options);
  INFO(upgraded.err);
  CHECK(upgraded.exit_code == 0);
  CHECK(database.column("SELECT indexname FROM pg_indexes WHERE indexname = 'users_email'") ==
        std::vector<std::string>{"users_email"});
  CHECK(run_tool("migrate-downgrade", {"base"}, options).exit_code == 0);
}
