#pragma once

#include <cstddef>
#include <vector>

namespace migrate {

class RevisionGraph;

/// A place in the lane layout: a row (0 = the newest migration) and a lane (0 = the leftmost).
struct LanePoint {
  std::size_t row = 0;
  std::size_t lane = 0;
  bool operator==(const LanePoint&) const = default;
};

/// One edge (child -> parent) where it crosses the gap between a row and the next one. Three
/// lanes, because a gap does two things in turn: first the upper node's parents get their lanes
/// (a merge forks new lanes to the right of its own, a root frees its lane), then the lanes
/// waiting for the lower node join its lane (they branched off from it).
struct LayoutStrand {
  std::size_t edge = 0;    ///< index into GraphLayout::edges
  std::size_t top = 0;     ///< lane on the upper row (the node's own lane for an edge leaving it)
  std::size_t middle = 0;  ///< lane once the upper node's parents have their lanes
  std::size_t bottom = 0;  ///< lane on the lower row (the node's own lane for an edge reaching it)
};

/// One row of the layout: a migration, the lane it sits in, and what runs below it.
struct LayoutRow {
  std::size_t migration = 0;  ///< index in the RevisionGraph
  std::size_t lane = 0;       ///< the node's lane
  std::size_t lanes = 0;      ///< lanes on this row, the node's included (lanes 0 .. lanes-1)
  std::size_t parents = 0;    ///< edges leaving the node: lanes lane .. lane+parents-1 below it
  /// Lanes open in the gap to the next row, once the node's parents have theirs (0 on the last
  /// row): each holds one edge, and its lane there is that edge's middle lane.
  std::size_t lanes_below = 0;
  /// The edges that change lanes in the gap to the next row, by middle lane. Every other lane i
  /// of the gap runs straight down: top = middle = bottom = i. (So the layout stays linear in
  /// the history however many lanes pass by.)
  std::vector<LayoutStrand> below;
};

/// One edge of the DAG and its route through the layout.
struct LayoutEdge {
  std::size_t child = 0;   ///< migration index (the upper end)
  std::size_t parent = 0;  ///< migration index (the lower end)
  /// From the child's node to the parent's node, the points where the lane changes: two
  /// consecutive points are either in the same lane (a straight run down) or in adjacent rows
  /// (a diagonal across one gap).
  std::vector<LanePoint> route;
};

/// The migrations laid out in rows and lanes, as `git log --graph` draws commits: one row per
/// migration, newest first (reverse topological order, so every migration is above its
/// parents), and a lane per open edge. Computed in one pass over the rows, in time proportional
/// to the rows times the lanes open on them and memory proportional to the migrations plus the
/// lane changes; drawn as ASCII (ascii_graph) and SVG (svg_graph).
///
/// The rules: a migration takes the leftmost lane that waits for it, or a new lane at the right
/// end when none does (a head). Its first parent continues in that lane; each further parent of
/// a merge gets a new lane inserted just to its right, shifting the lanes beyond. Other lanes
/// waiting for the same migration join its lane just above it, and the lanes beyond move left
/// to close the gaps. A root's lane ends at its row.
struct GraphLayout {
  std::vector<LayoutRow> rows;
  std::vector<LayoutEdge> edges;
  std::vector<std::size_t> row_of;  ///< per migration: its row
  std::size_t width = 0;            ///< the most lanes open at once (on a row or in a gap)
};

/// Lays out the graph; pure and deterministic (the graph's order decides everything).
GraphLayout lay_out(const RevisionGraph& graph);

}  // namespace migrate
