#include "graph/graph_layout.hpp"

#include <algorithm>

#include "graph/revision_graph.hpp"

namespace migrate {

namespace {

/// A lane open below a row: the edge running in it and the migration it waits for (the
/// edge's parent).
struct OpenLane {
  std::size_t edge;
  std::size_t target;
};

/// Adds `point` to a route unless it is the route's last point already.
void extend(std::vector<LanePoint>& route, LanePoint point) {
  if (route.empty() || route.back() != point) {
    route.push_back(point);
  }
}

/// Drops the strands that keep their lane through a gap: they are implied (LayoutRow::below).
void forget_straight_strands(std::vector<LayoutStrand>& strands) {
  std::erase_if(strands, [](const LayoutStrand& strand) {
    return strand.top == strand.middle && strand.middle == strand.bottom;
  });
  strands.shrink_to_fit();
}

}  // namespace

GraphLayout lay_out(const RevisionGraph& graph) {
  const std::size_t n = graph.size();
  GraphLayout layout;
  layout.rows.resize(n);
  layout.row_of.resize(n);
  std::size_t edge_count = 0;
  for (std::size_t m = 0; m < n; ++m) {
    edge_count += graph.parents(m).size();
  }
  layout.edges.reserve(edge_count);

  std::vector<OpenLane> open;    // the lanes below the previous row, by lane
  std::vector<OpenLane> on_row;  // the lanes on this row, by lane (the node's too)
  for (std::size_t r = 0; r < n; ++r) {
    const std::size_t m = n - 1 - r;  // newest first: every child is above its parents
    LayoutRow& row = layout.rows[r];
    row.migration = m;
    layout.row_of[m] = r;

    // The lanes waiting for m join the first of them, where the node goes; the others close
    // up. A migration that no lane waits for is a head: a new lane at the right end.
    on_row.clear();
    constexpr std::size_t kNone = static_cast<std::size_t>(-1);
    std::size_t lane = kNone;
    for (std::size_t i = 0; i < open.size(); ++i) {
      std::size_t bottom = 0;
      if (open[i].target == m && lane != kNone) {
        bottom = lane;
      } else {
        if (open[i].target == m) {
          lane = on_row.size();
        }
        bottom = on_row.size();
        on_row.push_back(open[i]);
      }
      LayoutStrand& strand = layout.rows[r - 1].below[i];
      strand.bottom = bottom;
      std::vector<LanePoint>& route = layout.edges[strand.edge].route;
      if (strand.top != bottom) {
        extend(route, {r - 1, strand.top});
        extend(route, {r, bottom});
      }
      if (open[i].target == m) {
        extend(route, {r, bottom});  // the edge ends here, at the node
      }
    }
    if (r > 0) {
      forget_straight_strands(layout.rows[r - 1].below);
    }
    if (lane == kNone) {
      lane = on_row.size();
      on_row.push_back({kNone, m});
    }
    row.lane = lane;
    row.lanes = on_row.size();

    // Below the node: its first parent continues in its lane, further parents get new lanes
    // just to its right; a root's lane ends.
    const std::vector<std::size_t>& parents = graph.parents(m);
    row.parents = parents.size();
    open.clear();
    row.below.reserve(on_row.size() + parents.size());
    auto keep = [&](std::size_t i) {
      row.below.push_back({on_row[i].edge, i, open.size(), 0});
      open.push_back(on_row[i]);
    };
    for (std::size_t i = 0; i < lane; ++i) {
      keep(i);
    }
    for (std::size_t parent : parents) {
      std::size_t edge = layout.edges.size();
      layout.edges.push_back({m, parent, {{r, lane}}});
      row.below.push_back({edge, lane, open.size(), 0});
      open.push_back({edge, parent});
    }
    for (std::size_t i = lane + 1; i < on_row.size(); ++i) {
      keep(i);
    }
    row.lanes_below = open.size();
    layout.width = std::max({layout.width, on_row.size(), open.size()});
  }
  return layout;
}

}  // namespace migrate
