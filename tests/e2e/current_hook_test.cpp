// migrate-current --hook: what the post-checkout hook says after a branch
// switch.
#include <catch2/catch.hpp>

#include "support/git_work_tree.hpp"
#include "support/project.hpp"
#include "support/temp_dir.hpp"
#include "support/web_process.hpp"

using namespace migrate::test;
using Catch::Contains;

TEST_CASE("current --hook says nothing when the database matches the branch", "[e2e][current]") {
  Project project;
  project.add("0001_create_a.sql", migration_text("CREATE TABLE a (x INTEGER);", "DROP TABLE a;"));
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  ProcessResult result = project.run("migrate-current", {"--hook"});
  CHECK(result.exit_code == 0);
  CHECK(result.out.empty());
  CHECK(result.err.empty());
}

TEST_CASE("current --hook says nothing when there is no database yet", "[e2e][current]") {
  Project project;
  project.add("0001_create_a.sql", migration_text("CREATE TABLE a (x INTEGER);", "DROP TABLE a;"));
  ProcessResult result = project.run("migrate-current", {"--hook"});
  CHECK(result.exit_code == 0);
  CHECK(result.out.empty());
  CHECK(result.err.empty());
  CHECK_FALSE(std::filesystem::exists(project.db()));
}

TEST_CASE("current --hook warns about orphans, changed and pending migrations", "[e2e][current]") {
  Project project;
  project.add("0001_create_a.sql", migration_text("CREATE TABLE a (x INTEGER);", "DROP TABLE a;"));
  project.add("0002_create_b.sql", migration_text("CREATE TABLE b (x INTEGER);", "DROP TABLE b;"));
  project.add("0003_create_c.sql", migration_text("CREATE TABLE c (x INTEGER);", "DROP TABLE c;"));
  REQUIRE(project.run("migrate-upgrade", {"0002"}).exit_code == 0);
  // As after switching to a branch that lacks 0002, edited 0001, and has 0003
  // on top of 0001.
  std::filesystem::remove(project.migrations() / "0002_create_b.sql");
  project.add("0001_create_a.sql", migration_text("CREATE TABLE a (y INTEGER);", "DROP TABLE a;"));
  project.add("0003_create_c.sql",
              migration_text("CREATE TABLE c (x INTEGER);", "DROP TABLE c;", "-- depends: 0001"));
  ProcessResult result = project.run("migrate-current", {"--hook"});
  CHECK(result.exit_code == 0);
  CHECK(result.out.empty());
  CHECK_THAT(result.err, Contains("migrate-current: warning: the database has 1 migration "
                                  "applied that this branch does not have: 0002"));
  CHECK_THAT(result.err, Contains("migrate downgrade heads"));
  CHECK_THAT(result.err, Contains("warning: the database ran 1 migration in another version "
                                  "than this branch has: 0001_create_a"));
  CHECK_THAT(result.err, Contains("warning: 1 migration of this branch is not applied: "
                                  "0003_create_c. Run `migrate upgrade`"));
}

TEST_CASE("current --hook: with extra and missing migrations, it says to revert first",
          "[e2e][current]") {
  // As after switching branches: the other branch's 0002 made table t, and this branch's 0003
  // makes its own t. Upgrading first fails; reverting first, then upgrading, works.
  Project project;
  project.add("0001_create_a.sql", migration_text("CREATE TABLE a (x INTEGER);", "DROP TABLE a;"));
  project.add("0002_create_t.sql", migration_text("CREATE TABLE t (x INTEGER);", "DROP TABLE t;"));
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  std::filesystem::remove(project.migrations() / "0002_create_t.sql");
  project.add("0003_create_t.sql", migration_text("CREATE TABLE t (y TEXT);", "DROP TABLE t;"));
  ProcessResult result = project.run("migrate-current", {"--hook"});
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.err, Contains("not have: 0002 \"create t\". Revert it first with `migrate "
                                  "downgrade heads`") &&
                             Contains("then run `migrate upgrade`; or switch back to its branch"));
  CHECK_THAT(result.err, Contains("1 migration of this branch is not applied: 0003_create_t. Run "
                                  "`migrate upgrade` after `migrate downgrade heads` (above), not "
                                  "before"));
  CHECK(result.err.find("Revert it first") < result.err.find("not applied"));

  // The order it gives works; the other one would not have.
  ProcessResult upgrade_first = project.run("migrate-upgrade");
  CHECK(upgrade_first.exit_code == 1);
  CHECK_THAT(upgrade_first.err, Contains("table t already exists"));
  REQUIRE(project.run("migrate-downgrade", {"heads"}).exit_code == 0);
  ProcessResult upgrade = project.run("migrate-upgrade");
  INFO(upgrade.err);
  CHECK(upgrade.exit_code == 0);
  CHECK(project.run("migrate-current", {"--hook"}).err.empty());
}

