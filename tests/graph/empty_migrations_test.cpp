#include <catch2/catch.hpp>

#include "graph/empty_migrations.hpp"
#include "graph/revision_graph.hpp"
#include "support/migration_builder.hpp"

using namespace migrate;
using migrate::test::make_migration;

namespace {

using Ids = std::vector<std::string>;

/// The ids of the migrations among `candidates` that empty_migrations picks.
Ids empty_ids(const RevisionGraph& graph, const std::vector<std::size_t>& candidates) {
  Ids out;
  for (std::size_t m : empty_migrations(graph, candidates)) {
    out.push_back(graph.at(m).id.text());
  }
  return out;
}

std::vector<std::size_t> all(const RevisionGraph& graph) {
  std::vector<std::size_t> indices(graph.size());
  for (std::size_t i = 0; i < indices.size(); ++i) {
    indices[i] = i;
  }
  return indices;
}

}  // namespace

TEST_CASE("empty migrations: an up section without a statement has nothing to apply", "[graph]") {
  RevisionGraph graph({make_migration("1"), make_migration("2", Ids{"1"}, ""),
                       make_migration("3", Ids{"2"}, "-- Write the SQL here.\n/* later */\n"),
                       make_migration("4", Ids{"3"}, "-- a comment, then\nSELECT 1;")});
  CHECK(empty_ids(graph, all(graph)) == Ids{"2", "3"});
  SECTION("only the candidates are looked at, in the order given") {
    CHECK(empty_ids(graph, {2, 0, 1}) == Ids{"3", "2"});
    CHECK(empty_ids(graph, {0, 3}).empty());
  }
}

TEST_CASE("empty migrations: a merge and a squash may be empty", "[graph]") {
  Migration squash = make_migration("5", Ids{"1"}, "");
  squash.replaces.push_back({*MigrationId::from_digits("2"), "2_m2", 3});
  RevisionGraph graph({make_migration("1"), make_migration("2", Ids{"1"}),
                       make_migration("3", Ids{"1"}), make_migration("4", Ids{"2", "3"}, ""),
                       squash, make_migration("6", Ids{"4"}, "")});
  CHECK(empty_ids(graph, all(graph)) == Ids{"6"});
}
