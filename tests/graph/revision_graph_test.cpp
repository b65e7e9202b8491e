#include <catch2/catch.hpp>

#include "graph/revision_graph.hpp"
#include "migration/migration_dir.hpp"
#include "support/migration_builder.hpp"
#include "support/temp_dir.hpp"
#include "util/error.hpp"

using namespace migrate;
using Catch::Contains;
using Catch::StartsWith;
using migrate::test::make_migration;

namespace {

using Ids = std::vector<std::string>;

Ids order(const RevisionGraph& graph) {
  Ids out;
  for (const Migration& m : graph.migrations()) {
    out.push_back(m.id.text());
  }
  return out;
}

Ids ids(const RevisionGraph& graph, const std::vector<std::size_t>& indexes) {
  Ids out;
  for (std::size_t i : indexes) {
    out.push_back(graph.at(i).id.text());
  }
  return out;
}

std::size_t index(const RevisionGraph& graph, std::string_view id) {
  std::optional<std::size_t> found = graph.find(*MigrationId::from_digits(id));
  REQUIRE(found);
  return *found;
}

Ids members(const RevisionGraph& graph, const std::vector<bool>& membership) {
  Ids out;
  for (std::size_t i = 0; i < membership.size(); ++i) {
    if (membership[i]) {
      out.push_back(graph.at(i).id.text());
    }
  }
  return out;
}

Migration replacing(std::string_view id, std::vector<std::string> depends,
                    std::vector<std::string> replaced) {
  Migration m = make_migration(id, std::move(depends));
  for (const std::string& r : replaced) {
    m.replaces.push_back({*MigrationId::from_digits(r), r, 2});
  }
  return m;
}

std::string graph_error(std::vector<Migration> migrations) {
  try {
    RevisionGraph graph(std::move(migrations));
  } catch (const GraphError& e) {
    CHECK(e.exit_code() == ExitCode::bad_input);
    return e.what();
  }
  FAIL("no GraphError");
  return {};
}

/// 1 ─ 2 ─ 3 ─────┐
///  └─ 5 ─ 4 ─────6      (4 depends on 5: topological order beats id order)
///       └─ 7
RevisionGraph branched() {
  return RevisionGraph({make_migration("7", Ids{"5"}), make_migration("6", Ids{"3", "4"}),
                        make_migration("5", Ids{"1"}), make_migration("4", Ids{"5"}),
                        make_migration("3", Ids{"2"}), make_migration("2", Ids{"1"}),
                        make_migration("1")});
}

}  // namespace

TEST_CASE("graph: an empty set", "[graph]") {
  RevisionGraph graph({});
  CHECK(graph.empty());
  CHECK(graph.size() == 0);
  CHECK(graph.heads().empty());
  CHECK(graph.closure({}).empty());
}

TEST_CASE("graph: implicit parents make a line in id order", "[graph]") {
  RevisionGraph graph(
      {make_migration("3"), make_migration("000001"), make_migration("2"), make_migration("10")});
  CHECK(order(graph) == Ids{"000001", "2", "3", "10"});
  CHECK(graph.parents(index(graph, "000001")).empty());
  CHECK(ids(graph, graph.parents(index(graph, "2"))) == Ids{"000001"});
  CHECK(ids(graph, graph.parents(index(graph, "10"))) == Ids{"3"});
  CHECK(ids(graph, graph.children(index(graph, "3"))) == Ids{"10"});
  CHECK(ids(graph, graph.heads()) == Ids{"10"});
}

TEST_CASE("graph: topological order, ties broken by id, on a branched DAG", "[graph]") {
  RevisionGraph graph = branched();
  CHECK(order(graph) == Ids{"1", "2", "3", "5", "4", "6", "7"});
  CHECK(ids(graph, graph.parents(index(graph, "6"))) == Ids{"3", "4"});
  CHECK(ids(graph, graph.children(index(graph, "1"))) == Ids{"2", "5"});
  CHECK(ids(graph, graph.children(index(graph, "5"))) == Ids{"4", "7"});
  CHECK(ids(graph, graph.heads()) == Ids{"6", "7"});
  // every parent comes before its child
  for (std::size_t i = 0; i < graph.size(); ++i) {
    for (std::size_t p : graph.parents(i)) {
      CHECK(p < i);
    }
  }
}

