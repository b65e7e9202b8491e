// The DOT is read back with cgraph itself (agmemread), as Graphviz's tools would read it.
#include <catch2/catch.hpp>

#include <graphviz/cgraph.h>

#include <algorithm>
#include <memory>

#include "graph/graph_marks.hpp"
#include "graph/graphviz_output.hpp"
#include "graph/revision_graph.hpp"
#include "support/migration_builder.hpp"
#include "support/run_tool.hpp"
#include "support/temp_dir.hpp"

using namespace migrate;
using Catch::Contains;
using Catch::StartsWith;
using migrate::test::make_migration;
using migrate::test::make_repeatable;

namespace {

using Ids = std::vector<std::string>;

struct GraphCloser {
  void operator()(Agraph_t* g) const { agclose(g); }
};
using ParsedGraph = std::unique_ptr<Agraph_t, GraphCloser>;

ParsedGraph parse(const std::string& dot) {
  ParsedGraph g(agmemread(dot.c_str()));
  REQUIRE(g);
  return g;
}

std::string attribute(void* object, const char* name) {
  char* value = agget(object, const_cast<char*>(name));
  return value ? value : "";
}

Agnode_t* node(Agraph_t* g, const std::string& name) {
  Agnode_t* n = agnode(g, const_cast<char*>(name.c_str()), 0);
  REQUIRE(n);
  return n;
}

bool has_edge(Agraph_t* g, const std::string& from, const std::string& to) {
  return agedge(g, node(g, from), node(g, to), nullptr, 0) != nullptr;
}

RevisionGraph merge_graph() {
  return RevisionGraph({make_migration("1"), make_migration("2", Ids{"1"}),
                        make_migration("3", Ids{"1"}), make_migration("4", Ids{"2", "3"})});
}

}  // namespace

TEST_CASE("graphviz: the DOT holds every migration and every edge", "[graph][graphviz]") {
  RevisionGraph graph = merge_graph();
  std::string dot = graph_to_dot(graph, {});
  CHECK_THAT(dot, StartsWith("digraph migrations {"));
  ParsedGraph g = parse(dot);
  CHECK(agisdirected(g.get()));
  CHECK(agnnodes(g.get()) == 4);
  CHECK(agnedges(g.get()) == 4);
  CHECK(has_edge(g.get(), "1", "2"));  // parent -> child
  CHECK(has_edge(g.get(), "1", "3"));
  CHECK(has_edge(g.get(), "2", "4"));
  CHECK(has_edge(g.get(), "3", "4"));
  CHECK(attribute(g.get(), "rankdir") == "BT");
  Agnode_t* merge = node(g.get(), "4");
  CHECK(attribute(merge, "label") == "4\\nMigration 4");
  CHECK(attribute(merge, "id") == "m4");
  CHECK(attribute(merge, "shape") == "hexagon");
  CHECK(attribute(merge, "peripheries") == "2");  // the head
  CHECK(attribute(merge, "tooltip") == "4_m4: Migration 4 (head, merge)");
  CHECK(attribute(merge, "fillcolor") == "white");
  CHECK(attribute(node(g.get(), "2"), "peripheries") == "1");
}

TEST_CASE("graphviz: states fill the nodes", "[graph][graphviz]") {
  RevisionGraph graph({make_migration("1"), make_migration("2")});
  ParsedGraph g = parse(graph_to_dot(graph, {{"applied", "pending"}, "sqlite:app.db"}));
  CHECK(attribute(node(g.get(), "1"), "fillcolor") == "#66bb6a");
  CHECK(attribute(node(g.get(), "2"), "fillcolor") == "#ffca28");
  CHECK(attribute(node(g.get(), "2"), "tooltip") == "2_m2: Migration 2 (pending, head)");
  CHECK(attribute(g.get(), "label") == "2 migrations; states in sqlite:app.db");
}

TEST_CASE("graphviz: what a squash replaces is in its cluster", "[graph][graphviz]") {
  Migration squash = make_migration("4", Ids{"1"});
  for (const char* r : {"2", "3"}) {
    squash.replaces.push_back({*MigrationId::from_digits(r), r, 2});
  }
  RevisionGraph graph({make_migration("1"), make_migration("2"), make_migration("3"), squash});
  ParsedGraph g = parse(graph_to_dot(graph, {}));
  CHECK(attribute(node(g.get(), "4"), "shape") == "box3d");
  CHECK(attribute(node(g.get(), "2"), "style") == "rounded,filled,dashed");
  Agraph_t* cluster = agsubg(g.get(), const_cast<char*>("cluster_squash_4"), 0);
  REQUIRE(cluster);
  CHECK(agnnodes(cluster) == 2);
  CHECK(agsubnode(cluster, node(g.get(), "3"), 0) != nullptr);
  CHECK(attribute(cluster, "label") == "replaced by 4_m4");
}

