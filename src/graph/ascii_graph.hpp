#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace migrate {

struct GraphLayout;

/// One line of an ASCII graph.
struct AsciiGraphLine {
  /// The drawing. On a node's line it is padded with spaces to AsciiGraph::width, so the
  /// caller appends the migration's text; a line between nodes has no trailing spaces.
  std::string text;
  std::optional<std::size_t> migration;  ///< on a node's line: the migration (graph index)
};

/// The lane layout drawn with characters, newest first, as `git log --graph` draws commits:
/// `*` a migration, `|` a lane passing by, `\` a lane forking to the right below a merge, `/` a
/// lane joining to the left above the migration it waits for (with `_` where it passes under
/// other lanes), `-.` after the `*` of a merge of three or more parents.
struct AsciiGraph {
  std::vector<AsciiGraphLine> lines;
  std::size_t width = 0;  ///< the widest drawing plus one space: where the text starts
};

/// Draws `layout` (see graph_layout.hpp); one line per row, plus the lines between rows where
/// lanes fork, join or shift.
AsciiGraph draw_ascii_graph(const GraphLayout& layout);

}  // namespace migrate