TEST_CASE("graph: the order does not depend on the input order", "[graph]") {
  std::vector<Migration> migrations{
      make_migration("1"),           make_migration("2", Ids{"1"}),
      make_migration("3", Ids{"1"}), make_migration("4", Ids{"3"}),
      make_migration("5", Ids{"2"}), make_migration("6", Ids{"4", "5"})};
  Ids expected{"1", "2", "3", "4", "5", "6"};
  CHECK(order(RevisionGraph(migrations)) == expected);
  std::reverse(migrations.begin(), migrations.end());
  CHECK(order(RevisionGraph(migrations)) == expected);
  std::rotate(migrations.begin(), migrations.begin() + 2, migrations.end());
  CHECK(order(RevisionGraph(migrations)) == expected);
}

TEST_CASE("graph: a depends line overrides the implicit parent", "[graph]") {
  // 3 has no depends: its parent is 2 (just before it), even though 2 is a root
  RevisionGraph graph({make_migration("1"), make_migration("2", Ids{}), make_migration("3"),
                       make_migration("4", Ids{"1"})});
  CHECK(graph.parents(index(graph, "2")).empty());
  CHECK(ids(graph, graph.parents(index(graph, "3"))) == Ids{"2"});
  CHECK(ids(graph, graph.heads()) == Ids{"3", "4"});
  CHECK(order(graph) == Ids{"1", "2", "3", "4"});
}

TEST_CASE("graph: a parent written twice counts once", "[graph]") {
  RevisionGraph graph({make_migration("1"), make_migration("2", Ids{"1", "0001"})});
  CHECK(ids(graph, graph.parents(index(graph, "2"))) == Ids{"1"});
  CHECK(ids(graph, graph.children(index(graph, "1"))) == Ids{"2"});
}

TEST_CASE("graph: find by numeric id", "[graph]") {
  RevisionGraph graph({make_migration("000001"), make_migration("000002")});
  CHECK(graph.find(*MigrationId::from_digits("1")) == std::optional<std::size_t>(0));
  CHECK(graph.find(*MigrationId::from_digits("0002")) == std::optional<std::size_t>(1));
  CHECK_FALSE(graph.find(*MigrationId::from_digits("3")));
  CHECK(graph.at(0).id.text() == "000001");
}

TEST_CASE("graph: closure is the targets and all their ancestors", "[graph]") {
  RevisionGraph graph = branched();
  std::vector<std::size_t> six{index(graph, "6")};
  CHECK(members(graph, graph.closure(six)) == Ids{"1", "2", "3", "5", "4", "6"});
  std::vector<std::size_t> seven{index(graph, "7")};
  CHECK(members(graph, graph.closure(seven)) == Ids{"1", "5", "7"});
  std::vector<std::size_t> three_and_seven{index(graph, "3"), index(graph, "7")};
  CHECK(members(graph, graph.closure(three_and_seven)) == Ids{"1", "2", "3", "5", "7"});
  CHECK(members(graph, graph.closure({})).empty());
  CHECK(graph.closure({}).size() == graph.size());
}

TEST_CASE("graph: migrations replaced by a squash are not heads", "[graph]") {
  // 1 ─ 2 ─ 3, and 4 squashes 2..3 onto 1; 5 comes after 4
  RevisionGraph graph({make_migration("1"), make_migration("2"), make_migration("3"),
                       replacing("4", {"1"}, {"2", "3"}), make_migration("5")});
  CHECK(order(graph) == Ids{"1", "2", "3", "4", "5"});
  CHECK(graph.replaced(index(graph, "2")));
  CHECK(graph.replaced(index(graph, "3")));
  CHECK_FALSE(graph.replaced(index(graph, "4")));
  CHECK(ids(graph, graph.heads()) == Ids{"5"});

  RevisionGraph tail({make_migration("1"), make_migration("2"), make_migration("3"),
                      replacing("4", {"1"}, {"2", "3"})});
  CHECK(ids(tail, tail.heads()) == Ids{"4"});
}

// ---------------------------------------------------------------------------------------------
// Invalid sets

TEST_CASE("graph: duplicate ids name both files", "[graph]") {
  Migration a = make_migration("1");
  Migration b = make_migration("000001");
  b.file = "migrations/000001_other.sql";
  std::string message = graph_error({a, b, make_migration("2")});
  CHECK_THAT(message, StartsWith("duplicate id "));
  CHECK_THAT(message, Contains("migrations/1_m1.sql"));
  CHECK_THAT(message, Contains("migrations/000001_other.sql"));
  CHECK_THAT(message, Contains("migrate-renumber"));
}

TEST_CASE("graph: an unknown parent names the file and line", "[graph]") {
  Migration m = make_migration("3", Ids{"2"});
  m.depends->front().line = 4;
  m.depends->front().text = "2_gone";
  std::string message = graph_error({make_migration("1"), m});
  CHECK(message ==
        "migrations/3_m3.sql:4: depends on 2_gone, which is not a migration in this "
        "folder");
}

