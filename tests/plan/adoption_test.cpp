// plan_adoption: which migrations another tool's state says are applied, matched to the files
// here by each tool's kind of record, and what it refuses. Graphs built in memory.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "graph/revision_graph.hpp"
#include "plan/adoption.hpp"
#include "plan/database_status.hpp"
#include "plan/planner.hpp"
#include "support/migration_builder.hpp"
#include "util/error.hpp"

using namespace migrate;
using namespace migrate::test;
using Strings = std::vector<std::string>;
using Catch::Contains;

namespace {

/// 0001_a … 0004_d, a line.
RevisionGraph four() {
  std::vector<Migration> migrations;
  for (const char* id : {"0001", "0002", "0003", "0004"}) {
    Migration m = make_migration(id);
    m.slug = std::string(1, static_cast<char>('a' + (id[3] - '1')));
    migrations.push_back(std::move(m));
  }
  return RevisionGraph(std::move(migrations));
}

ForeignState state(ForeignTool tool, Strings applied) {
  ForeignState s;
  s.tool = tool;
  s.table = "t";
  s.applied = std::move(applied);
  return s;
}

Strings recorded(const Plan& plan) {
  Strings ids;
  for (const PlanStep& step : plan.steps) {
    CHECK(step.kind == PlanStep::Kind::apply);
    ids.push_back(step.id.text());
  }
  return ids;
}

Plan adopt(const RevisionGraph& graph, const ForeignState& foreign,
           const AdoptionRequest& request = {}, std::vector<AppliedMigration> rows = {}) {
  return plan_adoption(graph, reconcile(graph, std::move(rows)), foreign, request);
}

}  // namespace

TEST_CASE("plan_adoption: versions match ids as numbers, the rest are named in a note",
          "[plan][adopt]") {
  RevisionGraph graph = four();
  Plan plan = adopt(graph, state(ForeignTool::goose, {"1", "3", "7"}));
  CHECK(recorded(plan) == Strings{"0001", "0003"});
  REQUIRE(plan.notes.size() == 1);
  CHECK_THAT(plan.notes[0], Contains("records 1 migration that no migration here has: 7"));
}

TEST_CASE("plan_adoption: everything up to golang-migrate's version or Flyway's baseline",
          "[plan][adopt]") {
  RevisionGraph graph = four();
  ForeignState golang = state(ForeignTool::golang_migrate, {});
  golang.applied_up_to = "3";
  CHECK(recorded(adopt(graph, golang)) == Strings{"0001", "0002", "0003"});
  CHECK(adopt(graph, golang).notes.empty());
  golang.applied_up_to = "5";  // golang-migrate's row names a version no file here has
  CHECK(recorded(adopt(graph, golang)) == Strings{"0001", "0002", "0003", "0004"});
  CHECK_THAT(adopt(graph, golang).notes.at(0), Contains(": 5."));

  ForeignState flyway = state(ForeignTool::flyway, {"4"});
  flyway.applied_up_to = "2";  // a baseline is a version, never a file: no note
  CHECK(recorded(adopt(graph, flyway)) == Strings{"0001", "0002", "0004"});
  CHECK(adopt(graph, flyway).notes.empty());
}

TEST_CASE("plan_adoption: Sqitch's changes match by name", "[plan][adopt]") {
  Plan plan = adopt(four(), state(ForeignTool::sqitch, {"b", "c", "zz"}));
  CHECK(recorded(plan) == Strings{"0002", "0003"});
  CHECK_THAT(plan.notes.at(0), Contains(": zz."));
}

TEST_CASE("plan_adoption: Alembic and Django need the revision here, base records nothing",
          "[plan][adopt]") {
  RevisionGraph graph = four();
  ForeignState django = state(ForeignTool::django, {});
  for (int i = 0; i < 60; ++i) {
    django.applied.push_back("shop.00" + std::to_string(10 + i) + "_x");
  }
  try {
    adopt(graph, django);
    FAIL("adopted without a revision");
  } catch (const PlanRefused& e) {
    std::string message = e.what();
    CHECK_THAT(message, Contains("shop.0010_x, shop.0011_x"));
    CHECK_THAT(message, Contains("(60 in all)"));  // not all sixty
    CHECK_THAT(message, Contains("`migrate adopt --from django <revision>`"));
    CHECK_THAT(message, Contains("`migrate adopt --from django base`"));
  }
  CHECK(recorded(adopt(graph, django, {.up_to = 2})) == Strings{"0001", "0002", "0003"});
  CHECK(recorded(adopt(graph, django, {.none = true})).empty());
  // An empty alembic_version: nothing applied there, nothing to ask.
  CHECK(recorded(adopt(graph, state(ForeignTool::alembic, {}))).empty());
}

TEST_CASE("plan_adoption: a revision for a tool that matches by itself is refused",
          "[plan][adopt]") {
  CHECK_THROWS_AS(adopt(four(), state(ForeignTool::dbmate, {"0001"}), {.up_to = 0}), UsageError);
  CHECK(recorded(adopt(four(), state(ForeignTool::dbmate, {"0001"}), {.none = true})).empty());
}

