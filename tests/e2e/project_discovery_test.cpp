// Which project a command works on, and which database it uses: run from a subfolder of a
// repository it finds the project the way git finds .git; an explicit --env beats ambient
// variables; and a variable overriding migrate.conf says so.
#include <catch2/catch.hpp>

#include "support/git_work_tree.hpp"
#include "support/project.hpp"
#include "support/sqlite_probe.hpp"
#include "support/temp_dir.hpp"

using namespace migrate::test;
using Catch::Contains;
using Strings = std::vector<std::string>;

TEST_CASE("project: run from a subfolder of a repository without migrate.conf", "[e2e][config]") {
  TempDir dir;
  GitWorkTree repo(dir.path());
  repo.write("migrations/0001_a.sql", migration_text("CREATE TABLE a (x);", "DROP TABLE a;"));
  repo.write("app/models/user.py", "class User: pass\n");
  std::filesystem::path sub = dir / "app" / "models";

  ProcessResult upgrade = run_tool("migrate-upgrade", {}, {.cwd = sub});
  INFO(upgrade.err);
  REQUIRE(upgrade.exit_code == 0);
  CHECK_THAT(upgrade.err, Contains("note: using the project in " + dir.path().string() +
                                   " (it holds the migrations folder; run from app/models)"));
  CHECK(applied_ids(dir / "migrate.db") == Strings{"0001"});
  CHECK_FALSE(std::filesystem::exists(sub / "migrate.db"));
  CHECK_FALSE(std::filesystem::exists(sub / "migrations"));

  ProcessResult created = run_tool("migrate-create", {"add b"}, {.cwd = sub});
  INFO(created.err);
  REQUIRE(created.exit_code == 0);
  CHECK_THAT(created.out, Contains((dir / "migrations").string() + "/"));
  CHECK_FALSE(std::filesystem::exists(sub / "migrations"));
  // (The folder has no HEAD and no depends: line, so it reads as dbmate's: the new file is
  // dbmate's too, in the project's folder.)
  CHECK(std::filesystem::exists(trimmed(created.out)));

  ProcessResult quiet = run_tool("migrate-current", {"-q"}, {.cwd = sub});
  CHECK(quiet.err.empty());
  CHECK_THAT(quiet.out, Contains("0001_a"));
}

TEST_CASE("project: a repository with no migrations yet gets them at its root", "[e2e][config]") {
  TempDir dir;
  GitWorkTree repo(dir.path());
  repo.write("src/main.c", "int main(void) { return 0; }\n");
  ProcessResult created = run_tool("migrate-create", {"first"}, {.cwd = dir / "src"});
  INFO(created.err);
  REQUIRE(created.exit_code == 0);
  CHECK(std::filesystem::exists(dir / "migrations" / "HEAD"));
  CHECK_FALSE(std::filesystem::exists(dir / "src" / "migrations"));
  CHECK_THAT(created.err,
             Contains("created the migrations folder " + (dir / "migrations").string()));
}

TEST_CASE("database: --env beats DATABASE_URL, and an overriding variable says so",
          "[e2e][config]") {
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x);", "DROP TABLE a;"));
  write_text(
      project.root() / "migrate.conf",
      "[migrate]\n\tdatabase = sqlite:dev.db\n[env \"test\"]\n\tdatabase = sqlite:test.db\n");
  RunOptions ambient{.env = {{"DATABASE_URL", "sqlite:ambient.db"}}};

  ProcessResult explicit_env = project.run("migrate-upgrade", {"--env", "test"}, ambient);
  INFO(explicit_env.err);
  REQUIRE(explicit_env.exit_code == 0);
  CHECK(applied_ids(project.root() / "test.db") == Strings{"0001"});
  CHECK_FALSE(std::filesystem::exists(project.root() / "ambient.db"));
  CHECK_THAT(explicit_env.err, !Contains("DATABASE_URL"));

  ProcessResult by_variable = project.run("migrate-upgrade", {}, ambient);
  INFO(by_variable.err);
  REQUIRE(by_variable.exit_code == 0);
  CHECK(applied_ids(project.root() / "ambient.db") == Strings{"0001"});
  CHECK_FALSE(std::filesystem::exists(project.root() / "dev.db"));
  CHECK_THAT(by_variable.err, Contains("note: DATABASE_URL is set, so it is used instead of the "
                                       "database in [migrate] in "));
  CHECK(by_variable.err.find("DATABASE_URL is set") ==
        by_variable.err.rfind("DATABASE_URL is set"));
}
