#include <catch2/catch.hpp>

#include "graph/graph_layout.hpp"
#include "graph/graph_marks.hpp"
#include "graph/revision_graph.hpp"
#include "graph/svg_graph.hpp"
#include "support/migration_builder.hpp"
#include "support/run_tool.hpp"
#include "support/temp_dir.hpp"

using namespace migrate;
using Catch::Contains;
using migrate::test::make_migration;
using migrate::test::make_repeatable;
using migrate::test::occurrences;

namespace {

using Ids = std::vector<std::string>;

/// xmllint's verdict on a document ("" when it is well-formed XML).
std::string xml_errors(const std::string& document) {
  test::TempDir dir;
  test::write_text(dir / "graph.svg", document);
  test::ProcessResult result =
      test::run_process({"xmllint", "--noout", (dir / "graph.svg").string()});
  return result.exit_code == 0 ? std::string() : result.err + result.out;
}

/// The <g> element of one node, up to its end.
std::string node_element(const std::string& svg, const std::string& id) {
  std::size_t start = svg.find("<g id=\"m" + id + "\"");
  REQUIRE(start != std::string::npos);
  return svg.substr(start, svg.find("</g>", start) - start);
}

Migration squash_of(std::string_view id, Ids depends, Ids replaced) {
  Migration m = make_migration(id, std::move(depends));
  for (const std::string& r : replaced) {
    m.replaces.push_back({*MigrationId::from_digits(r), r, 2});
  }
  return m;
}

std::string svg_of(const RevisionGraph& graph, const GraphStates& states = {}) {
  return draw_svg_graph(graph, lay_out(graph), states);
}

}  // namespace

