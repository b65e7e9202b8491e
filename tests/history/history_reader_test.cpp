// The reads behind a History: each target's state (never a throw for the database's sake) and
// who added the files, from real SQLite files and real git repositories.
#include "history/history_reader.hpp"
#include "target/target_status.hpp"

#include <catch2/catch.hpp>

#include "db/open_database.hpp"
#include "git/git_repo.hpp"
#include "support/git_work_tree.hpp"
#include "support/migration_project.hpp"
#include "support/temp_dir.hpp"
#include "target/target.hpp"

using namespace migrate;
using namespace migrate::test;
using Catch::Contains;

namespace {

/// 0001 applied to the project's database, 0002 pending.
struct AppliedProject {
  MigrationProject project;
  const RevisionGraph* graph = nullptr;

  AppliedProject() {
    project.write("0001_a.sql", "-- migrate:up\nCREATE TABLE a (x INTEGER);\n");
    project.write("0002_b.sql", "-- migrate:up\nCREATE TABLE b (x INTEGER);\n");
    project.upgrade({.target = parse_revision_spec("0001")});
    graph = &project.load();
  }

  /// A target named `name` at `url`, relative to the project, with the project's state table.
  Target target(std::string name, std::string url) const {
    return Target{std::move(name), std::move(url), project.dir.path(), "", project.table, ""};
  }
};

}  // namespace

TEST_CASE("history reader: a target's state, or why it could not be read", "[history]") {
  AppliedProject p;

  SECTION("read") {
    TargetRead read = read_target(p.target("default", "sqlite:app.db"), *p.graph, {});
    CHECK(read.name == "default");
    CHECK(read.database == "sqlite:app.db");
    CHECK(read.error.empty());
    REQUIRE(read.status);
    CHECK(read.status->applied(0));
    CHECK(read.status->pending == std::vector<std::size_t>{1});
  }
  SECTION("a database that does not exist yet has nothing applied, and is not created") {
    TargetRead read = read_target(p.target("new", "sqlite:new.db"), *p.graph, {});
    REQUIRE(read.status);
    CHECK(read.status->pending.size() == 2);
    CHECK_FALSE(std::filesystem::exists(p.project.dir / "new.db"));
  }
  SECTION("a target whose settings could not be resolved carries its problem") {
    Target broken = p.target("prod", "postgres://app:${PASSWORD}@db/app");
    broken.problem = "[env \"prod\"] uses ${PASSWORD}, which is not set";
    TargetRead read = read_target(broken, *p.graph, {});
    CHECK_FALSE(read.status);
    CHECK(read.error == broken.problem);
    CHECK(read.database.empty());
  }
  SECTION("a bad URL is an error, its password never shown") {
    Target bad = p.target("bad", "mysql://app:secret@db/app");
    bad.source = "[env \"bad\"] in migrate.conf";
    TargetRead read = read_target(bad, *p.graph, {});
    CHECK_FALSE(read.status);
    CHECK_THAT(read.error, Contains("[env \"bad\"] in migrate.conf"));
    CHECK(read.error.find("secret") == std::string::npos);
    CHECK(read.database == "mysql://app:***@db/app");
  }
  SECTION("a database that cannot be opened is an error") {
    std::filesystem::create_directories(p.project.dir / "folder.db");
    TargetRead read = read_target(p.target("odd", "sqlite:folder.db"), *p.graph, {});
    CHECK_FALSE(read.status);
    CHECK_FALSE(read.error.empty());
    CHECK(read.database == "sqlite:folder.db");
  }
}

TEST_CASE("history reader: every target in the order given, outside git", "[history]") {
  AppliedProject p;
  Target broken = p.target("prod", "");
  broken.problem = "no database";
  std::vector<Target> targets{p.target("default", "sqlite:app.db"), broken,
                              p.target("staging", "sqlite:staging.db")};
  History history = read_history(*p.graph, targets, p.project.migrations, {});
  REQUIRE(history.targets.size() == 3);
  CHECK(history.targets[0].status->applied(0));
  CHECK(history.targets[1].error == "no database");
  CHECK(history.targets[2].name == "staging");
  CHECK(history.targets[2].status->pending.size() == 2);
  CHECK(history.graph.size() == 2);
  CHECK_FALSE(history.in_git());
  CHECK(history.authorship.error.empty());
  CHECK(history.added_by == std::vector<const FileAuthorship*>(2, nullptr));
}

TEST_CASE("history reader: who added the files, walked or through the walk given", "[history]") {
  TempDir dir;
  GitWorkTree repo(dir.path());
  repo.write("db/migrations/0001_a.sql", "-- migrate:up\nCREATE TABLE a (x INTEGER);\n");
  std::string commit = repo.commit("Add a");
  repo.write("db/migrations/0002_b.sql", "-- migrate:up\nCREATE TABLE b (x INTEGER);\n");

  SECTION("walked") {
    FolderAuthorship authorship = read_authorship(dir / "db" / "migrations");
    CHECK(authorship.error.empty());
    REQUIRE(authorship.files);
    CHECK(authorship.files->size() == 1);
    CHECK(authorship.files->at("0001_a.sql").commit == commit);
  }
  SECTION("through the walk given, with the folder relative to the work tree") {
    std::string asked;
    auto cached = std::make_shared<const FileAuthorships>();
    FolderAuthorship authorship = read_authorship(
        dir / "db" / "migrations", [&](const GitRepo& /*repo*/, const std::string& folder) {
          asked = folder;
          return cached;
        });
    CHECK(asked == "db/migrations");
    CHECK(authorship.files == cached);
  }
}

TEST_CASE("history reader: a history git cannot read is the error, not a throw", "[history]") {
  TempDir dir;
  GitWorkTree repo(dir.path());
  repo.write("migrations/0001_a.sql", "-- migrate:up\nCREATE TABLE a (x INTEGER);\n");
  repo.commit("Add a");
  std::string tree = repo.git({"rev-parse", "HEAD:migrations"});
  std::filesystem::remove(dir / ".git" / "objects" / tree.substr(0, 2) / tree.substr(2));
  FolderAuthorship authorship = read_authorship(dir / "migrations");
  CHECK_FALSE(authorship.files);
  CHECK_THAT(authorship.error, Contains(tree));
}
