// migrate-squash: one migration for a stretch of them, on databases in every state.
#include <catch2/catch.hpp>

#include <algorithm>

#include "support/postgres.hpp"
#include "support/project.hpp"
#include "support/sqlite_probe.hpp"

using namespace migrate::test;
using Catch::Contains;
using Strings = std::vector<std::string>;

namespace {

/// Four linear migrations, one table each.
void add_four(const Project& project) {
  for (int i = 1; i <= 4; ++i) {
    project.add("000" + std::to_string(i) + "_t" + std::to_string(i) + ".sql",
                migration_text("CREATE TABLE t" + std::to_string(i) + " (x int);",
                               "DROP TABLE t" + std::to_string(i) + ";",
                               "-- Table " + std::to_string(i) + "."));
  }
}

/// Two databases, dev (the default) and staging, with staging upgraded to `revision`.
void staging_at(const Project& project, const std::string& revision) {
  write_text(project.root() / "migrate.conf",
             "[migrate]\n\tdatabase = sqlite:dev.db\n[env \"staging\"]\n\tdatabase = "
             "sqlite:staging.db\n");
  REQUIRE(project.run("migrate-upgrade", {"--env", "staging", revision}).exit_code == 0);
}

/// Every file of the migrations folder, name and text, sorted: to prove nothing changed.
Strings folder_snapshot(const Project& project) {
  Strings files;
  for (const auto& entry : std::filesystem::directory_iterator(project.migrations())) {
    files.push_back(entry.path().filename().string() + "\n" + read_text(entry.path()));
  }
  std::sort(files.begin(), files.end());
  return files;
}

/// Squashes 0002..0003 and returns the new file's stem.
std::string squash_middle(const Project& project) {
  ProcessResult result = project.run("migrate-squash", {"0002", "0003"});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  return std::filesystem::path(trimmed(result.out.substr(result.out.rfind("migrations/"))))
      .stem()
      .string();
}

}  // namespace

TEST_CASE("squash: the squashed file, and the child re-pointed to it", "[e2e][squash]") {
  Project project;
  add_four(project);
  std::string stem = squash_middle(project);
  std::string text = read_text(project.migrations() / (stem + ".sql"));
  CHECK_THAT(text, Contains("-- depends: 0001_t1\n-- replaces: 0002_t2 0003_t3\n-- migrate:up\n"
                            "-- 0002_t2: Table 2.\nCREATE TABLE t2 (x int);\n\n"
                            "-- 0003_t3: Table 3.\nCREATE TABLE t3 (x int);\n"));
  CHECK_THAT(text, Contains("-- migrate:down\n-- 0003_t3: Table 3.\nDROP TABLE t3;\n\n"
                            "-- 0002_t2: Table 2.\nDROP TABLE t2;\n"));
  // The child had no depends: line (the previous id); it gets one naming the squash.
  CHECK(read_text(project.migrations() / "0004_t4.sql") ==
        "-- Table 4.\n-- depends: " + stem +
            "\n-- migrate:up\nCREATE TABLE t4 (x int);\n\n"
            "-- migrate:down\nDROP TABLE t4;\n");
  ProcessResult history = project.run("migrate-history");
  CHECK_THAT(history.out, Contains("replaced  0003_t3"));
  CHECK_THAT(history.out, Contains("replaced  0002_t2"));
}

TEST_CASE("squash: a database that applied none, all or some of the range", "[e2e][squash]") {
  Project project;
  add_four(project);
  REQUIRE(project.run("migrate-upgrade", {"--database", "sqlite:all.db", "0003"}).exit_code == 0);
  REQUIRE(project.run("migrate-upgrade", {"--database", "sqlite:some.db", "0002"}).exit_code == 0);
  std::string stem = squash_middle(project);
  std::string id = stem.substr(0, stem.find('_'));
  Strings expected{"0001", "0004", id};

  SECTION("none: the squash runs") {
    ProcessResult up = project.run("migrate-upgrade", {"--database", "sqlite:none.db"});
    INFO(up.err);
    REQUIRE(up.exit_code == 0);
    CHECK_THAT(up.out, Contains("apply  " + stem));
    CHECK_THAT(up.out, !Contains("0002_t2"));
    CHECK(applied_ids(project.root() / "none.db") == expected);
  }
  SECTION("all: the squash is recorded, nothing runs twice") {
    ProcessResult up = project.run("migrate-upgrade", {"--database", "sqlite:all.db"});
    INFO(up.err);
    REQUIRE(up.exit_code == 0);  // running t2/t3 again would fail: they exist
    CHECK_THAT(up.out, Contains("record " + stem));
    CHECK_THAT(up.out, Contains("Done in"));
    CHECK_THAT(up.out, Contains(": 1 applied, 1 recorded (nothing run). "));
    CHECK(applied_ids(project.root() / "all.db") == expected);
  }
  SECTION("some: the rest runs, then the squash is recorded") {
    ProcessResult up = project.run("migrate-upgrade", {"--database", "sqlite:some.db"});
    INFO(up.err);
    REQUIRE(up.exit_code == 0);
    CHECK(up.out.find("apply  0003_t3") < up.out.find("record " + stem));
    CHECK(applied_ids(project.root() / "some.db") == expected);
  }
  for (const char* db : {"none.db", "all.db", "some.db"}) {
    if (!std::filesystem::exists(project.root() / db) ||
        applied_ids(project.root() / db) != expected) {
      continue;
    }
    INFO(db);
    CHECK(schema_objects(project.root() / db) ==
          Strings{"schema_migrations", "t1", "t2", "t3", "t4"});
    // And back down through the squash: its down section drops t3 and t2.
    ProcessResult down =
        project.run("migrate-downgrade", {"--database", std::string("sqlite:") + db, "0001"});
    INFO(down.err);
    CHECK(down.exit_code == 0);
    CHECK(schema_objects(project.root() / db) == Strings{"schema_migrations", "t1"});
    CHECK(applied_ids(project.root() / db) == Strings{"0001"});
  }
}

