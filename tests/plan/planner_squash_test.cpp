// The planner on squashed migrations (Django's `replaces` semantics, DESIGN.md): a database
// that ran none of the range runs the squash, one that ran all records it, one that ran some
// runs the rest and then records it. In memory, like the other planner tests.
#include <catch2/catch.hpp>

#include "graph/revision_graph.hpp"
#include "graph/revision_spec.hpp"
#include "plan/database_status.hpp"
#include "plan/planner.hpp"
#include "support/migration_builder.hpp"
#include "util/error.hpp"

using namespace migrate;
using namespace migrate::test;
using Steps = std::vector<std::string>;

namespace {

/// 1 -> 2 -> 3 -> 4, with 9 replacing 2 and 3 (depends on 1), and 4 re-pointed to 9.
RevisionGraph squashed_graph() {
  Migration squash = make_migration("9", std::vector<std::string>{"1"}, "SELECT 23;", "SELECT 32;");
  squash.replaces = {{*MigrationId::from_digits("2"), "2", 1},
                     {*MigrationId::from_digits("3"), "3", 1}};
  return RevisionGraph({make_migration("1"), make_migration("2"), make_migration("3"),
                        make_migration("4", std::vector<std::string>{"9"}), squash});
}

std::vector<AppliedMigration> rows_for(const RevisionGraph& graph,
                                       const std::vector<std::string>& ids) {
  std::vector<AppliedMigration> rows;
  int second = 0;
  for (const std::string& id : ids) {
    const Migration& m = graph.at(*graph.find(*MigrationId::from_digits(id)));
    AppliedMigration row;
    row.id = m.id;
    row.checksum = m.checksum;
    row.title = m.title();
    row.applied_at = "2026-01-01T00:00:" + std::string(second < 10 ? "0" : "") +
                     std::to_string(second) + ".000Z";
    ++second;
    rows.push_back(row);
  }
  return rows;
}

Steps steps(const Plan& plan) {
  Steps out;
  for (const PlanStep& step : plan.steps) {
    std::string text = std::string(step_verb(step)) + " " + step.id.text();
    for (const MigrationId& id : step.replaced) {
      text += " -" + id.text();
    }
    out.push_back(text);
  }
  return out;
}

Plan upgrade(const RevisionGraph& graph, const std::vector<std::string>& applied,
             const std::string& target = "head") {
  return plan_upgrade(graph, reconcile(graph, rows_for(graph, applied)),
                      {.target = parse_revision_spec(target)});
}

Plan downgrade(const RevisionGraph& graph, const std::vector<std::string>& applied,
               const std::string& target) {
  return plan_downgrade(graph, reconcile(graph, rows_for(graph, applied)),
                        parse_revision_spec(target));
}

}  // namespace

TEST_CASE("squash: the graph knows what replaces what, replaced migrations are not heads",
          "[plan]") {
  RevisionGraph graph = squashed_graph();
  std::size_t nine = *graph.find(*MigrationId::from_digits("9"));
  std::size_t two = *graph.find(*MigrationId::from_digits("2"));
  CHECK(graph.replaced_by(two) == nine);
  CHECK(graph.replaces(nine).size() == 2);
  std::vector<std::size_t> heads = graph.heads();
  REQUIRE(heads.size() == 1);
  CHECK(graph.at(heads[0]).id.text() == "4");
}

TEST_CASE("squash: none of the range applied runs the squash, not the originals", "[plan]") {
  RevisionGraph graph = squashed_graph();
  CHECK(steps(upgrade(graph, {})) == Steps{"apply 1", "apply 9", "apply 4"});
  CHECK(steps(upgrade(graph, {"1"})) == Steps{"apply 9", "apply 4"});
  DatabaseStatus status = reconcile(graph, rows_for(graph, {"1"}));
  CHECK(state_name(status.state[*graph.find(*MigrationId::from_digits("2"))]) ==
        std::string("replaced"));
  CHECK(status.pending.size() == 2);  // 9 and 4
}

TEST_CASE("squash: all of the range applied records the squash and drops their rows", "[plan]") {
  RevisionGraph graph = squashed_graph();
  CHECK(steps(upgrade(graph, {"1", "2", "3"})) == Steps{"record 9 -2 -3", "apply 4"});
}

TEST_CASE("squash: part of the range applied runs the rest, then records the squash", "[plan]") {
  RevisionGraph graph = squashed_graph();
  CHECK(steps(upgrade(graph, {"1", "2"})) == Steps{"apply 3", "record 9 -2 -3", "apply 4"});
}

TEST_CASE("squash: once applied, the originals are done", "[plan]") {
  RevisionGraph graph = squashed_graph();
  CHECK(steps(upgrade(graph, {"1", "9", "4"})).empty());
  // An upgrade to an original behind the squash has nothing to do either.
  CHECK(steps(upgrade(graph, {"1", "9"}, "2")).empty());
}

