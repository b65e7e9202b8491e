// migrate-merge: joining heads when both branches are shared already.
#include <catch2/catch.hpp>

#include "support/project.hpp"
#include "support/sqlite_probe.hpp"

using namespace migrate::test;
using Catch::Contains;
using Strings = std::vector<std::string>;

namespace {

/// 0001 root, then two branches: 0002 left and 0003 right.
void add_branches(const Project& project) {
  project.add("0001_root.sql", migration_text("CREATE TABLE users (id int);", "DROP TABLE users;"));
  project.add("0002_left.sql",
              migration_text("ALTER TABLE users ADD COLUMN a int;",
                             "ALTER TABLE users DROP COLUMN a;", "-- Add a.\n-- depends: 0001"));
  project.add("0003_right.sql", migration_text("CREATE TABLE other (x int);", "DROP TABLE other;",
                                               "-- Create other.\n-- depends: 0001"));
}

}  // namespace

TEST_CASE("merge: a migration depending on every head, applied in order afterwards",
          "[e2e][merge]") {
  Project project;
  add_branches(project);
  CHECK(project.run("migrate-upgrade").exit_code == 2);  // two heads
  ProcessResult merged = project.run("migrate-merge");
  INFO(merged.err);
  REQUIRE(merged.exit_code == 0);
  std::string path = trimmed(merged.out);
  // The folder is numbered in sequence: the merge takes the next number.
  CHECK(path == "migrations/0004_merge_0002_and_0003.sql");
  std::string text = read_text(project.root() / path);
  CHECK_THAT(text, Contains("-- Merge 0002 and 0003\n"));
  CHECK_THAT(text, Contains("--   0002_left: Add a.\n--   0003_right: Create other.\n"));
  CHECK_THAT(text, Contains("-- depends: 0002_left 0003_right\n-- migrate:up\n"));
  std::string stem = std::filesystem::path(path).stem().string();
  CHECK(trimmed(read_text(project.migrations() / "HEAD")) == stem);
  // No shared table: no warning.
  CHECK(merged.err.empty());

  ProcessResult up = project.run("migrate-upgrade");
  INFO(up.err);
  REQUIRE(up.exit_code == 0);
  CHECK(applied_ids(project.db()).size() == 4);
  CHECK(up.out.find("0002_left") < up.out.find("0003_right"));
  // A merge has nothing to undo, and downgrading through it works.
  CHECK(project.run("migrate-downgrade", {"0001"}).exit_code == 0);
  CHECK(applied_ids(project.db()) == Strings{"0001"});
}

TEST_CASE("merge: with one head there is nothing to merge", "[e2e][merge]") {
  Project project;
  project.add("0001_root.sql", migration_text("SELECT 1;"));
  ProcessResult result = project.run("migrate-merge");
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Contains("Nothing to merge: one head, 0001_root"));
  CHECK(std::distance(std::filesystem::directory_iterator(project.migrations()),
                      std::filesystem::directory_iterator()) == 1);
}

TEST_CASE("merge: warns when both branches change the same table", "[e2e][merge]") {
  Project project;
  add_branches(project);
  project.add("0004_right_again.sql",
              migration_text("UPDATE users SET id = id + 1;", "SELECT 1;", "-- depends: 0003"));
  ProcessResult result = project.run("migrate-merge", {"-m", "join left and right"});
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.err, Contains("warning: both branches change table users: 0002_left, "
                                  "0004_right_again"));
  CHECK_THAT(trimmed(result.out), Catch::EndsWith("_join_left_and_right.sql"));
}

TEST_CASE("merge: --heads picks heads, and refuses what is not one", "[e2e][merge]") {
  Project project;
  add_branches(project);
  project.add("0004_third.sql", migration_text("SELECT 4;", "SELECT 4;", "-- depends: 0001"));
  ProcessResult chosen = project.run("migrate-merge", {"--heads", "0002", "0004"});
  REQUIRE(chosen.exit_code == 0);
  CHECK_THAT(read_text(project.root() / trimmed(chosen.out)),
             Contains("-- depends: 0002_left 0004_third\n"));
  ProcessResult wrong = project.run("migrate-merge", {"--heads", "0001", "0003"});
  CHECK(wrong.exit_code == 2);
  CHECK_THAT(wrong.err, Contains("0001_root is not a head"));
  ProcessResult unknown = project.run("migrate-merge", {"--heads", "0003", "0042"});
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.err, Contains("unknown revision '0042'"));
}

TEST_CASE("merge: a migration a squash replaces is not a head to join", "[e2e][merge]") {
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x INTEGER);", "DROP TABLE a;"));
  project.add("0002_b.sql", migration_text("CREATE TABLE b (x INTEGER);", "DROP TABLE b;"));
  REQUIRE(project.run("migrate-squash", {"0001", "0002"}).exit_code == 0);
  ProcessResult replaced = project.run("migrate-merge", {"--heads", "0002", "0001"});
  CHECK(replaced.exit_code == 2);
  CHECK_THAT(replaced.err, Contains("0002_b is not a head") && Contains("replaces it"));
}