TEST_CASE("current --hook turns what would fail into one note and exit 0", "[e2e][current]") {
  Project project;
  project.add("0001_create_a.sql", migration_text("CREATE TABLE a (x INTEGER);", "DROP TABLE a;"));
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  project.add("0002_broken.sql", "no sections at all\n");
  ProcessResult broken = project.run("migrate-current", {"--hook"});
  CHECK(broken.exit_code == 0);
  CHECK_THAT(broken.err, Contains("note: could not compare the database with this branch"));
  CHECK_THAT(broken.err, Contains("0002_broken.sql"));
  std::filesystem::remove(project.migrations() / "0002_broken.sql");

  write_text(project.db(), "not a database");
  ProcessResult unreadable = project.run("migrate-current", {"--hook"});
  CHECK(unreadable.exit_code == 0);
  CHECK_THAT(unreadable.err, Contains("note: could not compare the database with this branch"));
}

TEST_CASE(
    "current --hook counts every applied migration as extra on a branch "
    "without the "
    "migrations folder",
    "[e2e][current]") {
  Project project;
  project.add("0001_create_a.sql", migration_text("CREATE TABLE a (x INTEGER);", "DROP TABLE a;"));
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  std::filesystem::remove_all(project.migrations());
  ProcessResult result = project.run("migrate-current", {"--hook"});
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.err, Contains("the database has 1 migration applied that this branch does "
                                  "not have: 0001"));
}

TEST_CASE("current --hook and --check cannot go together", "[e2e][current]") {
  Project project;
  ProcessResult result = project.run("migrate-current", {"--hook", "--check"});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Contains("--check"));
}

TEST_CASE("current --hook: a database server that never answers is one note, not a hang",
          "[e2e][current][bad-input]") {
  Project project;
  project.add("0001_create_a.sql", migration_text("CREATE TABLE a (x INTEGER);", "DROP TABLE a;"));
  // The server accepts the connection and says nothing: the hook gives up after libpq's
  // shortest connect timeout (2 s) instead of the commands' 10 s, since it runs on every
  // checkout.
  SilentPort silent;
  std::string url = "postgresql://dev:s3cret@127.0.0.1:" + std::to_string(silent.port()) + "/app";
  ProcessResult result = project.run("migrate-current", {"--hook", "--database", url});
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.err, Contains("note: could not compare the database with this branch"));
  CHECK_THAT(result.err, Contains("127.0.0.1") && Contains("no answer within 2 s"));
  CHECK_THAT(result.err, !Contains("s3cret"));
}

TEST_CASE(
    "current --hook reads the branch's migrations from git when a sparse checkout leaves "
    "the folder out",
    "[e2e][current][git]") {
  TempDir dir;
  GitWorkTree tree(dir / "repo");
  auto migration = [](const std::string& table, const std::string& parent) {
    return "-- Create " + table + ".\n" + (parent.empty() ? "" : "-- depends: " + parent + "\n") +
           "-- migrate:up\nCREATE TABLE " + table + " (id INTEGER);\n-- migrate:down\nDROP TABLE " +
           table + ";\n";
  };
  tree.write(".gitignore", "dev.db\n");
  tree.write("migrate.conf", "[migrate]\n\tdatabase = sqlite:dev.db\n");
  tree.write("docs/readme.txt", "docs\n");
  tree.write("migrations/1_users.sql", migration("users", ""));
  tree.write("migrations/HEAD", "1_users\n");
  tree.commit("users");
  tree.write("migrations/2_posts.sql", migration("posts", "1_users"));
  tree.write("migrations/HEAD", "2_posts\n");
  tree.commit("posts");
  REQUIRE(run_tool("migrate-upgrade", {"-q"}, {.cwd = tree.root()}).exit_code == 0);
  tree.git({"sparse-checkout", "set", "--cone", "docs"});
  REQUIRE_FALSE(std::filesystem::exists(tree.root() / "migrations"));

  // The database matches the branch, whose folder is not checked out: nothing to say.
  ProcessResult same = run_tool("migrate-current", {"--hook"}, {.cwd = tree.root()});
  CHECK(same.exit_code == 0);
  CHECK(same.err.empty());

  // On the commit before posts, the one migration it lacks, read from its tree.
  tree.git({"checkout", "--quiet", "HEAD~1"});
  ProcessResult behind = run_tool("migrate-current", {"--hook"}, {.cwd = tree.root()});
  CHECK(behind.exit_code == 0);
  CHECK_THAT(behind.err, Contains("the database has 1 migration applied that this branch does "
                                  "not have: 2 \"Create posts.\""));
}
