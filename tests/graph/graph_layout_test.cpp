#include <catch2/catch.hpp>

#include <random>

#include "graph/graph_layout.hpp"
#include "graph/revision_graph.hpp"
#include "support/migration_builder.hpp"

using namespace migrate;
using migrate::test::make_migration;

namespace {

using Ids = std::vector<std::string>;

/// The ids of the rows, top to bottom.
Ids row_ids(const RevisionGraph& graph, const GraphLayout& layout) {
  Ids ids;
  for (const LayoutRow& row : layout.rows) {
    ids.push_back(graph.at(row.migration).id.text());
  }
  return ids;
}

std::vector<std::size_t> row_lanes(const GraphLayout& layout) {
  std::vector<std::size_t> lanes;
  for (const LayoutRow& row : layout.rows) {
    lanes.push_back(row.lane);
  }
  return lanes;
}

const LayoutEdge& edge(const RevisionGraph& graph, const GraphLayout& layout,
                       std::string_view child, std::string_view parent) {
  for (const LayoutEdge& e : layout.edges) {
    if (graph.at(e.child).id.text() == child && graph.at(e.parent).id.text() == parent) {
      return e;
    }
  }
  FAIL("no edge " << child << " -> " << parent);
  return layout.edges.front();
}

using Route = std::vector<LanePoint>;

/// 1 <- 2, 1 <- 3, and 4 merging 2 and 3.
RevisionGraph two_branches() {
  return RevisionGraph({make_migration("1"), make_migration("2", Ids{"1"}),
                        make_migration("3", Ids{"1"}), make_migration("4", Ids{"2", "3"})});
}

/// What holds for every layout: rows newest first, every edge routed from its child's node to
/// its parent's node through adjacent rows or straight runs, one strand per lane in each gap,
/// and the lanes of each gap consistent with the rows above and below it.
void check_invariants(const RevisionGraph& graph, const GraphLayout& layout) {
  REQUIRE(layout.rows.size() == graph.size());
  for (std::size_t r = 0; r < layout.rows.size(); ++r) {
    const LayoutRow& row = layout.rows[r];
    CHECK(layout.row_of[row.migration] == r);
    CHECK(row.lane < row.lanes);
    CHECK(row.lanes <= layout.width);
    CHECK(row.parents == graph.parents(row.migration).size());
    for (std::size_t p : graph.parents(row.migration)) {
      CHECK(layout.row_of[p] > r);  // parents are below
    }
    for (std::size_t i = 0; i < row.below.size(); ++i) {
      const LayoutStrand& strand = row.below[i];
      CHECK(strand.middle < row.lanes_below);
      if (i > 0) {
        CHECK(row.below[i - 1].middle < strand.middle);
      }
      bool moves = strand.top != strand.middle || strand.middle != strand.bottom;
      CHECK(moves);  // the straight ones are implied
      CHECK(strand.top < row.lanes);
      REQUIRE(r + 1 < layout.rows.size());
      CHECK(strand.bottom < layout.rows[r + 1].lanes);
    }
    CHECK(row.lanes_below <= layout.width);
    if (r + 1 < layout.rows.size()) {
      // Straight lanes stay within both rows.
      CHECK(row.lanes_below <= std::max(row.lanes + row.parents, row.lanes));
    } else {
      CHECK(row.lanes_below == 0);
    }
  }
  if (!layout.rows.empty()) {
    CHECK(layout.rows.back().below.empty());
  }
  std::size_t edges = 0;
  for (std::size_t m = 0; m < graph.size(); ++m) {
    edges += graph.parents(m).size();
  }
  REQUIRE(layout.edges.size() == edges);
  for (const LayoutEdge& e : layout.edges) {
    REQUIRE(e.route.size() >= 2);
    const LayoutRow& child = layout.rows[layout.row_of[e.child]];
    const LayoutRow& parent = layout.rows[layout.row_of[e.parent]];
    CHECK(e.route.front() == LanePoint{layout.row_of[e.child], child.lane});
    CHECK(e.route.back() == LanePoint{layout.row_of[e.parent], parent.lane});
    for (std::size_t i = 1; i < e.route.size(); ++i) {
      const LanePoint& a = e.route[i - 1];
      const LanePoint& b = e.route[i];
      CHECK(a.row < b.row);
      bool straight_or_one_gap = a.lane == b.lane || a.row + 1 == b.row;
      CHECK(straight_or_one_gap);
    }
  }
}

}  // namespace

TEST_CASE("layout: a linear history is one lane, newest first", "[graph][layout]") {
  RevisionGraph graph({make_migration("1"), make_migration("2"), make_migration("3")});
  GraphLayout layout = lay_out(graph);
  check_invariants(graph, layout);
  CHECK(row_ids(graph, layout) == Ids{"3", "2", "1"});
  CHECK(row_lanes(layout) == std::vector<std::size_t>{0, 0, 0});
  CHECK(layout.width == 1);
  CHECK(edge(graph, layout, "3", "2").route == Route{{0, 0}, {1, 0}});
  CHECK(edge(graph, layout, "2", "1").route == Route{{1, 0}, {2, 0}});
}

