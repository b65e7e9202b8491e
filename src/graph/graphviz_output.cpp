// The only file that includes Graphviz's headers: every Graphviz handle (GVC_t, Agraph_t, a
// layout, a render buffer, the error level) has its RAII owner here.
#include "graph/graphviz_output.hpp"

#include <cstdlib>
#include <memory>

#include <fmt/format.h>
#include <gvc.h>

#include "graph/graph_marks.hpp"
#include "graph/revision_graph.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace migrate {

namespace {

constexpr std::size_t kMaxTitle = 60;

/// Where Graphviz's layout engines and renderers come from, for messages about missing ones.
constexpr const char* kPluginHint =
    "Graphviz's layout engines and renderers are plugins that Debian's libgvc6 package installs "
    "(/usr/lib/<arch>/graphviz, registered in its config6a file; `dot -c` as root registers "
    "them again)";

/// cgraph's API takes `char*` for strings it only reads (it copies them into its own pool).
char* c_str(const std::string& text) {
  return const_cast<char*>(text.c_str());
}
char* c_str(const char* text) {
  return const_cast<char*>(text);
}

/// Graphviz's error messages, collected instead of printed: while alive, cgraph keeps every
/// warning and error for aglasterr() rather than writing it to stderr.
class GraphvizErrors {
 public:
  GraphvizErrors() : m_previous(agseterr(AGMAX)) {}
  GraphvizErrors(const GraphvizErrors&) = delete;
  GraphvizErrors& operator=(const GraphvizErrors&) = delete;
  ~GraphvizErrors() { agseterr(m_previous); }

  /// The last message Graphviz reported, trimmed ("" when none).
  std::string last() const {
    std::unique_ptr<char, decltype(&std::free)> message(aglasterr(), &std::free);
    return message ? std::string(trim(message.get())) : std::string();
  }

 private:
  agerrlevel_t m_previous;
};

/// Owns a libgvc context (its plugins: layout engines and renderers).
class GraphvizContext {
 public:
  GraphvizContext() : m_gvc(gvContext()) {
    if (!m_gvc) {
      throw GraphvizError("Graphviz could not start (gvContext failed)");
    }
  }
  GraphvizContext(const GraphvizContext&) = delete;
  GraphvizContext& operator=(const GraphvizContext&) = delete;
  ~GraphvizContext() { gvFreeContext(m_gvc); }
  GVC_t* get() const { return m_gvc; }

 private:
  GVC_t* m_gvc;
};

/// Owns a cgraph graph. `disc` (its I/O discipline) must outlive it.
class CGraph {
 public:
  explicit CGraph(Agdisc_t* disc) : m_graph(agopen(c_str("migrations"), Agdirected, disc)) {
    if (!m_graph) {
      throw GraphvizError("Graphviz could not create a graph (agopen failed)");
    }
  }
  CGraph(const CGraph&) = delete;
  CGraph& operator=(const CGraph&) = delete;
  ~CGraph() { agclose(m_graph); }
  Agraph_t* get() const { return m_graph; }

 private:
  Agraph_t* m_graph;
};

/// Owns a layout computed by libgvc on a graph (freed before the graph is closed).
class GraphvizLayout {
 public:
  GraphvizLayout(const GraphvizContext& gvc, const CGraph& graph, const GraphvizErrors& errors)
      : m_gvc(gvc.get()), m_graph(graph.get()) {
    if (gvLayout(m_gvc, m_graph, "dot") != 0) {
      throw GraphvizError(
          fmt::format("Graphviz could not lay the graph out ({}). {}", errors.last(), kPluginHint));
    }
  }
  GraphvizLayout(const GraphvizLayout&) = delete;
  GraphvizLayout& operator=(const GraphvizLayout&) = delete;
  ~GraphvizLayout() { gvFreeLayout(m_gvc, m_graph); }

