#include "graph/ascii_graph.hpp"

#include <algorithm>
#include <numeric>

#include "graph/graph_layout.hpp"

namespace migrate {

namespace {

/// The extra columns a merge of k >= 3 parents needs on its line for the `-.` that carries
/// its further parents to the right (git's octopus merge): the lanes right of it sit further
/// right on that line.
std::size_t octopus_extra(const LayoutRow& row) {
  return row.parents >= 3 ? 2 * (row.parents - 2) : 0;
}

/// The column of lane `lane` on the line of `row`'s node.
std::size_t node_line_column(const LayoutRow& row, std::size_t lane) {
  return 2 * lane + (lane > row.lane ? octopus_extra(row) : 0);
}

/// Sets a cell; a lane (`|`) wins over a passing `_`, and nothing overwrites a diagonal.
void put(std::string& line, std::size_t column, char c) {
  if (line.size() <= column) {
    line.resize(column + 1, ' ');
  }
  char& cell = line[column];
  if (cell == ' ' || (cell == '_' && c != '_')) {
    cell = c;
  }
}

/// Draws strands moving from their columns `at` to `to` (all even), one lane step per line:
/// `\` one to the right, `/` one to the left, `|` for a strand already in place. A strand
/// moving left whose next column is taken passes under the lanes there (`_`) to the next free
/// column, or to its target where lanes join. Appends the lines to `out`; none when nothing
/// moves.
void draw_moves(std::vector<std::size_t>& at, const std::vector<std::size_t>& to,
                std::vector<AsciiGraphLine>& out) {
  std::vector<std::size_t> order(at.size());
  std::vector<std::size_t> next(at.size());
  std::vector<std::size_t> landed;
  while (at != to) {
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return at[a] < at[b]; });
    std::string line;
    landed.clear();
    for (std::size_t s : order) {
      std::size_t x = at[s];
      std::size_t target = to[s];
      if (x == target) {
        put(line, x, '|');
        next[s] = x;
      } else if (target > x) {
        put(line, x + 1, '\\');
        next[s] = x + 2;
      } else {
        std::size_t column = x - 2;
        while (column > target && std::find(landed.begin(), landed.end(), column) != landed.end()) {
          column -= 2;
        }
        put(line, x - 1, '/');
        for (std::size_t c = column + 1; c + 1 < x; ++c) {
          put(line, c, '_');
        }
        next[s] = column;
      }
      landed.push_back(next[s]);
    }
    at = next;
    out.push_back({std::move(line), std::nullopt});
  }
}

/// The line of a row's node: `*` in its lane, `|` in the others, `-.` for a merge of three or
/// more parents.
std::string node_line(const LayoutRow& row) {
  std::string line;
  for (std::size_t lane = 0; lane < row.lanes; ++lane) {
    put(line, node_line_column(row, lane), lane == row.lane ? '*' : '|');
  }
  std::size_t extra = octopus_extra(row);
  for (std::size_t i = 1; i <= extra; ++i) {
    put(line, 2 * row.lane + i, i == extra ? '.' : '-');
  }
  return line;
}

/// The lines between `row` and `next` (see LayoutStrand): the node's parents take their lanes,
/// then the lanes waiting for the next node join it, then (before a merge of three or more) the
/// lanes right of it make room for its `-.`.
void draw_gap(const LayoutRow& row, const LayoutRow& next, std::vector<LayoutStrand>& strands,
              std::vector<AsciiGraphLine>& out) {
  // Every lane of the gap: the strands that move, and the straight ones they imply.
  strands.clear();
  auto moving = row.below.begin();
  for (std::size_t lane = 0; lane < row.lanes_below; ++lane) {
    if (moving != row.below.end() && moving->middle == lane) {
      strands.push_back(*moving++);
    } else {
      strands.push_back({0, lane, lane, lane});
    }
  }
  std::vector<std::size_t> at;
  std::vector<std::size_t> to;
  at.reserve(strands.size());
  to.reserve(strands.size());
  for (const LayoutStrand& strand : strands) {
    bool leaves_node = strand.middle >= row.lane && strand.middle < row.lane + row.parents;
    if (leaves_node) {
      // The k-th parent starts from the `*` (k = 0, 1) or from the k-1-th `-.` column.
      std::size_t k = strand.middle - row.lane;
      at.push_back(2 * row.lane + (k == 0 ? 0 : 2 * (k - 1)));
    } else {
      at.push_back(node_line_column(row, strand.top));
    }
    to.push_back(2 * strand.middle);
  }
  draw_moves(at, to, out);
  for (std::size_t i = 0; i < strands.size(); ++i) {
    to[i] = 2 * strands[i].bottom;
  }
  draw_moves(at, to, out);
  for (std::size_t i = 0; i < strands.size(); ++i) {
    to[i] = node_line_column(next, strands[i].bottom);
  }
  draw_moves(at, to, out);
}

}  // namespace

AsciiGraph draw_ascii_graph(const GraphLayout& layout) {
  AsciiGraph graph;
  std::vector<LayoutStrand> strands;  // reused from gap to gap
  for (std::size_t r = 0; r < layout.rows.size(); ++r) {
    const LayoutRow& row = layout.rows[r];
    graph.lines.push_back({node_line(row), row.migration});
    if (r + 1 < layout.rows.size()) {
      draw_gap(row, layout.rows[r + 1], strands, graph.lines);
    }
  }
  for (const AsciiGraphLine& line : graph.lines) {
    graph.width = std::max(graph.width, line.text.size() + 1);
  }
  for (AsciiGraphLine& line : graph.lines) {
    if (line.migration) {
      line.text.resize(graph.width, ' ');
    }
  }
  return graph;
}

}  // namespace migrate