TEST_CASE("plan_adoption: dirty or failed states are refused with the tool's own fix",
          "[plan][adopt]") {
  ForeignState dirty = state(ForeignTool::golang_migrate, {});
  dirty.blocked = "golang-migrate's t says version 2 is dirty";
  CHECK_THROWS_WITH(adopt(four(), dirty), Contains("is dirty. Nothing was recorded"));
}

TEST_CASE(
    "plan_adoption: rows migrate has are kept, once its table exists, adding rows is "
    "refused",
    "[plan][adopt]") {
  RevisionGraph graph = four();
  AppliedMigration first;
  first.id = graph.at(0).id;
  first.checksum = graph.at(0).checksum;
  // Its own row for 0001: only 0002 is left to record.
  CHECK(recorded(adopt(graph, state(ForeignTool::dbmate, {"0001", "0002"}), {}, {first})) ==
        Strings{"0002"});
  // Its table exists: migrate has been running the database, and 0002 may have been reverted.
  CHECK_THROWS_WITH(adopt(graph, state(ForeignTool::dbmate, {"0001", "0002"}),
                          {.state_table_exists = true}, {first}),
                    Contains("would add one (0002_b), which may have been reverted since"));
  // Nothing to add: nothing to refuse (adopting twice).
  CHECK(adopt(graph, state(ForeignTool::dbmate, {"0001"}), {.state_table_exists = true}, {first})
            .empty());
}

namespace {

/// Migrations 0001 and 0002, and Flyway's repeatables R__grants, R__my_views and R__new.
RevisionGraph with_repeatables() {
  std::vector<Migration> migrations;
  for (const char* id : {"0001", "0002"}) {
    migrations.push_back(make_migration(id));
  }
  for (const char* description : {"grants", "my_views", "new"}) {
    migrations.push_back(make_repeatable(description, "SELECT 1;"));
  }
  return RevisionGraph(std::move(migrations));
}

ForeignRepeatable ran(std::string description, std::optional<std::int32_t> checksum) {
  return {.description = std::move(description),
          .script = "R__x.sql",
          .checksum = checksum,
          .deleted = false};
}

}  // namespace

TEST_CASE(
    "plan_adoption: Flyway's repeatables whose latest run has the file's checksum are "
    "recorded after the versions, the others left due with why",
    "[plan][adopt]") {
  RevisionGraph graph = with_repeatables();
  ForeignState flyway = state(ForeignTool::flyway, {"1", "2"});
  ForeignRepeatable deleted = ran("gone", 5);
  deleted.deleted = true;
  deleted.checksum.reset();
  flyway.repeatables = {ran("grants", 21), ran("my views", 12), ran("old", 7), deleted};
  AdoptionRequest request;
  // Per repeatable: {replaced, written}. grants ran with its written text (Flyway's
  // "equivalent" checksum); my views with another text; new never ran.
  request.flyway_checksums = {{20, 21}, {10, 11}, {30, 30}};
  Plan plan = adopt(graph, flyway, request);
  CHECK(recorded(plan) == Strings{"0001", "0002", "R__grants"});
  CHECK(plan.steps.back().migration == &graph.repeatables()[0]);
  CHECK_THAT(plan.steps.back().reason, Contains("ran it last with this text (checksum 21)"));
  REQUIRE(plan.notes.size() == 2);
  CHECK_THAT(plan.notes[0],
             Contains("2 repeatable migrations not recorded: the next `migrate upgrade` runs "
                      "them, as Flyway's next migrate would: R__my_views (changed since Flyway "
                      "last ran it: checksum 12 there, 10 here); R__new (Flyway never ran it)"));
  // A row of a repeatable with no file here is named; one `flyway repair` deleted is not.
  CHECK_THAT(plan.notes[1],
             Contains("t records 1 repeatable migration that no file here has: R__x.sql"));
  CHECK_THAT(plan.notes[1], !Contains("gone"));

  // The replaced text's checksum matches too; a deleted or checksum-less latest row does not.
  flyway.repeatables = {ran("grants", 20), ran("my views", std::nullopt), deleted};
  flyway.repeatables.back().description = "new";
  plan = adopt(graph, flyway, request);
  CHECK(recorded(plan) == Strings{"0001", "0002", "R__grants"});
  CHECK_THAT(plan.notes.at(0), Contains("R__my_views (its latest row (R__x.sql) has no checksum)"));
  CHECK_THAT(plan.notes.at(0), Contains("R__new (`flyway repair` removed its row)"));
  CHECK(plan.notes.size() == 1);
}

TEST_CASE(
    "plan_adoption: Flyway's repeatables are left alone by `base` and once migrate's table "
    "exists",
    "[plan][adopt]") {
  RevisionGraph graph = with_repeatables();
  ForeignState flyway = state(ForeignTool::flyway, {});
  flyway.repeatables = {ran("grants", 20)};
  AdoptionRequest request;
  request.flyway_checksums = {{20, 20}, {1, 1}, {2, 2}};
  request.none = true;
  CHECK(adopt(graph, flyway, request).empty());
  request.none = false;
  request.state_table_exists = true;
  CHECK(adopt(graph, flyway, request).empty());
  // Without the files' checksums nothing can be judged: a broken contract, not a guess.
  CHECK_THROWS_AS(adopt(graph, flyway), InternalError);
}