TEST_CASE("graphviz: quotes, backslashes and ampersands in titles survive", "[graph][graphviz]") {
  Migration odd = make_migration("1");
  odd.doc = {R"(Say "hi" \n & <bye>)"};
  RevisionGraph graph({odd});
  ParsedGraph g = parse(graph_to_dot(graph, {}));
  CHECK(attribute(node(g.get(), "1"), "label") == R"(1\nSay "hi" \\n &amp; <bye>)");
}

TEST_CASE("graphviz: PNG rendered in-process", "[graph][graphviz]") {
  std::string png = render_with_graphviz(merge_graph(), {}, GraphvizFormat::png);
  CHECK_THAT(png, StartsWith(std::string("\x89PNG\r\n\x1a\n", 8)));
  CHECK(png.size() > 1000);
}

TEST_CASE("graphviz: SVG with the dot layout is valid XML with every id", "[graph][graphviz]") {
  Migration odd = make_migration("5", Ids{"4"});
  odd.doc = {"A <title> & \"more\""};
  std::vector<Migration> migrations{make_migration("1"), make_migration("2", Ids{"1"}),
                                    make_migration("3", Ids{"1"}),
                                    make_migration("4", Ids{"2", "3"}), odd};
  RevisionGraph graph(std::move(migrations));
  std::string svg = render_with_graphviz(graph, {}, GraphvizFormat::svg);
  for (const char* id : {"1", "2", "3", "4", "5"}) {
    CHECK_THAT(svg, Contains(std::string("id=\"m") + id + "\""));
  }
  CHECK_THAT(svg, Contains("A &lt;title&gt; &amp; &quot;more&quot;"));
  test::TempDir dir;
  test::write_text(dir / "graph.svg", svg);
  test::ProcessResult lint =
      test::run_process({"xmllint", "--noout", (dir / "graph.svg").string()});
  INFO(lint.err);
  CHECK(lint.exit_code == 0);
}

namespace {

/// A merge (4 joins 2 and 3) after a squash (3 replaces 2a and 2b), with states: every item a
/// legend can show but "changed" and "partial".
RevisionGraph legend_graph() {
  Migration squash = make_migration("3", Ids{"1"});
  for (const char* r : {"21", "22"}) {
    squash.replaces.push_back({*MigrationId::from_digits(r), r, 2});
  }
  return RevisionGraph({make_migration("1"), make_migration("2", Ids{"1"}),
                        make_migration("21", Ids{"1"}), make_migration("22", Ids{"21"}), squash,
                        make_migration("4", Ids{"2", "3"})});
}

GraphStates legend_states(const RevisionGraph& graph) {
  GraphStates states{{}, "sqlite:app.db"};
  for (std::size_t m = 0; m < graph.size(); ++m) {
    const std::string& id = graph.at(m).id.text();
    states.words.emplace_back(id == "1" || id == "2" ? "applied"
                              : graph.replaced(m)    ? "replaced"
                                                     : "pending");
  }
  return states;
}

}  // namespace

TEST_CASE("graphviz: pictures carry the lane SVG's legend, DOT for programs does not",
          "[graph][graphviz]") {
  RevisionGraph graph = legend_graph();
  GraphStates states = legend_states(graph);
  // The DOT libgvc lays out and renders.
  ParsedGraph g = parse(graph_to_dot(graph, states, Legend::drawn));
  Agraph_t* legend = agsubg(g.get(), const_cast<char*>("cluster_legend"), 0);
  REQUIRE(legend);
  CHECK(attribute(legend, "label") == "legend");
  // The items of the lane SVG's legend, in its order.
  LegendItems items = legend_items(graph, states);
  CHECK(items.states == std::vector<std::string>{"applied", "pending", "replaced"});
  std::vector<std::string> names;
  for (Agnode_t* n = agfstnode(legend); n != nullptr; n = agnxtnode(legend, n)) {
    names.emplace_back(agnameof(n));
  }
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{"legend_head", "legend_merge", "legend_replaced",
                                          "legend_squash", "legend_state_applied",
                                          "legend_state_pending", "legend_state_replaced"});
  // Drawn as the graph's own nodes are.
  CHECK(attribute(node(g.get(), "legend_state_pending"), "fillcolor") == "#ffca28");
  CHECK(attribute(node(g.get(), "legend_head"), "peripheries") == "2");
  CHECK(attribute(node(g.get(), "legend_merge"), "shape") == "hexagon");
  CHECK(attribute(node(g.get(), "legend_squash"), "shape") == "box3d");
  CHECK(attribute(node(g.get(), "legend_replaced"), "style") == "rounded,filled,dashed");
  CHECK(attribute(node(g.get(), "legend_replaced"), "label") == "replaced by a squash");
  // Above the graph: the head points at it (invisibly).
  REQUIRE(has_edge(g.get(), "4", "legend_state_applied"));
  CHECK(attribute(
            agedge(g.get(), node(g.get(), "4"), node(g.get(), "legend_state_applied"), nullptr, 0),
            "style") == "invis");

  // The same build is what libgvc renders: its SVG (the PNG's twin) shows the legend.
  std::string svg = render_with_graphviz(graph, states, GraphvizFormat::svg);
  CHECK_THAT(svg, Contains("<title>cluster_legend</title>") &&
                      Contains(">replaced by a squash</text>") && Contains(">pending</text>"));
  // DOT written for other programs holds the migrations alone.
  std::string dot = graph_to_dot(graph, states);
  CHECK_THAT(dot, !Contains("legend"));
}

