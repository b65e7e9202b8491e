#pragma once

#include <optional>
#include <string>

#include "util/exit_code.hpp"

namespace migrate {

struct Context;

struct GraphOptions {
  /// "dot", "svg" or "png"; unset: from the extension of `output` (.svg, .png, .dot, .gv;
  /// any other is refused), DOT on standard output.
  std::optional<std::string> format;
  /// For SVG: "lanes" (the default: migrate's own lane layout, linear in the history) or "dot"
  /// (Graphviz's dot layout, for small graphs). PNG always uses dot's; DOT carries no layout.
  std::optional<std::string> layout;
  /// Where to write; empty or "-": standard output.
  std::string output;
};

/// migrate-graph: the migration DAG as DOT, SVG or PNG, with heads, merges and squashed ranges
/// marked, and applied and pending migrations coloured when the database can be read.
ExitCode run_graph(Context& context, const GraphOptions& options);

}  // namespace migrate
