#pragma once

#include <string>
#include <string_view>

namespace migrate {

class RevisionGraph;
struct GraphLayout;
struct GraphStates;

/// The lane layout as a standalone SVG document, drawn directly from the rows and lanes (no
/// Graphviz: linear in the size of the history). One `<g id="m<ID>" class="node …">` per
/// migration, with a `<title>` (stem, title, state) and a label (id and title), so a web page
/// can link each node to its migration; classes mark `head`, `merge`, `squash`, `replaced`
/// and `state-<word>`, and a `<style>` element colours them (states only when `states` are
/// known). Edges are `<path class="edge">`, child to parent; each squashed range has a dashed
/// bracket in the left margin. Every string from the migrations is escaped for XML.
std::string draw_svg_graph(const RevisionGraph& graph, const GraphLayout& layout,
                           const GraphStates& states);

/// `text` escaped for XML character data and attribute values (quotes included); control
/// characters that XML forbids and invalid UTF-8 become U+FFFD.
std::string xml_escape(std::string_view text);

}  // namespace migrate