TEST_CASE("squash: downgrading into the squashed range of a database that ran the squash",
          "[e2e][squash]") {
  Project project;
  add_four(project);
  squash_middle(project);
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  ProcessResult result = project.run("migrate-downgrade", {"0002"});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Contains("lies inside the range"));
  CHECK_THAT(result.err, Contains("Downgrade to 0001_t1"));
}

TEST_CASE("squash: --prune waits until no database is half way", "[e2e][squash]") {
  Project project;
  add_four(project);
  staging_at(project, "0002");
  std::string stem = squash_middle(project);
  ProcessResult refused = project.run("migrate-squash", {"--prune"});
  CHECK(refused.exit_code == 3);
  CHECK_THAT(refused.err,
             Contains("staging (sqlite:staging.db, table schema_migrations) has applied part of "
                      "what " +
                      stem + " replaces"));
  CHECK(std::filesystem::exists(project.migrations() / "0002_t2.sql"));

  REQUIRE(project.run("migrate-upgrade", {"--env", "staging"}).exit_code == 0);
  ProcessResult pruned = project.run("migrate-squash", {"--prune"});
  INFO(pruned.err);
  CHECK(pruned.exit_code == 0);
  CHECK_FALSE(std::filesystem::exists(project.migrations() / "0002_t2.sql"));
  CHECK_FALSE(std::filesystem::exists(project.migrations() / "0003_t3.sql"));
  CHECK_THAT(read_text(project.migrations() / (stem + ".sql")), !Contains("-- replaces:"));
  // dev ran none of the range: after the prune it runs the squash itself. Then both databases
  // are complete and see no orphans.
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  for (const char* env : {"staging", ""}) {
    std::vector<std::string> args{"--check"};
    if (*env != '\0') {
      args = {"--check", "--env", env};
    }
    ProcessResult current = project.run("migrate-current", args);
    INFO(env << current.out << current.err);
    CHECK(current.exit_code == 0);
    CHECK_THAT(current.out, !Contains("orphan"));
  }
}

TEST_CASE("squash: --prune names a database that ran the whole range but not the squash",
          "[e2e][squash]") {
  // staging ran 0002 and 0003 before the squash existed: nothing of the range is left to run,
  // only the squash to record, which its next upgrade does.
  Project project;
  add_four(project);
  staging_at(project, "0003");
  std::string stem = squash_middle(project);
  Strings before = folder_snapshot(project);
  ProcessResult refused = project.run("migrate-squash", {"--prune"});
  CHECK(refused.exit_code == 3);
  CHECK_THAT(refused.err, Contains("staging (sqlite:staging.db, table schema_migrations) has "
                                   "applied all of what " +
                                   stem + " replaces, but has not recorded " + stem +
                                   " yet: run migrate-upgrade there first"));
  CHECK_THAT(refused.err, !Contains("part of"));
  CHECK(folder_snapshot(project) == before);
  CHECK(applied_ids(project.root() / "staging.db") == Strings{"0001", "0002", "0003"});

  // The advice, followed: the upgrade records the squash (0004 runs too), and the prune goes.
  REQUIRE(project.run("migrate-upgrade", {"--env", "staging"}).exit_code == 0);
  ProcessResult pruned = project.run("migrate-squash", {"--prune"});
  INFO(pruned.err);
  CHECK(pruned.exit_code == 0);
  CHECK_FALSE(std::filesystem::exists(project.migrations() / "0002_t2.sql"));
}