TEST_CASE("squash: a fresh database can still go to a point inside the range", "[plan]") {
  RevisionGraph graph = squashed_graph();
  CHECK(steps(upgrade(graph, {}, "2")) == Steps{"apply 1", "apply 2"});
}

TEST_CASE("squash: downgrading through it reverts the squash", "[plan]") {
  RevisionGraph graph = squashed_graph();
  CHECK(steps(downgrade(graph, {"1", "9", "4"}, "1")) == Steps{"revert 4", "revert 9"});
  CHECK(steps(downgrade(graph, {"1", "9", "4"}, "base")) ==
        Steps{"revert 4", "revert 9", "revert 1"});
  // Mid-range databases revert their originals.
  CHECK(steps(downgrade(graph, {"1", "2"}, "base")) == Steps{"revert 2", "revert 1"});
}

TEST_CASE("squash: a target inside the range of an applied squash is refused", "[plan]") {
  RevisionGraph graph = squashed_graph();
  try {
    downgrade(graph, {"1", "9", "4"}, "2");
    FAIL("no error");
  } catch (const GraphError& e) {
    CHECK(e.exit_code() == ExitCode::bad_input);
    CHECK_THAT(e.what(), Catch::Contains("lies inside the range that"));
    CHECK_THAT(e.what(), Catch::Contains("Downgrade to 1_m1"));
  }
}

TEST_CASE("squash: a migration replaced twice is an invalid set", "[plan]") {
  Migration a = make_migration("8", std::vector<std::string>{"1"});
  a.replaces = {{*MigrationId::from_digits("2"), "2", 3}};
  Migration b = make_migration("9", std::vector<std::string>{"1"});
  b.replaces = {{*MigrationId::from_digits("2"), "2", 3}};
  CHECK_THROWS_WITH(RevisionGraph({make_migration("1"), make_migration("2"), a, b}),
                    Catch::Contains("replaces already"));
}

TEST_CASE("squash: a replaces: written by hand after its range records it, never runs it twice",
          "[plan]") {
  auto replacing = [](Migration squash) {
    squash.replaces = {{*MigrationId::from_digits("2"), "2", 1},
                       {*MigrationId::from_digits("3"), "3", 1}};
    return squash;
  };
  SECTION("the squash depends on the end of its range") {
    // 1 -> 2 -> 3 -> 9 -> 4: the originals are ancestors of the head, so they run anyway.
    RevisionGraph graph({make_migration("1"), make_migration("2"), make_migration("3"),
                         make_migration("4", std::vector<std::string>{"9"}),
                         replacing(make_migration("9", std::vector<std::string>{"3"}))});
    CHECK(steps(upgrade(graph, {})) ==
          Steps{"apply 1", "apply 2", "apply 3", "record 9 -2 -3", "apply 4"});
    CHECK(steps(upgrade(graph, {"1", "2"})) == Steps{"apply 3", "record 9 -2 -3", "apply 4"});
  }
  SECTION("a child still depends on an original") {
    // 1 -> 2 -> 3 -> 4, and 9 (after 1) replacing 2 and 3: two heads, 4 and 9.
    RevisionGraph graph({make_migration("1"), make_migration("2"), make_migration("3"),
                         make_migration("4", std::vector<std::string>{"3"}),
                         replacing(make_migration("9", std::vector<std::string>{"1"}))});
    CHECK(steps(upgrade(graph, {}, "heads")) ==
          Steps{"apply 1", "apply 2", "apply 3", "apply 4", "record 9 -2 -3"});
  }
  SECTION("migrate-squash's own graph still runs the squash alone") {
    CHECK(steps(upgrade(squashed_graph(), {})) == Steps{"apply 1", "apply 9", "apply 4"});
  }
}

TEST_CASE("squash: a hand-written range whose originals wait for a later parent", "[plan]") {
  // 1; 2 (after 1) replaces 5 and 6; 3 (after 1); 5 after 3; 6 after 5; 7 after 6. The graph
  // order puts 2 before 3, yet 5 needs 3: the originals run in graph order, the record last.
  Migration squash = make_migration("2", std::vector<std::string>{"1"});
  squash.replaces = {{*MigrationId::from_digits("5"), "5", 1},
                     {*MigrationId::from_digits("6"), "6", 1}};
  RevisionGraph graph({make_migration("1"), squash,
                       make_migration("3", std::vector<std::string>{"1"}),
                       make_migration("5", std::vector<std::string>{"3"}),
                       make_migration("6", std::vector<std::string>{"5"}),
                       make_migration("7", std::vector<std::string>{"6"})});
  CHECK(steps(upgrade(graph, {}, "heads")) ==
        Steps{"apply 1", "apply 3", "apply 5", "apply 6", "record 2 -5 -6", "apply 7"});
}