 private:
  GVC_t* m_gvc;
  Agraph_t* m_graph;
};

/// Owns what gvRenderData returns.
class RenderBuffer {
 public:
  RenderBuffer() = default;
  RenderBuffer(const RenderBuffer&) = delete;
  RenderBuffer& operator=(const RenderBuffer&) = delete;
  ~RenderBuffer() { gvFreeRenderData(m_data); }
  char** data() { return &m_data; }
  unsigned int* length() { return &m_length; }
  std::string str() const { return m_data ? std::string(m_data, m_length) : std::string(); }

 private:
  char* m_data = nullptr;
  unsigned int m_length = 0;
};

/// agwrite's output, appended to a std::string (the channel).
int put_string(void* channel, const char* text) {
  static_cast<std::string*>(channel)->append(text);
  return 0;
}
int flush_nothing(void* /*channel*/) {
  return 0;
}

/// Text for a Graphviz label or tooltip (an escString): backslashes doubled so `\n`, `\l` in a
/// title stay literal, and `&` written as an entity, since Graphviz decodes entities in labels.
std::string label_text(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '&') {
      out += "&amp;";
    } else {
      out += c;
    }
  }
  return out;
}

/// The node attributes a drawing sets, declared once on the root graph.
struct NodeAttributes {
  Agsym_t* shape;
  Agsym_t* style;
  Agsym_t* fill;
  Agsym_t* peripheries;
  Agsym_t* font_colour;
  Agsym_t* label;
  Agsym_t* id;
  Agsym_t* tooltip;
};

/// Draws `marks` on a node as the graph's nodes show them (the legend uses the same code).
void mark_node(Agnode_t* node, const NodeAttributes& a, const NodeMarks& marks) {
  if (marks.head) {
    agxset(node, a.peripheries, c_str("2"));
  }
  if (marks.merge) {
    agxset(node, a.shape, c_str("hexagon"));
  }
  if (marks.squash) {
    agxset(node, a.shape, c_str("box3d"));
  }
  if (marks.replaced) {
    agxset(node, a.style, c_str("rounded,filled,dashed"));
    agxset(node, a.font_colour, c_str("#757575"));
  }
  if (marks.repeatable) {
    agxset(node, a.shape, c_str("note"));
    agxset(node, a.style, c_str("filled"));
  }
}

/// Hides an edge: it only places its ends (`to` above `from`, with rankdir=BT).
void invisible_edge(Agraph_t* in, Agnode_t* from, Agnode_t* to) {
  agsafeset(agedge(in, from, to, nullptr, 1), c_str("style"), c_str("invis"), c_str(""));
}

/// What the colours and shapes mean, as the lane SVG's legend says (graph_marks.hpp's
/// legend_items): a cluster "cluster_legend" of sample nodes in one row, above the graph
/// (invisible edges from the heads put it there).
void add_legend(Agraph_t* g, const RevisionGraph& graph, const GraphStates& states,
                const std::vector<Agnode_t*>& nodes, const NodeAttributes& a, Agsym_t* graph_label,
                Agsym_t* rank) {
  LegendItems items = legend_items(graph, states);
  Agraph_t* cluster = agsubg(g, c_str("cluster_legend"), 1);
  agxset(cluster, graph_label, c_str("legend"));
  agset(cluster, c_str("style"), c_str("rounded"));
  Agraph_t* row = agsubg(cluster, c_str("legend_row"), 1);
  agxset(row, rank, c_str("same"));
  Agnode_t* previous = nullptr;
  auto item = [&](const std::string& name, const std::string& text, const NodeMarks& marks,
                  const std::string& fill) {
    Agnode_t* node = agnode(row, c_str("legend_" + name), 1);
    agxset(node, a.label, c_str(label_text(text)));
    agxset(node, a.id, c_str("legend-" + name));
    agxset(node, a.tooltip, c_str(label_text(text)));
    if (!fill.empty()) {
      agxset(node, a.fill, c_str(fill));
    }
    mark_node(node, a, marks);
    if (previous != nullptr) {
      invisible_edge(row, previous, node);  // keeps them in order, side by side
    } else {
      for (std::size_t head : graph.heads()) {
        invisible_edge(g, nodes[head], node);
      }
    }
    previous = node;
  };
  for (const std::string& word : items.states) {
    item("state_" + word, word, {}, std::string(state_colour(word)));
  }
  if (items.marks.head) {
    item("head", "head", {.head = true}, "");
  }
  if (items.marks.merge) {
    item("merge", "merge", {.merge = true}, "");
  }
  if (items.marks.squash) {
    item("squash", "squash", {.squash = true}, "");
  }
  if (items.marks.replaced) {
    item("replaced", "replaced by a squash", {.replaced = true}, "");
  }
  if (items.marks.repeatable) {
    item("repeatable", "repeatable", {.repeatable = true}, "white");
  }
}

