#include <catch2/catch.hpp>

#include "graph/revision_graph.hpp"
#include "migration/new_migration.hpp"
#include "renumber/renumber_plan.hpp"
#include "support/migration_builder.hpp"
#include "util/error.hpp"

using namespace migrate;
using migrate::test::make_migration;

namespace {

using Ids = std::vector<std::string>;

/// The next id is the one after (the tests have no clock).
MigrationId after(const MigrationId& id) {
  return id.next();
}

std::set<std::string> files_of(const std::vector<Migration>& migrations) {
  std::set<std::string> files;
  for (const Migration& m : migrations) {
    files.insert(m.file.filename().string());
  }
  return files;
}

/// Upstream: 100 <- 110 <- 120.
std::vector<Migration> upstream_set() {
  return {make_migration("100"), make_migration("110"), make_migration("120")};
}

std::vector<Migration> with(std::vector<Migration> base, const std::vector<Migration>& more) {
  base.insert(base.end(), more.begin(), more.end());
  std::sort(base.begin(), base.end(),
            [](const Migration& a, const Migration& b) { return a.id < b.id; });
  return base;
}

/// A migration with its own slug, its file named after it.
Migration slugged(const std::string& id, const Ids& parents, const std::string& slug) {
  Migration m = make_migration(id, parents);
  m.slug = slug;
  m.file = "migrations/" + id + "_" + slug + ".sql";
  return m;
}

RenumberPlan plan(const std::vector<Migration>& local, const std::vector<Migration>& upstream) {
  return plan_renumber(local, files_of(upstream), RevisionGraph(upstream), after);
}

}  // namespace

TEST_CASE("renumber: a branch already after upstream's head needs nothing", "[renumber]") {
  auto upstream = upstream_set();
  auto local = with(upstream, {make_migration("130", Ids{"120"}), make_migration("140")});
  RenumberPlan result = plan(local, upstream);
  CHECK(result.steps.empty());
  CHECK(result.branch.size() == 2);
  CHECK(result.upstream_head == "120_m120");
  CHECK(result.new_head == "140_m140");
}

TEST_CASE("renumber: ids older than upstream's newest move after it, in their order",
          "[renumber]") {
  auto upstream = upstream_set();
  // The branch forked at 100 and added 105 and 115; upstream went on to 110 and 120.
  auto local =
      with(upstream, {make_migration("105", Ids{"100"}), make_migration("115", Ids{"105"})});
  RenumberPlan result = plan(local, upstream);
  REQUIRE(result.steps.size() == 2);
  CHECK(local[result.steps[0].migration].id.text() == "105");
  CHECK(result.steps[0].new_id.text() == "121");
  CHECK(result.steps[0].new_stem == "121_m105");
  CHECK(result.steps[0].new_parent == "120_m120");
  CHECK(result.steps[0].renamed);
  CHECK(local[result.steps[1].migration].id.text() == "115");
  CHECK(result.steps[1].new_id.text() == "122");
  CHECK(result.steps[1].new_parent == "121_m105");
  CHECK(result.new_head == "122_m115");
}

TEST_CASE("renumber: a clashing id (the same minute on both sides) gets a new one", "[renumber]") {
  auto upstream = upstream_set();
  Migration mine = make_migration("120", Ids{"110"});
  mine.slug = "mine";
  mine.file = "migrations/120_mine.sql";
  auto local = with(upstream, {mine});
  RenumberPlan result = plan(local, upstream);
  REQUIRE(result.steps.size() == 1);
  CHECK(result.steps[0].new_stem == "121_mine");
  CHECK(result.steps[0].new_parent == "120_m120");
}

TEST_CASE("renumber: a newer id that depends on the old head is only re-pointed", "[renumber]") {
  auto upstream = upstream_set();
  auto local = with(upstream, {make_migration("130", Ids{"110"})});
  RenumberPlan result = plan(local, upstream);
  REQUIRE(result.steps.size() == 1);
  CHECK_FALSE(result.steps[0].renamed);
  CHECK(result.steps[0].new_id.text() == "130");
  CHECK(result.steps[0].new_parent == "120_m120");
}

TEST_CASE("renumber: a plan applied is a plan with nothing left to do", "[renumber]") {
  auto upstream = upstream_set();
  auto local =
      with(upstream, {make_migration("105", Ids{"100"}), make_migration("115", Ids{"105"})});
  RenumberPlan first = plan(local, upstream);
  std::vector<Migration> renumbered = upstream;
  for (const RenumberStep& step : first.steps) {
    Migration m = make_migration(step.new_id.text(), Ids{step.new_parent.substr(0, 3)});
    renumbered.push_back(m);
  }
  CHECK(plan(with(upstream, {renumbered[3], renumbered[4]}), upstream).steps.empty());
}

TEST_CASE("renumber: with no upstream migrations, the branch's first is a root", "[renumber]") {
  std::vector<Migration> upstream;
  auto local = std::vector<Migration>{make_migration("100")};
  RenumberPlan result = plan(local, upstream);
  CHECK(result.steps.empty());
  CHECK(result.upstream_head.empty());
  CHECK(result.new_head == "100_m100");
}

TEST_CASE("renumber: refuses a work tree that lacks upstream's migrations", "[renumber]") {
  auto upstream = upstream_set();
  // Not rebased yet: 120 is upstream only.
  auto local = std::vector<Migration>{make_migration("100"), make_migration("110"),
                                      make_migration("115", Ids{"110"})};
  CHECK_THROWS_WITH(plan(local, upstream),
                    Catch::Contains("lacks 1 of upstream's migrations (first: 120_m120)") &&
                        Catch::Contains("git rebase"));
}

