// The DOT is read back with cgraph itself (agmemread), as Graphviz's tools would read it.
#include <catch2/catch.hpp>

#include <graphviz/cgraph.h>

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