TEST_CASE("svg graph: valid XML with one node per migration, linkable by id", "[graph][svg]") {
  RevisionGraph graph({make_migration("1"), make_migration("2", Ids{"1"}),
                       make_migration("3", Ids{"1"}), make_migration("4", Ids{"2", "3"})});
  std::string svg = svg_of(graph);
  CHECK(xml_errors(svg).empty());
  CHECK_THAT(svg, Contains("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  for (const char* id : {"1", "2", "3", "4"}) {
    INFO(id);
    CHECK(occurrences(svg, std::string("id=\"m") + id + "\"") == 1);
    std::string node = node_element(svg, id);
    CHECK_THAT(node, Contains(std::string("<title>") + id + "_m" + id + ": Migration " + id));
    CHECK_THAT(node, Contains(std::string("<tspan class=\"id\">") + id + "</tspan>"));
  }
  CHECK(occurrences(svg, "<path class=\"edge\"") == 4);
  CHECK_THAT(svg, Contains("data-child=\"m4\" data-parent=\"m3\""));
  CHECK_THAT(node_element(svg, "4"), Contains("class=\"node head merge\""));
  CHECK_THAT(node_element(svg, "4"), Contains("<polygon class=\"shape\""));
  CHECK_THAT(node_element(svg, "4"), Contains("<circle class=\"ring\""));
  CHECK_THAT(node_element(svg, "2"), Contains("class=\"node\""));
  // No database: no state colours.
  CHECK(svg.find("state-") == std::string::npos);
  CHECK_THAT(svg, Contains("no database states"));
}

TEST_CASE("svg graph: the edges follow the lanes", "[graph][svg]") {
  RevisionGraph graph({make_migration("1"), make_migration("2", Ids{"1"}),
                       make_migration("3", Ids{"1"}), make_migration("4", Ids{"2", "3"})});
  std::string svg = svg_of(graph);
  // Rows 24 px apart from y=48; lanes 16 px apart from x=21. 4 -> 2 runs straight down lane 0,
  // 4 -> 3 steps to lane 1, 3 -> 1 runs down lane 1 and steps back to lane 0 above 1.
  CHECK_THAT(svg, Contains("data-child=\"m4\" data-parent=\"m2\" d=\"M21 48V96\""));
  CHECK_THAT(svg, Contains("data-child=\"m4\" data-parent=\"m3\" d=\"M21 48C21 60 37 60 37 72\""));
  CHECK_THAT(svg, Contains("data-child=\"m3\" data-parent=\"m1\" d=\"M37 72V96C37 108 21 108 21 "
                           "120\""));
}

TEST_CASE("svg graph: applied and pending nodes are coloured differently", "[graph][svg]") {
  RevisionGraph graph({make_migration("1"), make_migration("2"), make_migration("3")});
  GraphStates states{{"applied", "applied", "pending"}, "sqlite:app.db"};
  std::string svg = svg_of(graph, states);
  CHECK(xml_errors(svg).empty());
  CHECK_THAT(node_element(svg, "1"), Contains("class=\"node state-applied\""));
  CHECK_THAT(node_element(svg, "3"), Contains("class=\"node state-pending head\""));
  CHECK_THAT(node_element(svg, "3"), Contains("(pending, head)</title>"));
  CHECK_THAT(svg, Contains(".state-applied .shape{fill:#66bb6a}"));
  CHECK_THAT(svg, Contains(".state-pending .shape{fill:#ffca28}"));
  CHECK_THAT(svg, Contains("states in sqlite:app.db"));
}

TEST_CASE("svg graph: a state it does not know gets a class and a neutral colour", "[graph][svg]") {
  RevisionGraph graph({make_migration("1"), make_migration("2")});
  std::string svg = svg_of(graph, {{"replaced", "applied"}, "sqlite:app.db"});
  CHECK_THAT(node_element(svg, "1"), Contains("state-replaced"));
  CHECK_THAT(svg, Contains(".state-replaced .shape{fill:#bdbdbd}"));
}

TEST_CASE("svg graph: a squash and the range it replaces are marked", "[graph][svg]") {
  RevisionGraph graph({make_migration("1"), make_migration("2"), make_migration("3"),
                       squash_of("4", Ids{"1"}, Ids{"2", "3"}),
                       make_migration("5", Ids{"3", "4"})});
  std::string svg = svg_of(graph);
  CHECK(xml_errors(svg).empty());
  CHECK_THAT(node_element(svg, "4"), Contains("squash"));
  CHECK_THAT(node_element(svg, "4"), Contains("<rect class=\"shape\""));
  CHECK_THAT(node_element(svg, "2"), Contains("class=\"node replaced\""));
  CHECK_THAT(node_element(svg, "3"), Contains("replaced by 4"));
  CHECK(occurrences(svg, "<path class=\"bracket\"") == 1);
  CHECK_THAT(svg, Contains("<title>4_m4 replaces 2 migrations</title>"));
}

TEST_CASE("svg graph: every string from the files is escaped", "[graph][svg]") {
  Migration odd = make_migration("1");
  odd.doc = {"Fix <b> & \"quotes\" 'too' \x01 and \xff bytes"};
  odd.slug = "a<b";
  RevisionGraph graph({odd});
  std::string svg = svg_of(graph, {{"applied"}, "postgres://u@h/db?x=1&y=<2>"});
  CHECK(xml_errors(svg).empty());
  CHECK_THAT(svg,
             Contains("Fix &lt;b&gt; &amp; &quot;quotes&quot; &apos;too&apos; \xEF\xBF\xBD and "
                      "\xEF\xBF\xBD bytes"));
  CHECK_THAT(svg, Contains("1_a&lt;b"));
  CHECK_THAT(svg, Contains("x=1&amp;y=&lt;2&gt;"));
}

TEST_CASE("svg graph: an empty set is still a document", "[graph][svg]") {
  std::string svg = svg_of(RevisionGraph({}));
  CHECK(xml_errors(svg).empty());
  CHECK_THAT(svg, Contains("no migrations"));
}

TEST_CASE("xml_escape: markup, quotes, control characters and bad UTF-8", "[graph][svg]") {
  CHECK(xml_escape("a<b>&\"'") == "a&lt;b&gt;&amp;&quot;&apos;");
  CHECK(xml_escape("tab\tline\nok") == "tab\tline\nok");
  CHECK(xml_escape("caf\xC3\xA9 \xE2\x80\xA6 \xF0\x9F\x98\x80") ==
        "caf\xC3\xA9 \xE2\x80\xA6 \xF0\x9F\x98\x80");
  CHECK(xml_escape(std::string("nul\0x", 5)) == "nul\xEF\xBF\xBDx");
  CHECK(xml_escape("\xC0\xAF!") == "\xEF\xBF\xBD!");      // an overlong '/'
  CHECK(xml_escape("\xED\xA0\x80!") == "\xEF\xBF\xBD!");  // a surrogate
  CHECK(xml_escape("\xEF\xBF\xBE!") == "\xEF\xBF\xBD!");  // U+FFFE
  CHECK(xml_escape("cut \xE2\x80") == "cut \xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST_CASE("svg graph: Flyway's repeatables sit above the newest migration, with their state",
          "[graph][svg]") {
  RevisionGraph graph({make_migration("1"), make_migration("2", Ids{"1"}),
                       make_repeatable("views", "SELECT 1;"),
                       make_repeatable("grants", "SELECT 2;")});
  std::string svg =
      svg_of(graph, {{"applied", "pending"}, "sqlite:app.db", {"applied", "pending"}});
  CHECK(xml_errors(svg).empty());
  CHECK_THAT(svg, Contains("2 migrations and 2 repeatables, newest first"));
  std::string views = node_element(svg, "R__views");
  CHECK_THAT(views, Contains("class=\"node repeatable state-pending\""));
  CHECK_THAT(views, Contains("<title>R__views: views (pending, repeatable)</title>"));
  CHECK_THAT(views, Contains("class=\"cycle\""));
  CHECK_THAT(views, Contains("repeatable, runs at the next upgrade"));
  CHECK_THAT(node_element(svg, "R__grants"), Contains("class=\"node repeatable state-applied\""));
  // Run last, drawn on top: views (run after grants) first, then grants, then 2 and 1.
  std::size_t views_at = svg.find("<g id=\"mR__views\"");
  auto y_of = [&](const std::string& id) {
    std::string node = node_element(svg, id);
    std::size_t cy = node.find(" cy=\"");
    REQUIRE(cy != std::string::npos);
    return std::stoi(node.substr(cy + 5));
  };
  CHECK(views_at != std::string::npos);
  CHECK(y_of("R__views") < y_of("R__grants"));
  CHECK(y_of("R__grants") < y_of("2"));
  CHECK(y_of("2") < y_of("1"));
  // No edge reaches them; the legend says what they are.
  CHECK_THAT(svg, !Contains("data-child=\"mR__"));
  CHECK_THAT(svg, Contains("repeatable: runs after them when changed"));
}

TEST_CASE("svg graph: a folder of repeatables alone is drawn", "[graph][svg]") {
  RevisionGraph graph({make_repeatable("views", "SELECT 1;")});
  std::string svg = svg_of(graph);
  CHECK(xml_errors(svg).empty());
  CHECK_THAT(svg, !Contains("no migrations"));
  CHECK_THAT(node_element(svg, "R__views"), Contains("class=\"node repeatable\""));
}