/// Flyway's repeatables, which run after every migration whenever their text changed: notes in
/// a cluster "cluster_repeatables", above the heads (invisible edges put them there), one per
/// repeatable named by its stem (R__<description>), filled by state when states are known.
void add_repeatables(Agraph_t* g, const RevisionGraph& graph, const GraphStates& states,
                     const std::vector<Agnode_t*>& nodes, const NodeAttributes& a,
                     Agsym_t* graph_label) {
  const std::vector<Migration>& repeatables = graph.repeatables();
  if (repeatables.empty()) {
    return;
  }
  Agraph_t* cluster = agsubg(g, c_str("cluster_repeatables"), 1);
  agxset(cluster, graph_label,
         c_str("repeatables: run after the migrations whenever their text changed"));
  agset(cluster, c_str("style"), c_str("dotted"));
  for (std::size_t r = 0; r < repeatables.size(); ++r) {
    const Migration& repeatable = repeatables[r];
    Agnode_t* node = agnode(cluster, c_str(repeatable.stem()), 1);
    std::string title = label_text(first_line_shortened(repeatable.title(), kMaxTitle));
    agxset(node, a.label, c_str(fmt::format("{}\\n{}", repeatable.stem(), title)));
    agxset(node, a.id, c_str("m" + repeatable.stem()));
    mark_node(node, a, {.repeatable = true});
    std::string note = "repeatable";
    if (r < states.repeatable_words.size()) {
      agxset(node, a.fill, c_str(std::string(state_colour(states.repeatable_words[r]))));
      note = states.repeatable_words[r] + ", repeatable";
    }
    agxset(
        node, a.tooltip,
        c_str(label_text(fmt::format("{}: {} ({})", repeatable.stem(), repeatable.title(), note))));
    for (std::size_t head : graph.heads()) {
      invisible_edge(g, nodes[head], node);
    }
  }
}