TEST_CASE("graphviz: a legend shows only what the drawing uses", "[graph][graphviz]") {
  RevisionGraph graph({make_migration("1"), make_migration("2")});
  ParsedGraph g = parse(graph_to_dot(graph, {}, Legend::drawn));
  Agraph_t* legend = agsubg(g.get(), const_cast<char*>("cluster_legend"), 0);
  REQUIRE(legend);
  CHECK(agnnodes(legend) == 1);  // no states known, no merge, no squash: the head alone
  CHECK(agnode(legend, const_cast<char*>("legend_head"), 0) != nullptr);
}

TEST_CASE("graphviz_output: Graphviz's failures are GraphvizErrors, exit 1", "[graph]") {
  // Graphviz does not fail on demand (a missing plugin is an installation's problem): the
  // type alone is checked.
  GraphvizError error("Graphviz could not start (gvContext failed)");
  CHECK(error.exit_code() == ExitCode::failure);
  CHECK(std::string(error.what()) == "Graphviz could not start (gvContext failed)");
}

TEST_CASE("graphviz: Flyway's repeatables are notes above the heads, filled by state",
          "[graph][graphviz]") {
  RevisionGraph graph({make_migration("1"), make_migration("2", Ids{"1"}),
                       make_repeatable("views", "SELECT 1;"),
                       make_repeatable("grants", "SELECT 2;")});
  GraphStates states{{"applied", "applied"}, "sqlite:app.db", {"applied", "pending"}};
  std::string dot = graph_to_dot(graph, states);
  ParsedGraph g = parse(dot);
  Agraph_t* cluster = agsubg(g.get(), const_cast<char*>("cluster_repeatables"), 0);
  REQUIRE(cluster);
  CHECK_THAT(attribute(cluster, "label"), Contains("run after the migrations"));
  CHECK_THAT(attribute(g.get(), "label"), StartsWith("2 migrations and 2 repeatables; "));
  // In description order: grants, then views.
  Agnode_t* grants = node(g.get(), "R__grants");
  Agnode_t* views = node(g.get(), "R__views");
  CHECK(agsubnode(cluster, grants, 0) != nullptr);
  CHECK(attribute(grants, "shape") == "note");
  CHECK(attribute(grants, "id") == "mR__grants");
  CHECK(attribute(grants, "fillcolor") == std::string(state_colour("applied")));
  CHECK(attribute(views, "fillcolor") == std::string(state_colour("pending")));
  CHECK_THAT(attribute(views, "tooltip"), Contains("R__views: views (pending, repeatable)"));
  // Placed above the head by an edge no one sees; no edge to the graph otherwise.
  Agedge_t* placing = agedge(g.get(), node(g.get(), "2"), views, nullptr, 0);
  REQUIRE(placing);
  CHECK(attribute(placing, "style") == "invis");
  CHECK_FALSE(has_edge(g.get(), "1", "R__views"));
  // The picture's legend explains the note.
  ParsedGraph pictured = parse(graph_to_dot(graph, states, Legend::drawn));
  Agnode_t* sample = node(pictured.get(), "legend_repeatable");
  CHECK(attribute(sample, "shape") == "note");
}

TEST_CASE("graphviz: without repeatables there is no cluster for them", "[graph][graphviz]") {
  ParsedGraph g = parse(graph_to_dot(merge_graph(), {}, Legend::drawn));
  CHECK(agsubg(g.get(), const_cast<char*>("cluster_repeatables"), 0) == nullptr);
  CHECK(agnode(g.get(), const_cast<char*>("legend_repeatable"), 0) == nullptr);
}