TEST_CASE("squash: --prune reads each environment's own state table", "[e2e][squash]") {
  // prod keeps its rows in prod_migrations, in the same database as the default's
  // schema_migrations (which has nothing applied): prod is the one half way.
  Project project;
  add_four(project);
  write_text(project.root() / "migrate.conf",
             "[migrate]\n\tdatabase = sqlite:app.db\n[env \"prod\"]\n\ttable = prod_migrations\n");
  REQUIRE(project.run("migrate-upgrade", {"--env", "prod", "0002"}).exit_code == 0);
  std::string stem = squash_middle(project);
  Strings before = folder_snapshot(project);

  ProcessResult refused = project.run("migrate-squash", {"--prune"});
  CHECK(refused.exit_code == 3);
  CHECK_THAT(refused.err, Contains("not pruning, nothing was changed") &&
                              Contains("prod (sqlite:app.db, table prod_migrations) has applied "
                                       "part of what " +
                                       stem + " replaces"));
  CHECK(folder_snapshot(project) == before);
  CHECK(applied_ids(project.root() / "app.db", "prod_migrations") == Strings{"0001", "0002"});

  // The same from the prod side: the default database is checked too, and it is fine.
  ProcessResult from_prod = project.run("migrate-squash", {"--prune", "--env", "prod"});
  CHECK(from_prod.exit_code == 3);
  CHECK(folder_snapshot(project) == before);

  REQUIRE(project.run("migrate-upgrade", {"--env", "prod"}).exit_code == 0);
  ProcessResult pruned = project.run("migrate-squash", {"--prune"});
  INFO(pruned.err);
  CHECK(pruned.exit_code == 0);
  CHECK_FALSE(std::filesystem::exists(project.migrations() / "0002_t2.sql"));
}

TEST_CASE("squash: bad ranges are refused with the reason (exit 2)", "[e2e][squash]") {
  Project project;
  add_four(project);
  project.add("0005_branch.sql", migration_text("SELECT 5;", "SELECT 5;", "-- depends: 0003"));
  project.add("0006_join.sql", migration_text("", "", "-- depends: 0004 0005"));
  struct Case {
    Strings args;
    std::string message;
  };
  for (const Case& c : {Case{{"0003", "0002"}, "0003_t3 comes after 0002_t2"},
                        Case{{"0002", "0042"}, "unknown revision '0042'"},
                        Case{{"0002", "0004"}, "0003_t3 has 2 children"},
                        Case{{"0004", "0006"}, "0006_join joins 2 branches"},
                        Case{{"0002"}, "name the first and the last migration"}}) {
    INFO(c.message);
    ProcessResult result = project.run("migrate-squash", c.args);
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Contains(c.message));
  }
  // Nothing was written by any of them.
  CHECK(std::distance(std::filesystem::directory_iterator(project.migrations()),
                      std::filesystem::directory_iterator()) == 6);
}

TEST_CASE("squash: an already squashed range cannot be squashed again", "[e2e][squash]") {
  Project project;
  add_four(project);
  std::string stem = squash_middle(project);
  ProcessResult again = project.run("migrate-squash", {"0002", "0003"});
  CHECK(again.exit_code == 2);
  CHECK_THAT(again.err, Contains("0002_t2 is squashed already, by " + stem));
  ProcessResult of_squash = project.run("migrate-squash", {stem, "0004"});
  CHECK(of_squash.exit_code == 2);
  CHECK_THAT(of_squash.err, Contains(stem + " is a squash itself"));
}

TEST_CASE("squash: on PostgreSQL too", "[e2e][squash][postgres]") {
  PostgresDatabase db;
  Project project;
  add_four(project);
  REQUIRE(project.run("migrate-upgrade", {"--database", db.url(), "0002"}).exit_code == 0);
  std::string stem = squash_middle(project);
  ProcessResult up = project.run("migrate-upgrade", {"--database", db.url()});
  INFO(up.err);
  REQUIRE(up.exit_code == 0);
  CHECK(db.applied_ids() == Strings{"0001", "0004", stem.substr(0, stem.find('_'))});
  CHECK(db.relations() == Strings{"schema_migrations", "t1", "t2", "t3", "t4"});
  REQUIRE(project.run("migrate-downgrade", {"--database", db.url(), "base"}).exit_code == 0);
  CHECK(db.relations() == Strings{"schema_migrations"});
}

TEST_CASE("squash: a child that cannot be re-pointed stops it before anything is written",
          "[e2e][squash][bad-input]") {
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x INTEGER);", "DROP TABLE a;"));
  project.add("0002_b.sql", migration_text("CREATE TABLE b (x INTEGER);", "DROP TABLE b;"));
  project.add("0003_c.up.sql", "CREATE TABLE c (x INTEGER);\n");  // golang-migrate: no header
  ProcessResult result = project.run("migrate-squash", {"0001", "0002"});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Contains("0003_c.up.sql has no '-- migrate:up' line") &&
                             Contains("Nothing was written"));
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(project.migrations())) {
    files += entry.path().extension() == ".sql" ? 1 : 0;
  }
  CHECK(files == 3);
}