TEST_CASE("renumber: refuses when upstream itself has several heads", "[renumber]") {
  std::vector<Migration> upstream{make_migration("100"), make_migration("110", Ids{"100"}),
                                  make_migration("120", Ids{"100"})};
  auto local = with(upstream, {make_migration("130", Ids{"120"})});
  CHECK_THROWS_AS(plan(local, upstream), UsageError);
  CHECK_THROWS_WITH(plan(local, upstream), Catch::Contains("2 heads (110_m110, 120_m120)"));
}

TEST_CASE("renumber: halfway through a rebase, a stale depends still orders the branch",
          "[renumber]") {
  auto upstream = upstream_set();
  // The first stop renumbered posts 105 -> 121; tags (115) still names "105_posts".
  Migration posts = make_migration("121", Ids{"120"});
  posts.slug = "posts";
  posts.file = "migrations/121_posts.sql";
  Migration tags = make_migration("115", Ids{"105_posts"});
  tags.slug = "tags";
  tags.file = "migrations/115_tags.sql";
  auto local = with(upstream, {posts, tags});
  RenumberPlan result = plan(local, upstream);
  REQUIRE(result.steps.size() == 1);
  CHECK(local[result.steps[0].migration].slug == "tags");
  CHECK(result.steps[0].new_stem == "122_tags");
  CHECK(result.steps[0].new_parent == "121_posts");
  CHECK(result.new_head == "122_tags");
}

TEST_CASE("renumber: a clash is named, and a pushed migration refused with the way out",
          "[renumber]") {
  auto upstream = upstream_set();
  auto local = with(upstream, {make_migration("105", Ids{"100"}), slugged("120", {"105"}, "mine")});
  RenumberPlan result = plan(local, upstream);
  REQUIRE(result.steps.size() == 2);
  const RenumberStep& posts = result.steps[0];  // 105: a free id
  const RenumberStep& clashing = result.steps[1];
  CHECK(posts.clash.empty());
  CHECK(clashing.clash == "120_m120");

  // Ids clash: only --force helps, and the message says so.
  CHECK_THAT(pushed_refusal(result, local, clashing, "origin/feature"),
             Catch::Contains("120_mine.sql is already on origin/feature, and upstream's "
                             "120_m120 has the same id") &&
                 Catch::Contains("`migrate renumber --force`"));
  CHECK_THAT(pushed_refusal(result, local, posts, "origin/feature"),
             Catch::Contains("105_m105.sql is already on origin/feature, and this branch's "
                             "120_mine.sql has the id of upstream's 120_m120"));

  // No clash: merging is the way, --force the exception.
  auto free = with(upstream, {make_migration("105", Ids{"100"})});
  RenumberPlan without = plan(free, upstream);
  REQUIRE(without.steps.size() == 1);
  CHECK_THAT(pushed_refusal(without, free, without.steps[0], "origin/x"),
             Catch::Contains("105_m105.sql is already on origin/x: whoever pulled") &&
                 Catch::Contains("Join the heads with `migrate merge` instead") &&
                 Catch::Contains("renumber anyway with --force"));
}

TEST_CASE("renumber: a Flyway file keeps its prefix and description", "[renumber][flyway]") {
  MigrationId old_id = *MigrationId::from_text("1_1");
  MigrationId new_id = *MigrationId::from_text("1.3");
  CHECK(renamed_file_name("db/V1_1__add_x.sql", old_id, new_id) == "V1.3__add_x.sql");
  CHECK(renamed_file_name("db/U1.1__add_x.sql", old_id, new_id) == "U1.3__add_x.sql");
  CHECK(renamed_file_name("db/V1.1.sql", old_id, new_id) == "V1.3.sql");
}

TEST_CASE("renumber: a name-ordered folder's stem gets the next number and keeps its words",
          "[renumber][stem]") {
  auto stem = [](const std::string& text) {
    Migration m;
    m.id = MigrationId::from_row(text);
    m.format = MigrationFormat::stem;
    m.file = "migrations/" + text + "_up.sql";
    return m;
  };
  std::vector<Migration> upstream{stem("0001_a"), stem("0002_y")};
  // This branch's 0002_x sorts before upstream's 0002_y, which a database may have applied.
  std::vector<Migration> local{stem("0001_a"), stem("0002_x"), stem("0002_y")};
  RenumberPlan result =
      plan_renumber(local, files_of(upstream), RevisionGraph(upstream),
                    [](const MigrationId& id) { return id_after(TimePoint{}, false, id); });
  REQUIRE(result.steps.size() == 1);
  const RenumberStep& step = result.steps[0];
  CHECK(step.migration == 1);
  CHECK(step.new_id.text() == "0003_x");
  CHECK(step.new_id.named());
  CHECK(step.new_stem == "0003_x");
  CHECK(step.new_parent == "0002_y");
  CHECK(step.renamed);
  CHECK(result.new_head == "0003_x");
  CHECK(renamed_file_name(local[1].file, local[1].id, step.new_id) == "0003_x_up.sql");
  CHECK(renamed_file_name("migrations/0002_x.down.sql", local[1].id, step.new_id) ==
        "0003_x.down.sql");
}
