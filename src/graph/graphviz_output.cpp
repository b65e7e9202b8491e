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
      throw Error(ExitCode::failure, "Graphviz could not start (gvContext failed)");
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
      throw Error(ExitCode::failure, "Graphviz could not create a graph (agopen failed)");
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
      throw Error(ExitCode::failure, fmt::format("Graphviz could not lay the graph out ({}). {}",
                                                 errors.last(), kPluginHint));
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

/// Fills `g` with the migrations, their edges and their marks.
void build(Agraph_t* g, const RevisionGraph& graph, const GraphStates& states) {
  agattr(g, AGRAPH, c_str("rankdir"), c_str("BT"));
  agattr(g, AGRAPH, c_str("style"), c_str(""));
  Agsym_t* graph_label = agattr(g, AGRAPH, c_str("label"), c_str(""));
  agattr(g, AGRAPH, c_str("fontsize"), c_str("10"));
  Agsym_t* shape = agattr(g, AGNODE, c_str("shape"), c_str("box"));
  Agsym_t* style = agattr(g, AGNODE, c_str("style"), c_str("rounded,filled"));
  Agsym_t* fill = agattr(g, AGNODE, c_str("fillcolor"), c_str("white"));
  Agsym_t* peripheries = agattr(g, AGNODE, c_str("peripheries"), c_str("1"));
  Agsym_t* font_colour = agattr(g, AGNODE, c_str("fontcolor"), c_str("black"));
  Agsym_t* label = agattr(g, AGNODE, c_str("label"), c_str("\\N"));
  Agsym_t* id = agattr(g, AGNODE, c_str("id"), c_str(""));
  Agsym_t* tooltip = agattr(g, AGNODE, c_str("tooltip"), c_str(""));
  agattr(g, AGNODE, c_str("fontsize"), c_str("10"));
  agattr(g, AGEDGE, c_str("color"), c_str("#607d8b"));

  agxset(
      g, graph_label,
      c_str(label_text(fmt::format("{} migration{}; {}", graph.size(), graph.size() == 1 ? "" : "s",
                                   states.known() ? fmt::format("states in {}", states.database)
                                                  : std::string("no database states")))));

  std::vector<Agnode_t*> nodes(graph.size());
  for (std::size_t m = 0; m < graph.size(); ++m) {
    const Migration& migration = graph.at(m);
    Agnode_t* node = agnode(g, c_str(migration.id.text()), 1);
    nodes[m] = node;
    NodeMarks marks = node_marks(graph, m);
    std::string title = label_text(first_line_shortened(migration.title(), kMaxTitle));
    agxset(node, label, c_str(fmt::format("{}\\n{}", migration.id.text(), title)));
    agxset(node, id, c_str("m" + migration.id.text()));
    std::vector<std::string> notes;
    if (states.known()) {
      notes.push_back(states.words[m]);
      agxset(node, fill, c_str(std::string(state_colour(states.words[m]))));
    }
    if (marks.head) {
      notes.emplace_back("head");
      agxset(node, peripheries, c_str("2"));
    }
    if (marks.merge) {
      notes.emplace_back("merge");
      agxset(node, shape, c_str("hexagon"));
    }
    if (marks.squash) {
      notes.emplace_back("squash");
      agxset(node, shape, c_str("box3d"));
    }
    if (marks.replaced) {
      notes.emplace_back("replaced");
      agxset(node, style, c_str("rounded,filled,dashed"));
      agxset(node, font_colour, c_str("#757575"));
    }
    std::string tip = fmt::format("{}: {}", migration.stem(), migration.title());
    if (!notes.empty()) {
      tip += fmt::format(" ({})", fmt::join(notes, ", "));
    }
    agxset(node, tooltip, c_str(label_text(tip)));
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
}

}  // namespace

std::string graph_to_dot(const RevisionGraph& graph, const GraphStates& states) {
  GraphvizErrors errors;
  Agiodisc_t io{AgIoDisc.afread, put_string, flush_nothing};
  Agdisc_t disc{&AgMemDisc, &AgIdDisc, &io};
  CGraph g(&disc);
  build(g.get(), graph, states);
  std::string dot;
  if (agwrite(g.get(), &dot) == EOF) {
    throw Error(ExitCode::failure, fmt::format("Graphviz could not write DOT: {}", errors.last()));
  }
  return dot;
}

std::string render_with_graphviz(const RevisionGraph& graph, const GraphStates& states,
                                 GraphvizFormat format) {
  const char* name = format == GraphvizFormat::png ? "png" : "svg";
  GraphvizErrors errors;
  GraphvizContext gvc;
  CGraph g(nullptr);
  build(g.get(), graph, states);
  GraphvizLayout layout(gvc, g, errors);
  RenderBuffer buffer;
  if (gvRenderData(gvc.get(), g.get(), name, buffer.data(), buffer.length()) != 0) {
    std::string why = errors.last();
    throw Error(ExitCode::failure,
                fmt::format("Graphviz could not render {} ({}). {}", name,
                            why.empty() ? "no renderer for it" : why, kPluginHint));
  }
  return buffer.str();
}

}  // namespace migrate