TEST_CASE("graph: a replaces of an unknown id names the file and line", "[graph]") {
  std::string message = graph_error({make_migration("1"), replacing("4", {"1"}, {"2"})});
  CHECK(message == "migrations/4_m4.sql:2: replaces 2, which is not a migration in this folder");
}

TEST_CASE("graph: several problems are reported together", "[graph]") {
  Migration dup = make_migration("2");
  dup.file = "migrations/2_twin.sql";
  std::string message = graph_error({make_migration("1"), make_migration("2"), dup,
                                     make_migration("5", Ids{"4"}), replacing("6", {"1"}, {"9"})});
  CHECK_THAT(message, StartsWith("the migration set is invalid (3 problems):\n  "));
  CHECK_THAT(message, Contains("duplicate id 2"));
  CHECK_THAT(message, Contains("migrations/5_m5.sql:1: depends on 4"));
  CHECK_THAT(message, Contains("migrations/6_m6.sql:2: replaces 9"));
}

TEST_CASE("graph: a cycle names its files", "[graph]") {
  std::string message = graph_error({make_migration("1"), make_migration("2", Ids{"1", "3"}),
                                     make_migration("3", Ids{"2"}), make_migration("4")});
  CHECK_THAT(message, StartsWith("the migrations depend on each other in a cycle: "));
  CHECK_THAT(message, Contains("migrations/2_m2.sql -> migrations/3_m3.sql -> "
                               "migrations/2_m2.sql"));
  CHECK_THAT(message, !Contains("1_m1.sql"));
  CHECK_THAT(message, !Contains("4_m4.sql"));  // a descendant of the cycle is not part of it
}

TEST_CASE("graph: a migration that depends on itself is a cycle", "[graph]") {
  std::string message = graph_error({make_migration("1"), make_migration("2", Ids{"2"})});
  CHECK_THAT(message, Contains("migrations/2_m2.sql -> migrations/2_m2.sql"));
}

TEST_CASE("graph: a longer cycle lists every member once", "[graph]") {
  std::string message = graph_error({make_migration("1", Ids{"3"}), make_migration("2", Ids{"1"}),
                                     make_migration("3", Ids{"2"})});
  CHECK_THAT(message, Contains("migrations/1_m1.sql -> migrations/3_m3.sql -> "
                               "migrations/2_m2.sql -> migrations/1_m1.sql"));
}

// ---------------------------------------------------------------------------------------------
// From real files: the messages name the files as read, and the lines of the headers

TEST_CASE("graph: problems in a real folder name its files and lines", "[graph]") {
  migrate::test::TempDir dir;
  migrate::test::write_text(dir / "202611201010_create_users.sql", "-- migrate:up\nSELECT 1;\n");
  migrate::test::write_text(dir / "0202611201010_twin.sql", "-- migrate:up\nSELECT 1;\n");
  migrate::test::write_text(dir / "202611211423_add_phone.sql",
                            "-- Add phone.\n"
                            "--\n"
                            "-- depends: 202611201010_create_users 202611201111_gone\n"
                            "-- migrate:up\n"
                            "SELECT 1;\n");
  std::string message = graph_error(read_migration_dir(dir.path()));
  CHECK_THAT(message, StartsWith("the migration set is invalid (2 problems):\n  "));
  CHECK_THAT(message,
             Contains("duplicate id 202611201010: " + (dir / "0202611201010_twin.sql").string() +
                      " and " + (dir / "202611201010_create_users.sql").string()));
  CHECK_THAT(message, Contains((dir / "202611211423_add_phone.sql").string() +
                               ":3: depends on 202611201111_gone, which is not a migration in "
                               "this folder"));
}

TEST_CASE("graph: a cycle in a real folder names its files", "[graph]") {
  migrate::test::TempDir dir;
  migrate::test::write_text(dir / "1_a.sql", "-- depends: 3_c\n-- migrate:up\nSELECT 1;\n");
  migrate::test::write_text(dir / "2_b.sql", "-- migrate:up\nSELECT 1;\n");
  migrate::test::write_text(dir / "3_c.sql", "-- migrate:up\nSELECT 1;\n");
  std::string message = graph_error(read_migration_dir(dir.path()));
  CHECK_THAT(message,
             Contains((dir / "1_a.sql").string() + " -> " + (dir / "3_c.sql").string() + " -> " +
                      (dir / "2_b.sql").string() + " -> " + (dir / "1_a.sql").string()));
}
