// The squash plan: which line of migrations a squash replaces, what the new migration holds,
// how the children are re-pointed, and when --prune must wait. In memory, no files.
#include "squash/squash_plan.hpp"

#include <catch2/catch.hpp>

#include "graph/revision_graph.hpp"
#include "support/migration_builder.hpp"
#include "util/error.hpp"

using namespace migrate;
using Catch::Contains;
using migrate::test::make_migration;
using Ids = std::vector<std::string>;
using Indices = std::vector<std::size_t>;

namespace {

std::size_t at(const RevisionGraph& graph, std::string_view id) {
  std::optional<std::size_t> index = graph.find(*MigrationId::from_digits(id));
  REQUIRE(index);
  return *index;
}

/// 1 <- 2 <- 3 <- 4, each with an up and a down.
RevisionGraph line_of_four() {
  return RevisionGraph(
      {make_migration("1", std::nullopt, "CREATE TABLE t1 (x INT);", "DROP TABLE t1;"),
       make_migration("2", std::nullopt, "CREATE TABLE t2 (x INT);", "DROP TABLE t2;"),
       make_migration("3", std::nullopt, "CREATE TABLE t3 (x INT);", "DROP TABLE t3;"),
       make_migration("4")});
}

/// The text a migration of make_migration would have on disk, without a depends: line.
std::string file_text(const Migration& m) {
  return "-- " + m.title() + "\n-- migrate:up\n" + m.up.sql + "\n";
}

/// What the command reads first: the ends of the range, the id, and the children's texts.
SquashInput input(const RevisionGraph& graph, std::string_view from, std::string_view to,
                  std::string message = "") {
  SquashInput in{.from = at(graph, from),
                 .to = at(graph, to),
                 .id = *MigrationId::from_digits("9"),
                 .message = std::move(message)};
  for (std::size_t child : graph.children(in.to)) {
    in.child_texts.push_back(file_text(graph.at(child)));
  }
  return in;
}

Ids stems(const RevisionGraph& graph, const Indices& indices) {
  Ids out;
  for (std::size_t i : indices) {
    out.push_back(graph.at(i).stem());
  }
  return out;
}

Ids ref_texts(const std::vector<MigrationRef>& refs) {
  Ids out;
  for (const MigrationRef& ref : refs) {
    out.push_back(ref.text);
  }
  return out;
}

/// The range FROM..TO, or the message of the GraphError that refuses it.
std::string range_error(const RevisionGraph& graph, std::string_view from, std::string_view to) {
  try {
    squash_range(graph, at(graph, from), at(graph, to));
  } catch (const GraphError& e) {
    return e.what();
  }
  return "(no error)";
}

/// A graph with 9 squashing 2 and 3: 1 <- 2 <- 3 <- 4, 9 depends on 1, 4 on 9.
RevisionGraph squashed_graph() {
  Migration squash = make_migration("9", Ids{"1"}, "SELECT 23;", "SELECT 32;");
  squash.replaces = {{*MigrationId::from_digits("2"), "2", 1},
                     {*MigrationId::from_digits("3"), "3", 1}};
  return RevisionGraph({make_migration("1"), make_migration("2"), make_migration("3"),
                        make_migration("4", Ids{"9"}), squash});
}

/// The status of a database that applied `ids`, as reconcile sees it.
DatabaseStatus applied(const RevisionGraph& graph, const Ids& ids) {
  std::vector<AppliedMigration> rows;
  for (const std::string& id : ids) {
    const Migration& m = graph.at(at(graph, id));
    rows.push_back({.id = m.id, .checksum = m.checksum, .applied_at = "2026-01-01T00:00:00.000Z"});
  }
  return reconcile(graph, rows);
}

/// The message of the CheckFailed that refuses to prune, or "" when pruning may go on.
std::string prune_refusal(const RevisionGraph& graph, const std::vector<TargetRead>& databases,
                          bool force = false) {
  try {
    check_prunable(graph, squashes_of(graph), databases, force);
  } catch (const CheckFailed& e) {
    return e.what();
  }
  return "";
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// The range

TEST_CASE("squash_plan: a range is one line of migrations, oldest first", "[squash]") {
  RevisionGraph graph = line_of_four();
  CHECK(stems(graph, squash_range(graph, at(graph, "2"), at(graph, "4"))) ==
        Ids{"2_m2", "3_m3", "4_m4"});
  CHECK(stems(graph, squash_range(graph, at(graph, "1"), at(graph, "4"))) ==
        Ids{"1_m1", "2_m2", "3_m3", "4_m4"});
  CHECK(stems(graph, squash_range(graph, at(graph, "3"), at(graph, "3"))) == Ids{"3_m3"});
}

TEST_CASE("squash_plan: FROM after TO is refused", "[squash]") {
  RevisionGraph graph = line_of_four();
  CHECK_THAT(range_error(graph, "3", "2"),
             Contains("3_m3 comes after 2_m2: give the older migration first"));
}

TEST_CASE("squash_plan: a branch point inside the range is refused, naming the children",
          "[squash]") {
  // 1 <- 2 <- 3, and 5 on 2 as well.
  RevisionGraph graph({make_migration("1"), make_migration("2"), make_migration("3"),
                       make_migration("5", Ids{"2"})});
  CHECK_THAT(range_error(graph, "2", "3"),
             Contains("2_m2 has 2 children (3_m3, 5_m5): a squash replaces one line") &&
                 Contains("without branch points inside"));
  // The branch point may end the range: what follows it is not replaced.
  CHECK(stems(graph, squash_range(graph, at(graph, "1"), at(graph, "2"))) == Ids{"1_m1", "2_m2"});
}

TEST_CASE("squash_plan: a merge inside the range is refused", "[squash]") {
  // 1 <- 2, 1 <- 3, 4 joins 2 and 3, 5 after 4.
  RevisionGraph graph({make_migration("1"), make_migration("2", Ids{"1"}),
                       make_migration("3", Ids{"1"}), make_migration("4", Ids{"2", "3"}),
                       make_migration("5", Ids{"4"})});
  CHECK_THAT(range_error(graph, "2", "5"),
             Contains("4_m4 joins 2 branches: a squash replaces one line of migrations, without "
                      "merge points inside"));
}

TEST_CASE("squash_plan: TO not descending from FROM is refused at the root", "[squash]") {
  // Two roots: 1 <- 2 and 3 <- 4.
  RevisionGraph graph({make_migration("1", Ids{}), make_migration("2", Ids{"1"}),
                       make_migration("3", Ids{}), make_migration("4", Ids{"3"})});
  CHECK_THAT(range_error(graph, "2", "4"), Contains("3_m3 is a root, and it is not 2_m2"));
}

TEST_CASE("squash_plan: a squash, or what one replaces already, is not squashed again",
          "[squash]") {
  RevisionGraph graph = squashed_graph();
  CHECK_THAT(range_error(graph, "2", "3"), Contains("2_m2 is squashed already, by 9_m9"));
  CHECK_THAT(range_error(graph, "9", "4"),
             Contains("9_m9 is a squash itself: squash the originals, or prune first"));
}

// ---------------------------------------------------------------------------------------------
// The new migration

TEST_CASE("squash_plan: ups in order, downs in reverse, each under its origin", "[squash]") {
  RevisionGraph graph = line_of_four();
  SquashPlan plan = plan_squash(graph, input(graph, "2", "3"));
  CHECK(stems(graph, plan.range) == Ids{"2_m2", "3_m3"});
  const Migration& squash = plan.squash;
  CHECK(squash.id.text() == "9");
  CHECK(squash.slug == "squash_2_to_3");
  CHECK(squash.doc == Ids{"Squash 2 to 3", "", "Replaces these 2 migrations:",
                          "  2_m2: Migration 2", "  3_m3: Migration 3"});
  CHECK(ref_texts(squash.replaces) == Ids{"2_m2", "3_m3"});
  REQUIRE(squash.depends);
  CHECK(ref_texts(*squash.depends) == Ids{"1_m1"});
  CHECK(squash.up.sql ==
        "-- 2_m2: Migration 2\nCREATE TABLE t2 (x INT);\n\n-- 3_m3: Migration 3\nCREATE TABLE t3 "
        "(x INT);");
  REQUIRE(squash.down);
  CHECK(squash.down->sql ==
        "-- 3_m3: Migration 3\nDROP TABLE t3;\n\n-- 2_m2: Migration 2\nDROP TABLE t2;");
  CHECK_FALSE(plan.irreversible);
}

TEST_CASE("squash_plan: the message names the squash, a root range depends on nothing",
          "[squash]") {
  RevisionGraph graph = line_of_four();
  SquashPlan plan = plan_squash(graph, input(graph, "1", "2", "  Base tables  "));
  CHECK(plan.squash.slug == "base_tables");
  CHECK(plan.squash.doc.front() == "Base tables");
  REQUIRE(plan.squash.depends);  // written, and empty: the squash's id is not the root's
  CHECK(plan.squash.depends->empty());
}

TEST_CASE("squash_plan: a message with nothing to name the file after is refused", "[squash]") {
  RevisionGraph graph = line_of_four();
  CHECK_THROWS_AS(plan_squash(graph, input(graph, "1", "2", "!!!")), UsageError);
}

TEST_CASE("squash_plan: an irreversible migration in the range leaves the squash without down",
          "[squash]") {
  RevisionGraph graph({make_migration("1"), make_migration("2", std::nullopt, "SELECT 2;", ""),
                       make_migration("3")});
  SquashPlan plan = plan_squash(graph, input(graph, "1", "3"));
  CHECK(plan.irreversible);
  CHECK_FALSE(plan.squash.down);
}

TEST_CASE("squash_plan: blank downs are left out, a merge's blank up needs none", "[squash]") {
  RevisionGraph graph({make_migration("1"), make_migration("2", std::nullopt, "", std::nullopt),
                       make_migration("3", std::nullopt, "", "-- nothing to undo")});
  SquashPlan plan = plan_squash(graph, input(graph, "1", "3"));
  REQUIRE(plan.squash.down);
  CHECK(plan.squash.down->sql == "-- 1_m1: Migration 1\nSELECT 1;");
}

TEST_CASE("squash_plan: sections with different options are refused", "[squash]") {
  Migration stepwise = make_migration("2");
  stepwise.up.options.transaction = false;
  RevisionGraph graph({make_migration("1"), stepwise, make_migration("3")});
  CHECK_THROWS_WITH(plan_squash(graph, input(graph, "1", "3")),
                    Contains("1_m1 and 2_m2 have different section options"));
}

// ---------------------------------------------------------------------------------------------
// The children

TEST_CASE("squash_plan: TO's children depend on the squash instead", "[squash]") {
  // 4 follows 3 implicitly; 5 names 3 and 1 explicitly.
  RevisionGraph graph({make_migration("1"), make_migration("2"), make_migration("3"),
                       make_migration("4"), make_migration("5", Ids{"1_m1", "3_m3"})});
  SquashInput in = input(graph, "2", "3");
  in.child_texts = {"-- Migration 4\n-- migrate:up\nSELECT 4;\n",
                    "-- depends: 1_m1 3_m3\n-- migrate:up\nSELECT 5;\n"};
  REQUIRE(stems(graph, graph.children(in.to)) == Ids{"4_m4", "5_m5"});
  SquashPlan plan = plan_squash(graph, in);
  REQUIRE(plan.children.size() == 2);
  CHECK(plan.children[0].file == "migrations/4_m4.sql");
  CHECK(plan.children[0].text ==
        "-- Migration 4\n-- depends: 9_squash_2_to_3\n-- migrate:up\n"
        "SELECT 4;\n");
  CHECK(plan.children[1].file == "migrations/5_m5.sql");
  CHECK(plan.children[1].text == "-- depends: 1_m1 9_squash_2_to_3\n-- migrate:up\nSELECT 5;\n");
}

TEST_CASE("squash_plan: a range without children edits no file", "[squash]") {
  RevisionGraph graph = line_of_four();
  CHECK(plan_squash(graph, input(graph, "3", "4")).children.empty());
}

TEST_CASE("squash_plan: a child without a header to re-point refuses the squash", "[squash]") {
  RevisionGraph graph = line_of_four();
  SquashInput in = input(graph, "2", "3");
  in.child_texts = {"CREATE TABLE t4 (x INT);\n"};  // a golang-migrate .up.sql
  CHECK_THROWS_AS(plan_squash(graph, in), GraphError);
  CHECK_THROWS_WITH(plan_squash(graph, in),
                    Contains("migrations/4_m4.sql has no '-- migrate:up' line to put '-- "
                             "depends: 9_squash_2_to_3' above") &&
                        Contains("Nothing was written"));
}

// ---------------------------------------------------------------------------------------------
// --prune

TEST_CASE("squash_plan: the squashes are the migrations that replace others", "[squash]") {
  RevisionGraph graph = squashed_graph();
  CHECK(stems(graph, squashes_of(graph)) == Ids{"9_m9"});
  CHECK(squashes_of(line_of_four()).empty());
}

TEST_CASE("squash_plan: prune goes on when every database is before or past the squash",
          "[squash]") {
  RevisionGraph graph = squashed_graph();
  CHECK(prune_refusal(graph,
                      {{.description = "dev", .status = applied(graph, {})},
                       {.description = "staging", .status = applied(graph, {"1"})},
                       {.description = "prod", .status = applied(graph, {"1", "2", "3", "9"})},
                       {.description = "qa", .status = applied(graph, {"1", "9", "4"})}}) == "");
}

TEST_CASE("squash_plan: prune waits for a database half way through the range", "[squash]") {
  RevisionGraph graph = squashed_graph();
  std::string refusal =
      prune_refusal(graph, {{.description = "dev", .status = applied(graph, {"1"})},
                            {.description = "staging", .status = applied(graph, {"1", "2"})},
                            {.description = "prod", .status = applied(graph, {"1", "2", "3"})}});
  CHECK_THAT(refusal, Contains("not pruning, nothing was changed:\n"));
  CHECK_THAT(refusal, Contains("staging has applied part of what 9_m9 replaces: run "
                               "migrate-upgrade there first"));
  CHECK_THAT(refusal, Contains("prod has applied all of what 9_m9 replaces, but has not "
                               "recorded 9_m9 yet"));
  CHECK_THAT(refusal, !Contains("dev"));
}

TEST_CASE("squash_plan: a database that cannot be read stops prune, unless forced", "[squash]") {
  RevisionGraph graph = squashed_graph();
  std::vector<TargetRead> databases{{.description = "dev", .status = applied(graph, {})},
                                    {.description = "prod", .error = "connection refused"}};
  CHECK_THAT(prune_refusal(graph, databases),
             Contains("cannot check prod: connection refused") &&
                 Contains("(--force prunes although a database could not be checked)"));
  CHECK(prune_refusal(graph, databases, /*force=*/true) == "");
  // --force does not prune under a database that is half way.
  databases.push_back({.description = "staging", .status = applied(graph, {"1", "2"})});
  CHECK_THAT(prune_refusal(graph, databases, /*force=*/true), Contains("staging has applied part"));
}

TEST_CASE("squash_plan: a caller that passes the wrong children's texts is an InternalError",
          "[squash]") {
  RevisionGraph graph = line_of_four();
  SquashInput in = input(graph, "1", "2");
  in.child_texts.clear();  // 2 has a child, 3
  CHECK_THROWS_AS(plan_squash(graph, in), InternalError);
}

TEST_CASE("squash_plan: a name-ordered folder's migrations are not squashed", "[squash][stem]") {
  std::vector<Migration> migrations;
  for (const char* stem : {"0001_a", "0001_b"}) {
    Migration m = make_migration("1");
    m.id = MigrationId::from_row(stem);
    m.format = MigrationFormat::stem;
    migrations.push_back(std::move(m));
  }
  RevisionGraph graph(std::move(migrations));
  CHECK_THROWS_MATCHES(squash_range(graph, 0, 1), UsageError,
                       Catch::Message("0001_a is a name-ordered folder's migration: its files "
                                      "have no place for the '-- replaces:' line a squash "
                                      "needs, and maragudk/migrate would run a squash as a new "
                                      "migration. Squash such a folder by hand"));
}
