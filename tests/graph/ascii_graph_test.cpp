#include <catch2/catch.hpp>

#include "graph/ascii_graph.hpp"
#include "graph/graph_layout.hpp"
#include "graph/revision_graph.hpp"
#include "support/migration_builder.hpp"

using namespace migrate;
using migrate::test::make_migration;

namespace {

using Ids = std::vector<std::string>;

/// The drawing with each node line followed by its migration's id.
std::string drawing(std::vector<Migration> migrations) {
  RevisionGraph graph(std::move(migrations));
  AsciiGraph ascii = draw_ascii_graph(lay_out(graph));
  std::string text;
  for (const AsciiGraphLine& line : ascii.lines) {
    text += line.text;
    if (line.migration) {
      CHECK(line.text.size() == ascii.width);
      text += graph.at(*line.migration).id.text();
    }
    text += "\n";
  }
  return text;
}

}  // namespace

TEST_CASE("ascii graph: a linear history", "[graph][ascii]") {
  CHECK(drawing({make_migration("1"), make_migration("2"), make_migration("3")}) ==
        "* 3\n"
        "* 2\n"
        "* 1\n");
}

TEST_CASE("ascii graph: a merge of two branches", "[graph][ascii]") {
  CHECK(drawing({make_migration("1"), make_migration("2", Ids{"1"}), make_migration("3", Ids{"1"}),
                 make_migration("4", Ids{"2", "3"})}) ==
        "*   4\n"
        "|\\\n"
        "| * 3\n"
        "* | 2\n"
        "|/\n"
        "*   1\n");
}

TEST_CASE("ascii graph: a three-way merge", "[graph][ascii]") {
  CHECK(drawing({make_migration("1"), make_migration("2", Ids{"1"}), make_migration("3", Ids{"1"}),
                 make_migration("4", Ids{"1"}), make_migration("5", Ids{"2", "3", "4"})}) ==
        "*-.   5\n"
        "|\\ \\\n"
        "| | * 4\n"
        "| * | 3\n"
        "* | | 2\n"
        "|/ /\n"
        "|/\n"
        "*     1\n");
}

TEST_CASE("ascii graph: two heads", "[graph][ascii]") {
  CHECK(drawing(
            {make_migration("1"), make_migration("2", Ids{"1"}), make_migration("3", Ids{"1"})}) ==
        "*   3\n"
        "| * 2\n"
        "|/\n"
        "*   1\n");
}

TEST_CASE("ascii graph: a root ends its lane, the lane right of it moves left", "[graph][ascii]") {
  CHECK(drawing({make_migration("1"), make_migration("2", Ids{}),
                 make_migration("3", Ids{"2", "1"})}) ==
        "*   3\n"
        "|\\\n"
        "* | 2\n"
        " /\n"
        "*   1\n");
}

TEST_CASE("ascii graph: a lane joining past another passes under it", "[graph][ascii]") {
  // 4 merges 2, 1 and 3; 3 depends on 2: lanes 0 and 2 both wait for 2, lane 1 for 1.
  CHECK(drawing({make_migration("1"), make_migration("2", Ids{"1"}), make_migration("3", Ids{"2"}),
                 make_migration("4", Ids{"2", "1", "3"})}) ==
        "*-.   4\n"
        "|\\ \\\n"
        "| | * 3\n"
        "|_|/\n"
        "* |   2\n"
        "|/\n"
        "*     1\n");
}

TEST_CASE("ascii graph: lanes right of a three-way merge make room for its -.", "[graph][ascii]") {
  CHECK(drawing({make_migration("1"), make_migration("2", Ids{"1"}), make_migration("3", Ids{"1"}),
                 make_migration("4", Ids{"1"}), make_migration("5", Ids{"2", "3", "4"}),
                 make_migration("6", Ids{"1"}), make_migration("7", Ids{"5", "6"})}) ==
        "*       7\n"
        "|\\\n"
        "| *     6\n"
        "|  \\\n"
        "*-. |   5\n"
        "|\\ \\ \\\n"
        "| | * | 4\n"
        "| * | | 3\n"
        "* | | | 2\n"
        "|/ / /\n"
        "|/ /\n"
        "|/\n"
        "*       1\n");
}

TEST_CASE("ascii graph: nothing to draw for an empty set", "[graph][ascii]") {
  AsciiGraph ascii = draw_ascii_graph(lay_out(RevisionGraph({})));
  CHECK(ascii.lines.empty());
}
