// migrate-graph: the DAG as DOT, SVG or PNG, read back the way other programs would read it.
#include <catch2/catch.hpp>

#include <graphviz/cgraph.h>
#include <sys/stat.h>

#include <memory>

#include "support/project.hpp"
#include "support/sqlite_probe.hpp"

using namespace migrate::test;
using Catch::Contains;
using Catch::StartsWith;

namespace {

/// 0001 <- 0002, 0001 <- 0003, and 0004 merging both.
void add_branches(const Project& project) {
  project.add("0001_root.sql", migration_text("CREATE TABLE r (x);", "DROP TABLE r;", "-- Root."));
  project.add("0002_left.sql",
              migration_text("CREATE TABLE l (x);", "DROP TABLE l;", "-- Left.\n-- depends: 0001"));
  project.add("0003_right.sql", migration_text("CREATE TABLE g (x);", "DROP TABLE g;",
                                               "-- Right & <wrong>.\n-- depends: 0001"));
  project.add("0004_join.sql",
              migration_text("", "", "-- Join the branches.\n-- depends: 0002 0003"));
}

struct GraphCloser {
  void operator()(Agraph_t* g) const { agclose(g); }
};

std::string xml_errors(const std::filesystem::path& file) {
  ProcessResult lint = run_process({"xmllint", "--noout", file.string()});
  return lint.exit_code == 0 ? std::string() : lint.err;
}

std::string node_element(const std::string& svg, const std::string& id) {
  std::size_t start = svg.find("<g id=\"m" + id + "\"");
  REQUIRE(start != std::string::npos);
  return svg.substr(start, svg.find("</g>", start) - start);
}

}  // namespace

TEST_CASE("graph: DOT on stdout by default, every node and edge", "[e2e][graph]") {
  Project project;
  add_branches(project);
  ProcessResult result = project.run("migrate-graph");
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  CHECK(result.err.empty());
  std::unique_ptr<Agraph_t, GraphCloser> g(agmemread(result.out.c_str()));
  REQUIRE(g);
  CHECK(agnnodes(g.get()) == 4);
  CHECK(agnedges(g.get()) == 4);
  for (auto [from, to] :
       {std::pair{"0001", "0002"}, {"0001", "0003"}, {"0002", "0004"}, {"0003", "0004"}}) {
    Agnode_t* tail = agnode(g.get(), const_cast<char*>(from), 0);
    Agnode_t* head = agnode(g.get(), const_cast<char*>(to), 0);
    REQUIRE(tail);
    REQUIRE(head);
    CHECK(agedge(g.get(), tail, head, nullptr, 0) != nullptr);
  }
  Agnode_t* right = agnode(g.get(), const_cast<char*>("0003"), 0);
  CHECK(std::string(agget(right, const_cast<char*>("label"))) == "0003\\nRight &amp; <wrong>.");
  // Reading the database never creates it.
  CHECK_FALSE(std::filesystem::exists(project.db()));
}

TEST_CASE("graph: SVG to a file is valid XML with an id per migration", "[e2e][graph]") {
  Project project;
  add_branches(project);
  ProcessResult result = project.run("migrate-graph", {"--format", "svg", "-o", "graph.svg"});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.out, Contains("wrote graph.svg (4 migrations)"));
  std::filesystem::path file = project.root() / "graph.svg";
  CHECK(xml_errors(file).empty());
  std::string svg = read_text(file);
  for (const char* id : {"0001", "0002", "0003", "0004"}) {
    CHECK_THAT(svg, Contains(std::string("<g id=\"m") + id + "\""));
  }
  CHECK_THAT(svg, Contains("Right &amp; &lt;wrong&gt;."));
  CHECK_THAT(node_element(svg, "0004"), Contains("head merge"));
  CHECK(svg.find("state-") == std::string::npos);  // no database: no colours
  CHECK_FALSE(std::filesystem::exists(project.db()));
}

TEST_CASE("graph: applied and pending migrations are coloured apart", "[e2e][graph]") {
  Project project;
  add_branches(project);
  REQUIRE(project.run("migrate-upgrade", {"0002"}).exit_code == 0);
  ProcessResult result = project.run("migrate-graph", {"-o", "graph.svg"});  // svg from the name
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.out, Contains("states in sqlite:"));
  std::string svg = read_text(project.root() / "graph.svg");
  CHECK_THAT(node_element(svg, "0001"), Contains("state-applied"));
  CHECK_THAT(node_element(svg, "0002"), Contains("state-applied"));
  CHECK_THAT(node_element(svg, "0003"), Contains("state-pending"));
  CHECK_THAT(node_element(svg, "0004"), Contains("state-pending"));
  ProcessResult dot = project.run("migrate-graph", {"--format", "dot"});
  CHECK_THAT(dot.out, Contains("fillcolor=\"#66bb6a\""));
  CHECK_THAT(dot.out, Contains("fillcolor=\"#ffca28\""));
}

