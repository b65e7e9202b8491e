// assemble_history: the one model migrate-history and migrate-web show, built from graphs,
// rows and authorships in memory.
#include "history/history.hpp"

#include <catch2/catch.hpp>

#include "support/migration_builder.hpp"

using namespace migrate;
using namespace migrate::test;

namespace {

/// The commit `commit` by Ann, as commits_adding_files reports one.
FileAuthorship added_in(std::string commit) {
  return FileAuthorship{
      commit,         commit.substr(0, 7), "Ann Example", "ann@example.com", "2026-11-21T14:23:05Z",
      "Add " + commit};
}

/// 0001 <- 0002, 0001 <- 0003: two heads.
RevisionGraph two_heads() {
  return RevisionGraph({make_migration("0001"), make_migration("0002", {{"0001"}}),
                        make_migration("0003", {{"0001"}})});
}

/// A row for `m` as an upgrade writes it.
AppliedMigration row_of(const Migration& m) {
  AppliedMigration row;
  row.id = m.id;
  row.checksum = m.checksum;
  row.title = m.title();
  row.applied_at = "2026-11-21T14:23:05.123Z";
  return row;
}

}  // namespace

TEST_CASE("history: each migration's file matched by name with the commit that added it",
          "[history]") {
  RevisionGraph graph = two_heads();
  auto files = std::make_shared<FileAuthorships>();
  (*files)["0001_m0001.sql"] = added_in("1111111111");
  (*files)["0003_m0003.sql"] = added_in("3333333333");
  (*files)["README.md"] = added_in("9999999999");  // not a migration: matched with nothing
  const FileAuthorships* shared = files.get();

  History history = assemble_history(std::move(graph), {}, {std::move(files), ""});
  CHECK(history.in_git());
  REQUIRE(history.added_by.size() == 3);
  CHECK(history.added_by[0] == &shared->at("0001_m0001.sql"));
  CHECK(history.added_by[1] == nullptr);  // in the folder, not committed yet
  CHECK(history.added_by[2] == &shared->at("0003_m0003.sql"));
  CHECK(history.added_by[2]->commit == "3333333333");
}

TEST_CASE("history: outside git, or when git failed, no migration has a commit", "[history]") {
  SECTION("outside git") {
    History history = assemble_history(two_heads(), {}, {});
    CHECK_FALSE(history.in_git());
    CHECK(history.authorship.error.empty());
    CHECK(history.added_by == std::vector<const FileAuthorship*>(3, nullptr));
  }
  SECTION("git failed: the reason is kept for the page") {
    History history = assemble_history(two_heads(), {}, {nullptr, "git: object not found"});
    CHECK_FALSE(history.in_git());
    CHECK(history.authorship.error == "git: object not found");
    CHECK(history.added_by == std::vector<const FileAuthorship*>(3, nullptr));
  }
}

TEST_CASE("history: the heads of the graph are flagged", "[history]") {
  CHECK(assemble_history(two_heads(), {}, {}).head == std::vector<bool>{false, true, true});

  RevisionGraph merged({make_migration("0001"), make_migration("0002", {{"0001"}}),
                        make_migration("0003", {{"0001"}}),
                        make_migration("0004", {{"0002", "0003"}}, "")});
  CHECK(assemble_history(std::move(merged), {}, {}).head ==
        std::vector<bool>{false, false, false, true});

  History empty = assemble_history(RevisionGraph({}), {}, {});
  CHECK(empty.head.empty());
  CHECK(empty.added_by.empty());
}

TEST_CASE("history: every target is kept in its order, read or not", "[history]") {
  RevisionGraph graph = two_heads();
  DatabaseStatus status = reconcile(graph, {row_of(graph.at(0))});
  std::vector<TargetRead> targets{
      {.name = "default", .database = "sqlite:app.db", .status = status},
      {.name = "prod", .database = "postgres://app:***@db/app", .error = "could not connect"},
  };

  History history = assemble_history(std::move(graph), targets, {});
  REQUIRE(history.targets.size() == 2);
  CHECK(history.targets[0].name == "default");
  REQUIRE(history.targets[0].status);
  CHECK(history.targets[0].status->applied(0));
  CHECK(history.targets[0].status->pending == std::vector<std::size_t>{1, 2});
  CHECK(history.targets[1].name == "prod");
  CHECK_FALSE(history.targets[1].status);
  CHECK(history.targets[1].error == "could not connect");
}

TEST_CASE("history: a copy keeps its commits after the original is gone", "[history]") {
  auto files = std::make_shared<FileAuthorships>();
  (*files)["0002_m0002.sql"] = added_in("2222222222");
  std::optional<History> original = assemble_history(two_heads(), {}, {std::move(files), ""});
  History copy = *original;
  History moved = std::move(*original);
  original.reset();
  REQUIRE(copy.added_by[1] != nullptr);
  CHECK(copy.added_by[1]->commit == "2222222222");
  REQUIRE(moved.added_by[1] != nullptr);
  CHECK(moved.added_by[1]->summary == "Add 2222222222");
}

TEST_CASE("History::first_status: the tool's target's status, or why there is none", "[history]") {
  History none = assemble_history(RevisionGraph({}), {}, {});
  CHECK_THROWS_WITH(none.first_status(), "no database to read the history's state from");
  TargetRead unread;
  unread.database = "sqlite:gone.db";
  unread.error = "cannot open sqlite:gone.db: no such file";
  History failed = assemble_history(RevisionGraph({}), {unread}, {});
  CHECK_THROWS_WITH(failed.first_status(), "cannot open sqlite:gone.db: no such file");
  TargetRead read;
  read.status = reconcile(RevisionGraph({}), {});
  History ok = assemble_history(RevisionGraph({}), {read}, {});
  CHECK(ok.first_status().rows.empty());
}