TEST_CASE("layout: a merge forks a lane to its right, the branches join above their fork",
          "[graph][layout]") {
  RevisionGraph graph = two_branches();
  GraphLayout layout = lay_out(graph);
  check_invariants(graph, layout);
  CHECK(row_ids(graph, layout) == Ids{"4", "3", "2", "1"});
  CHECK(row_lanes(layout) == std::vector<std::size_t>{0, 1, 0, 0});
  CHECK(layout.width == 2);
  CHECK(edge(graph, layout, "4", "2").route == Route{{0, 0}, {2, 0}});
  CHECK(edge(graph, layout, "4", "3").route == Route{{0, 0}, {1, 1}});
  CHECK(edge(graph, layout, "3", "1").route == Route{{1, 1}, {2, 1}, {3, 0}});
  CHECK(edge(graph, layout, "2", "1").route == Route{{2, 0}, {3, 0}});
  // Below the merge: its first parent keeps lane 0 (straight: implied), the second forks to
  // lane 1.
  const LayoutRow& merge = layout.rows[0];
  CHECK(merge.parents == 2);
  CHECK(merge.lanes_below == 2);
  REQUIRE(merge.below.size() == 1);
  CHECK(merge.below[0].top == 0);
  CHECK(merge.below[0].middle == 1);
  CHECK(merge.below[0].bottom == 1);
  // Above the fork point both lanes wait for 1: lane 1 joins lane 0.
  const LayoutRow& above_root = layout.rows[2];
  CHECK(above_root.lanes_below == 2);
  REQUIRE(above_root.below.size() == 1);
  CHECK(above_root.below[0].top == 1);
  CHECK(above_root.below[0].middle == 1);
  CHECK(above_root.below[0].bottom == 0);
  CHECK(layout.rows[3].lanes == 1);
}

TEST_CASE("layout: a second head gets a new lane at the right", "[graph][layout]") {
  RevisionGraph graph(
      {make_migration("1"), make_migration("2", Ids{"1"}), make_migration("3", Ids{"1"})});
  GraphLayout layout = lay_out(graph);
  check_invariants(graph, layout);
  CHECK(row_ids(graph, layout) == Ids{"3", "2", "1"});
  CHECK(row_lanes(layout) == std::vector<std::size_t>{0, 1, 0});
  CHECK(layout.rows[1].lanes == 2);
  CHECK(edge(graph, layout, "2", "1").route == Route{{1, 1}, {2, 0}});
}

TEST_CASE("layout: a three-way merge forks two lanes", "[graph][layout]") {
  RevisionGraph graph({make_migration("1"), make_migration("2", Ids{"1"}),
                       make_migration("3", Ids{"1"}), make_migration("4", Ids{"1"}),
                       make_migration("5", Ids{"2", "3", "4"})});
  GraphLayout layout = lay_out(graph);
  check_invariants(graph, layout);
  CHECK(row_ids(graph, layout) == Ids{"5", "4", "3", "2", "1"});
  CHECK(row_lanes(layout) == std::vector<std::size_t>{0, 2, 1, 0, 0});
  CHECK(layout.width == 3);
  CHECK(edge(graph, layout, "5", "4").route == Route{{0, 0}, {1, 2}});
  CHECK(edge(graph, layout, "4", "1").route == Route{{1, 2}, {3, 2}, {4, 0}});
}

TEST_CASE("layout: a root frees its lane and the lanes right of it close up", "[graph][layout]") {
  RevisionGraph graph(
      {make_migration("1"), make_migration("2", Ids{}), make_migration("3", Ids{"2", "1"})});
  GraphLayout layout = lay_out(graph);
  check_invariants(graph, layout);
  CHECK(row_ids(graph, layout) == Ids{"3", "2", "1"});
  CHECK(row_lanes(layout) == std::vector<std::size_t>{0, 0, 0});
  const LayoutRow& root = layout.rows[1];
  CHECK(root.parents == 0);
  CHECK(root.lanes_below == 1);
  REQUIRE(root.below.size() == 1);
  CHECK(root.below[0].top == 1);
  CHECK(root.below[0].middle == 0);
  CHECK(edge(graph, layout, "3", "1").route == Route{{0, 0}, {1, 1}, {2, 0}});
}

TEST_CASE("layout: lanes passing by cost nothing: a wide star stays linear", "[graph][layout]") {
  // 2000 migrations on one root: 1999 heads, each a lane, all open until the root's row.
  std::vector<Migration> migrations{make_migration("1")};
  for (int i = 2; i <= 2000; ++i) {
    migrations.push_back(make_migration(std::to_string(i), Ids{"1"}));
  }
  RevisionGraph graph(std::move(migrations));
  GraphLayout layout = lay_out(graph);
  CHECK(layout.width == 1999);
  std::size_t strands = 0;
  for (const LayoutRow& row : layout.rows) {
    strands += row.below.size();
  }
  CHECK(strands == 1998);  // only the joins above the root
  for (const LayoutEdge& e : layout.edges) {
    CHECK(e.route.size() <= 3);
  }
}

TEST_CASE("layout: an empty set has no rows", "[graph][layout]") {
  RevisionGraph graph({});
  GraphLayout layout = lay_out(graph);
  CHECK(layout.rows.empty());
  CHECK(layout.edges.empty());
  CHECK(layout.width == 0);
}

TEST_CASE("layout: random DAGs keep every invariant", "[graph][layout]") {
  std::mt19937 random(20261121);
  for (int round = 0; round < 20; ++round) {
    std::vector<Migration> migrations;
    const int count = 60;
    for (int i = 1; i <= count; ++i) {
      Ids parents;
      if (i > 1) {
        int wanted = std::uniform_int_distribution<int>(0, 3)(random);
        for (int k = 0; k < wanted; ++k) {
          std::string parent = std::to_string(std::uniform_int_distribution<int>(1, i - 1)(random));
          if (std::find(parents.begin(), parents.end(), parent) == parents.end()) {
            parents.push_back(parent);
          }
        }
      }
      migrations.push_back(make_migration(std::to_string(i), parents));
    }
    RevisionGraph graph(std::move(migrations));
    INFO("round " << round);
    check_invariants(graph, lay_out(graph));
  }
}