TEST_CASE("graph: PNG rendered by Graphviz in-process", "[e2e][graph]") {
  Project project;
  add_branches(project);
  SECTION("--format png") {
    ProcessResult result = project.run("migrate-graph", {"--format", "png", "-o", "graph.png"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
  }
  SECTION("from the file name") {
    ProcessResult result = project.run("migrate-graph", {"-o", "graph.png"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
  }
  CHECK_THAT(read_text(project.root() / "graph.png"),
             StartsWith(std::string("\x89PNG\r\n\x1a\n", 8)));
}

TEST_CASE("graph: Graphviz's pictures carry the legend, DOT does not", "[e2e][graph]") {
  Project project;
  add_branches(project);
  REQUIRE(project.run("migrate-upgrade", {"0002"}).exit_code == 0);
  // The PNG and the dot-laid-out SVG are one layout in two renderers; the SVG can be read.
  ProcessResult svg = project.run("migrate-graph", {"--layout", "dot", "-o", "graph.svg"});
  INFO(svg.err);
  REQUIRE(svg.exit_code == 0);
  std::string text = read_text(project.root() / "graph.svg");
  CHECK_THAT(text, Contains("<title>cluster_legend</title>") && Contains(">applied</text>") &&
                       Contains(">pending</text>") && Contains(">head</text>") &&
                       Contains(">merge</text>"));
  REQUIRE(project.run("migrate-graph", {"-o", "graph.png"}).exit_code == 0);
  CHECK_THAT(read_text(project.root() / "graph.png"),
             StartsWith(std::string("\x89PNG\r\n\x1a\n", 8)));
  CHECK_THAT(project.run("migrate-graph", {"--format", "dot"}).out, !Contains("legend"));
}

TEST_CASE("graph: Graphviz without its plugins says where they come from", "[e2e][graph]") {
  Project project;
  add_branches(project);
  std::filesystem::path empty = project.root() / "no-plugins";
  std::filesystem::create_directories(empty);
  ProcessResult result =
      project.run("migrate-graph", {"-o", "graph.png"}, {.env = {{"GVBINDIR", empty.string()}}});
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Contains("Graphviz could not lay the graph out"));
  CHECK_THAT(result.err, Contains("plugins that Debian's libgvc6 package installs"));
  CHECK_FALSE(std::filesystem::exists(project.root() / "graph.png"));
  // The lane layout needs no plugin.
  CHECK(project.run("migrate-graph", {"-o", "graph.svg"}, {.env = {{"GVBINDIR", empty.string()}}})
            .exit_code == 0);
}

TEST_CASE("graph: --layout dot lays the SVG out with Graphviz", "[e2e][graph]") {
  Project project;
  add_branches(project);
  ProcessResult result = project.run("migrate-graph", {"--format", "svg", "--layout", "dot"});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  write_text(project.root() / "dot.svg", result.out);
  CHECK(xml_errors(project.root() / "dot.svg").empty());
  CHECK_THAT(result.out, Contains("id=\"m0004\""));
  CHECK_THAT(result.out, Contains("Generated by graphviz"));
}

TEST_CASE("graph: .gv is DOT, and --format writes any name", "[e2e][graph]") {
  Project project;
  add_branches(project);
  REQUIRE(project.run("migrate-graph", {"-o", "g.gv"}).exit_code == 0);
  CHECK_THAT(read_text(project.root() / "g.gv"), StartsWith("digraph"));
  REQUIRE(project.run("migrate-graph", {"--format", "dot", "-o", "g.txt"}).exit_code == 0);
  CHECK_THAT(read_text(project.root() / "g.txt"), StartsWith("digraph"));
}

TEST_CASE("graph: a database that cannot be reached only loses the colours", "[e2e][graph]") {
  Project project;
  add_branches(project);
  ProcessResult result = project.run(
      "migrate-graph", {"--format", "svg", "--database", "postgresql://u:secret@127.0.0.1:1/x"});
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.err, Contains("warning: drawing without applied/pending colours"));
  CHECK_THAT(result.err, !Contains("secret"));
  CHECK_THAT(result.out, Contains("id=\"m0004\""));
  CHECK(result.out.find("state-") == std::string::npos);
}

TEST_CASE("graph: make migrate-graph writes migrations.svg", "[e2e][graph][make]") {
  Project project;
  add_branches(project);
  ProcessResult result = run_process(
      {"make", "--no-print-directory", "-f", (source_dir() / "make" / "migrate.mk").string(),
       "MIGRATE=" + tool_path("migrate").string(), "migrate-graph"},
      {.cwd = project.root()});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  CHECK(xml_errors(project.root() / "migrations.svg").empty());

  // GRAPH's extension picks the format, as -o's does; one that is no format is refused.
  auto make_graph = [&](const std::string& name) {
    return run_process(
        {"make", "--no-print-directory", "-f", (source_dir() / "make" / "migrate.mk").string(),
         "MIGRATE=" + tool_path("migrate").string(), "migrate-graph", "GRAPH=" + name},
        {.cwd = project.root()});
  };
  ProcessResult png = make_graph("graph.png");
  INFO(png.err);
  REQUIRE(png.exit_code == 0);
  CHECK_THAT(read_text(project.root() / "graph.png"),
             StartsWith(std::string("\x89PNG\r\n\x1a\n", 8)));
  ProcessResult jpg = make_graph("graph.jpg");
  CHECK(jpg.exit_code != 0);
  CHECK_THAT(jpg.err, Contains("'.jpg' is not a format migrate-graph writes"));
  CHECK_FALSE(std::filesystem::exists(project.root() / "graph.jpg"));
}

TEST_CASE("graph: bad input", "[e2e][graph][bad-input]") {
  Project project;
  add_branches(project);
  SECTION("an unknown format") {
    ProcessResult result = project.run("migrate-graph", {"--format", "jpeg"});
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Contains("--format: jpeg not in {dot,svg,png}"));
  }
  SECTION("-o with an extension that is no format: nothing written, not DOT in a .jpg") {
    for (const char* name : {"g.jpg", "graph"}) {
      INFO(name);
      ProcessResult result = project.run("migrate-graph", {"-o", name});
      CHECK(result.exit_code == 2);
      CHECK_THAT(result.err, Contains(std::string("-o ") + name + ": ") &&
                                 Contains("is not a format migrate-graph writes") &&
                                 Contains("Name the file .dot (or .gv), .svg or .png") &&
                                 Contains("--format dot|svg|png"));
      CHECK(result.out.empty());
      CHECK_FALSE(std::filesystem::exists(project.root() / name));
    }
    // An existing file keeps its content.
    write_text(project.root() / "g.jpg", "a picture");
    CHECK(project.run("migrate-graph", {"-o", "g.jpg"}).exit_code == 2);
    CHECK(read_text(project.root() / "g.jpg") == "a picture");
  }
  SECTION("--format against -o's extension") {
    ProcessResult result = project.run("migrate-graph", {"--format", "svg", "-o", "g.png"});
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Contains("--format svg and -o g.png disagree"));
    CHECK_FALSE(std::filesystem::exists(project.root() / "g.png"));
  }
  SECTION("an unknown layout") {
    ProcessResult result = project.run("migrate-graph", {"--format", "svg", "--layout", "neato"});
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Contains("--layout: neato not in {lanes,dot}"));
  }
  SECTION("--layout with DOT") {
    ProcessResult result = project.run("migrate-graph", {"--layout", "dot"});
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Contains("--layout is for SVG"));
  }
  SECTION("the lane layout as PNG") {
    ProcessResult result =
        project.run("migrate-graph", {"--format", "png", "--layout", "lanes", "-o", "g.png"});
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Contains("the lane layout is drawn as SVG only"));
    CHECK_FALSE(std::filesystem::exists(project.root() / "g.png"));
  }
  SECTION("-o into a folder that does not exist") {
    ProcessResult result = project.run("migrate-graph", {"-o", "missing/dir/g.svg"});
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.err,
               Contains("cannot write the graph to missing/dir/g.svg: the folder missing/dir does "
                        "not exist"));
    CHECK_FALSE(std::filesystem::exists(project.root() / "missing"));
  }
  SECTION("-o naming a folder") {
    ProcessResult result = project.run("migrate-graph", {"-o", "migrations"});
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Contains("-o migrations is a folder: give a file name"));
  }
  SECTION("-o into a read-only folder") {
    std::filesystem::path locked = project.root() / "locked";
    std::filesystem::create_directories(locked);
    ::chmod(locked.c_str(), 0555);
    // Root ignores permissions: run a copy of the tool as an unprivileged user then.
    std::filesystem::path tool = copy_tool("migrate-graph", project.root());
    ProcessResult result = run_process({tool.string(), "-o", "locked/g.svg"},
                                       {.cwd = project.root(), .as_unprivileged_user = true});
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.err, Contains("cannot write the graph to locked/g.svg: the folder is not "
                                    "writable"));
    CHECK(std::filesystem::is_empty(locked));
  }
  SECTION("a PNG to a terminal") {
    // `script` (util-linux) gives the tool a real pseudo-terminal.
    ProcessResult result = run_process(
        {"script", "-qec", tool_path("migrate-graph").string() + " --format png", "/dev/null"},
        {.cwd = project.root()});
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.out, Contains("a PNG is binary: write it to a file"));
    CHECK(result.out.find("PNG\r\n") == std::string::npos);
  }
  SECTION("a broken migration set") {
    project.add("0005_bad.sql", migration_text("SELECT 1;", "", "-- depends: 0042"));
    ProcessResult result = project.run("migrate-graph", {"-o", "g.svg"});
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Contains("depends on 0042, which is not a migration in this folder"));
    CHECK_FALSE(std::filesystem::exists(project.root() / "g.svg"));
  }
}