/// Fills `g` with the migrations, their edges and their marks, and with `legend` the legend.
void build(Agraph_t* g, const RevisionGraph& graph, const GraphStates& states, Legend legend) {
  agattr(g, AGRAPH, c_str("rankdir"), c_str("BT"));
  agattr(g, AGRAPH, c_str("style"), c_str(""));
  Agsym_t* rank = agattr(g, AGRAPH, c_str("rank"), c_str(""));
  Agsym_t* graph_label = agattr(g, AGRAPH, c_str("label"), c_str(""));
  agattr(g, AGRAPH, c_str("fontsize"), c_str("10"));
  NodeAttributes a{agattr(g, AGNODE, c_str("shape"), c_str("box")),
                   agattr(g, AGNODE, c_str("style"), c_str("rounded,filled")),
                   agattr(g, AGNODE, c_str("fillcolor"), c_str("white")),
                   agattr(g, AGNODE, c_str("peripheries"), c_str("1")),
                   agattr(g, AGNODE, c_str("fontcolor"), c_str("black")),
                   agattr(g, AGNODE, c_str("label"), c_str("\\N")),
                   agattr(g, AGNODE, c_str("id"), c_str("")),
                   agattr(g, AGNODE, c_str("tooltip"), c_str(""))};
  agattr(g, AGNODE, c_str("fontsize"), c_str("10"));
  agattr(g, AGEDGE, c_str("color"), c_str("#607d8b"));

  agxset(g, graph_label,
         c_str(label_text(fmt::format("{} migration{}{}; {}", graph.size(),
                                      graph.size() == 1 ? "" : "s", repeatables_count(graph),
                                      states.known() ? fmt::format("states in {}", states.database)
                                                     : std::string("no database states")))));

  std::vector<Agnode_t*> nodes(graph.size());
  for (std::size_t m = 0; m < graph.size(); ++m) {
    const Migration& migration = graph.at(m);
    Agnode_t* node = agnode(g, c_str(migration.id.text()), 1);
    nodes[m] = node;
    NodeMarks marks = node_marks(graph, m);
    std::string title = label_text(first_line_shortened(migration.title(), kMaxTitle));
    agxset(node, a.label, c_str(fmt::format("{}\\n{}", migration.id.text(), title)));
    agxset(node, a.id, c_str("m" + migration.id.text()));
    std::vector<std::string> notes;
    if (states.known()) {
      notes.push_back(states.words[m]);
      agxset(node, a.fill, c_str(std::string(state_colour(states.words[m]))));
    }
    mark_node(node, a, marks);
    for (auto [on, word] :
         {std::pair{marks.head, "head"}, std::pair{marks.merge, "merge"},
          std::pair{marks.squash, "squash"}, std::pair{marks.replaced, "replaced"}}) {
      if (on) {
        notes.emplace_back(word);
      }
    }
    std::string tip = fmt::format("{}: {}", migration.stem(), migration.title());
    if (!notes.empty()) {
      tip += fmt::format(" ({})", fmt::join(notes, ", "));
    }
    agxset(node, a.tooltip, c_str(label_text(tip)));
  }
  for (std::size_t m = 0; m < graph.size(); ++m) {
    for (std::size_t parent : graph.parents(m)) {
      agedge(g, nodes[parent], nodes[m], nullptr, 1);
    }
  }
  // What each squash replaces, in a dashed cluster named after it.
  for (std::size_t m = 0; m < graph.size(); ++m) {
    std::vector<std::size_t> replaced = replaced_by_squash(graph, m);
    if (replaced.empty()) {
      continue;
    }
    const std::string& squash_id = graph.at(m).id.text();
    Agraph_t* cluster = agsubg(g, c_str("cluster_squash_" + squash_id), 1);
    agxset(cluster, graph_label, c_str(label_text("replaced by " + graph.at(m).stem())));
    agset(cluster, c_str("style"), c_str("dashed"));
    for (std::size_t r : replaced) {
      agsubnode(cluster, nodes[r], 1);
    }
  }
  add_repeatables(g, graph, states, nodes, a, graph_label);
  if (legend == Legend::drawn) {
    add_legend(g, graph, states, nodes, a, graph_label, rank);
  }
}

}  // namespace

std::string graph_to_dot(const RevisionGraph& graph, const GraphStates& states, Legend legend) {
  GraphvizErrors errors;
  Agiodisc_t io{AgIoDisc.afread, put_string, flush_nothing};
  Agdisc_t disc{&AgMemDisc, &AgIdDisc, &io};
  CGraph g(&disc);
  build(g.get(), graph, states, legend);
  std::string dot;
  if (agwrite(g.get(), &dot) == EOF) {
    throw GraphvizError(fmt::format("Graphviz could not write DOT: {}", errors.last()));
  }
  return dot;
}

std::string render_with_graphviz(const RevisionGraph& graph, const GraphStates& states,
                                 GraphvizFormat format) {
  const char* name = format == GraphvizFormat::png ? "png" : "svg";
  GraphvizErrors errors;
  GraphvizContext gvc;
  CGraph g(nullptr);
  build(g.get(), graph, states, Legend::drawn);
  GraphvizLayout layout(gvc, g, errors);
  RenderBuffer buffer;
  if (gvRenderData(gvc.get(), g.get(), name, buffer.data(), buffer.length()) != 0) {
    std::string why = errors.last();
    throw GraphvizError(fmt::format("Graphviz could not render {} ({}). {}", name,
                                    why.empty() ? "no renderer for it" : why, kPluginHint));
  }
  return buffer.str();
}

}  // namespace migrate
