#pragma once

#include <string>

#include "util/error.hpp"

namespace migrate {

class RevisionGraph;
struct GraphStates;

/// Graphviz (libgvc, cgraph) failed: it could not start, build, lay out, write or render the
/// graph. The message is Graphviz's own, with what to check (e.g. its plugins).
class GraphvizError : public Error {
 public:
  explicit GraphvizError(const std::string& message) : Error(ExitCode::failure, message) {}
};

/// What libgvc renders in-process from a dot layout.
enum class GraphvizFormat { svg, png };

/// Whether a drawing carries a legend: what the colours and shapes mean, as the lane SVG's
/// does. Pictures do; DOT for other programs holds the migrations alone.
enum class Legend { none, drawn };

/// The graph in Graphviz's DOT language, built with cgraph (agopen, agnode, agedge, attributes)
/// and written by agwrite: one node per migration named by its id, labelled with its id and
/// title, with `id="m<ID>"` and a tooltip; edges from parent to child, drawn bottom to top
/// (rankdir=BT) so the newest migration is on top as in the lane layout. Heads have a double
/// border, merges are hexagons, squashed migrations 3-D boxes, and what a squash replaces is
/// dashed inside a cluster named after it; with known states, nodes are filled by state. With
/// Legend::drawn a cluster "cluster_legend" of sample nodes (`legend_<item>`) sits above it.
/// Throws GraphvizError when cgraph cannot build or write it.
std::string graph_to_dot(const RevisionGraph& graph, const GraphStates& states,
                         Legend legend = Legend::none);

/// The same graph, with its legend (graph_to_dot with Legend::drawn), laid out by Graphviz's
/// dot engine and rendered by libgvc in this process (no `dot` subprocess): an SVG document
/// or a PNG image. dot's layout grows much faster than the
/// graph (seconds for thousands of migrations): meant for small graphs. Throws GraphvizError
/// with Graphviz's own message when it cannot render (e.g. its plugins are missing).
std::string render_with_graphviz(const RevisionGraph& graph, const GraphStates& states,
                                 GraphvizFormat format);

}  // namespace migrate
