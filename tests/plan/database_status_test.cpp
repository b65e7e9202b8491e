// reconcile(): how the migration files and the state table's rows relate — applied, pending,
// partial, changed, orphaned, renamed (DESIGN.md, "Semantics of applying"). The rows are read
// back from a real state table, as the tools do.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

#include "db/database_url.hpp"
#include "db/sqlite/sqlite_connection.hpp"
#include "graph/revision_graph.hpp"
#include "migration/checksum.hpp"
#include "plan/database_status.hpp"
#include "state/state_table.hpp"
#include "support/migration_builder.hpp"
#include "support/temp_dir.hpp"

using namespace migrate;
using namespace migrate::test;

namespace {

/// A state table in a real file; rows go in with insert_command and come back with read().
struct Db {
  TempDir dir;
  SqliteConnection driver{parse_database_url("sqlite://" + (dir / "db.sqlite").string(), "/"),
                          false, std::chrono::milliseconds(1000)};
  StateTable state{driver, "schema_migrations"};
  int clock = 0;

  Db() { state.ensure(); }

  AppliedMigration& add(AppliedMigration row) {
    if (row.applied_at.empty()) {
      row.applied_at = "2026-01-01T00:00:" + std::string(clock < 10 ? "0" : "") +
                       std::to_string(clock) + ".000Z";
      ++clock;
    }
    state.run(state.insert_command(row));
    m_added.push_back(std::move(row));
    return m_added.back();
  }
  /// The row a migration gets when it is applied.
  void apply(const Migration& m) {
    AppliedMigration row;
    row.id = m.id;
    row.checksum = m.checksum;
    row.title = m.title();
    add(row);
  }
  /// A row with no file: id, checksum and title as given.
  void orphan(std::string_view id, std::string checksum, std::string title) {
    AppliedMigration row;
    row.id = *MigrationId::from_digits(id);
    row.checksum = std::move(checksum);
    row.title = std::move(title);
    add(row);
  }
  DatabaseStatus status(const RevisionGraph& graph) { return reconcile(graph, state.read()); }

 private:
  std::vector<AppliedMigration> m_added;
};

std::vector<std::string> ids(const RevisionGraph& graph, const std::vector<std::size_t>& indexes) {
  std::vector<std::string> out;
  for (std::size_t i : indexes) {
    out.push_back(graph.at(i).id.text());
  }
  return out;
}

std::vector<std::string> row_ids(const DatabaseStatus& status,
                                 const std::vector<std::size_t>& rows) {
  std::vector<std::string> out;
  for (std::size_t r : rows) {
    out.push_back(status.rows[r].id.text());
  }
  return out;
}

std::vector<std::string> states(const DatabaseStatus& status) {
  std::vector<std::string> out;
  for (MigrationState s : status.state) {
    out.push_back(state_name(s));
  }
  return out;
}

std::size_t index_of(const RevisionGraph& graph, std::string_view id) {
  return *graph.find(*MigrationId::from_digits(id));
}

}  // namespace

TEST_CASE("database_status: no rows means everything is pending", "[plan]") {
  Db db;
  RevisionGraph graph({make_migration("1"), make_migration("2"), make_migration("3")});
  DatabaseStatus status = db.status(graph);
  CHECK(states(status) == std::vector<std::string>{"pending", "pending", "pending"});
  CHECK(ids(graph, status.pending) == std::vector<std::string>{"1", "2", "3"});
  CHECK(status.rows.empty());
  CHECK(status.orphans.empty());
  CHECK(status.renamed.empty());
  CHECK(status.changed.empty());
  CHECK(status.partial.empty());
  CHECK(status.applied_heads(graph).empty());
  for (std::size_t m = 0; m < graph.size(); ++m) {
    CHECK_FALSE(status.row_of[m]);
    CHECK_FALSE(status.applied(m));
  }
}

TEST_CASE("database_status: applied, pending, changed, partial and orphans", "[plan]") {
  Db db;
  RevisionGraph graph({make_migration("1", std::nullopt, "CREATE TABLE a (x);"),
                       make_migration("2", std::nullopt, "CREATE TABLE b (x);"),
                       make_migration("3", std::nullopt, "CREATE TABLE c (x);"),
                       make_migration("4", std::nullopt, "CREATE TABLE d (x);"),
                       make_migration("5", std::nullopt, "CREATE TABLE e (x);")});
  db.apply(graph.at(0));
  AppliedMigration changed;
  changed.id = graph.at(1).id;
  changed.checksum = section_checksum("CREATE TABLE b (x, y);");
  changed.title = "Migration 2";
  db.add(changed);
  AppliedMigration partial;
  partial.id = graph.at(2).id;
  partial.checksum = graph.at(2).checksum;
  partial.statements_done = 1;
  partial.statements_total = 3;
  db.add(partial);
  db.orphan("9", section_checksum("CREATE TABLE z (x);"), "From another branch");

  DatabaseStatus status = db.status(graph);
  CHECK(states(status) ==
        std::vector<std::string>{"applied", "changed", "partial", "pending", "pending"});
  CHECK(ids(graph, status.pending) == std::vector<std::string>{"4", "5"});
  CHECK(ids(graph, status.changed) == std::vector<std::string>{"2"});
  CHECK(ids(graph, status.partial) == std::vector<std::string>{"3"});
  CHECK(row_ids(status, status.orphans) == std::vector<std::string>{"9"});
  CHECK(status.renamed.empty());
  CHECK(status.applied(0));
  CHECK(status.applied(1));  // changed counts as applied
  CHECK_FALSE(status.applied(2));
  CHECK_FALSE(status.applied(3));
  REQUIRE(status.row_of[0]);
  CHECK(status.rows[*status.row_of[0]].id.text() == "1");
  CHECK(status.rows[*status.row_of[2]].statements_done == 1);
  CHECK_FALSE(status.row_of[3]);
  // The applied heads: 2 (changed, applied), since 3 is only partly applied.
  CHECK(ids(graph, status.applied_heads(graph)) == std::vector<std::string>{"2"});
}

TEST_CASE("database_status: a partial row whose file changed is partial, not changed", "[plan]") {
  Db db;
  RevisionGraph graph({make_migration("1", std::nullopt, "CREATE TABLE a (x);")});
  AppliedMigration partial;
  partial.id = graph.at(0).id;
  partial.checksum = "sha256:old";
  partial.statements_done = 0;
  partial.statements_total = 2;
  db.add(partial);
  DatabaseStatus status = db.status(graph);
  CHECK(states(status) == std::vector<std::string>{"partial"});
  CHECK(status.changed.empty());
}

TEST_CASE("database_status: a finished step-by-step row is applied", "[plan]") {
  Db db;
  RevisionGraph graph({make_migration("1")});
  AppliedMigration done;
  done.id = graph.at(0).id;
  done.checksum = graph.at(0).checksum;
  done.statements_done = 3;
  done.statements_total = 3;
  db.add(done);
  CHECK(states(db.status(graph)) == std::vector<std::string>{"applied"});
}

TEST_CASE("database_status: ids in rows match files as numbers", "[plan]") {
  Db db;
  RevisionGraph graph({make_migration("000001"), make_migration("000002")});
  db.orphan("1", graph.at(0).checksum, "Migration 000001");
  DatabaseStatus status = db.status(graph);
  CHECK(states(status) == std::vector<std::string>{"applied", "pending"});
  CHECK(status.orphans.empty());
}

TEST_CASE("database_status: a renumbered migration is recognised by its checksum", "[plan]") {
  Db db;
  RevisionGraph graph({make_migration("1", std::nullopt, "CREATE TABLE a (x);"),
                       make_migration("3", std::nullopt, "CREATE TABLE upstream (x);"),
                       make_migration("4", std::nullopt, "CREATE TABLE mine (x);")});
  db.apply(graph.at(0));
  // Applied as 2 before the rebase; upstream's 3 came in and the file is now 4.
  db.orphan("2", graph.at(2).checksum, "Add mine");

  DatabaseStatus status = db.status(graph);
  REQUIRE(status.renamed.size() == 1);
  CHECK(status.rows[status.renamed[0].row].id.text() == "2");
  CHECK(graph.at(status.renamed[0].migration).id.text() == "4");
  CHECK(states(status) == std::vector<std::string>{"applied", "pending", "applied"});
  CHECK(ids(graph, status.pending) == std::vector<std::string>{"3"});
  CHECK(status.orphans.empty());
  REQUIRE(status.row_of[2]);
  CHECK(status.rows[*status.row_of[2]].id.text() == "2");
}

TEST_CASE("database_status: a rename must be one to one", "[plan]") {
  Db db;
  SECTION("two pending files with the row's checksum: no rename") {
    RevisionGraph graph({make_migration("1", std::nullopt, "CREATE TABLE a (x);"),
                         make_migration("3", std::nullopt, "CREATE TABLE same (x);"),
                         make_migration("4", std::nullopt, "CREATE TABLE same (x);")});
    db.apply(graph.at(0));
    db.orphan("2", graph.at(1).checksum, "Migration 3");
    DatabaseStatus status = db.status(graph);
    CHECK(status.renamed.empty());
    CHECK(row_ids(status, status.orphans) == std::vector<std::string>{"2"});
    CHECK(ids(graph, status.pending) == std::vector<std::string>{"3", "4"});
  }
  SECTION("two orphan rows with one pending file's checksum: no rename") {
    RevisionGraph graph({make_migration("1", std::nullopt, "CREATE TABLE a (x);"),
                         make_migration("5", std::nullopt, "CREATE TABLE same (x);")});
    db.apply(graph.at(0));
    db.orphan("2", graph.at(1).checksum, "Migration 5");
    db.orphan("3", graph.at(1).checksum, "Migration 5");
    DatabaseStatus status = db.status(graph);
    CHECK(status.renamed.empty());
    CHECK(row_ids(status, status.orphans) == std::vector<std::string>{"2", "3"});
    CHECK(ids(graph, status.pending) == std::vector<std::string>{"5"});
  }
  SECTION("an applied file with the same checksum is not a rename target") {
    RevisionGraph graph({make_migration("1", std::nullopt, "CREATE TABLE a (x);")});
    db.apply(graph.at(0));
    db.orphan("7", graph.at(0).checksum, "Migration 1");
    DatabaseStatus status = db.status(graph);
    CHECK(status.renamed.empty());
    CHECK(row_ids(status, status.orphans) == std::vector<std::string>{"7"});
    CHECK(states(status) == std::vector<std::string>{"applied"});
  }
}

TEST_CASE("database_status: blank up sections are renames only with equal titles", "[plan]") {
  Db db;
  // Merge migrations: blank up sections, so every one has the same checksum.
  Migration merge = make_migration("4", std::vector<std::string>{"2", "3"}, "-- merge\n", "");
  merge.doc = {"Merge feature A"};
  RevisionGraph graph({make_migration("1"), make_migration("2", std::vector<std::string>{"1"}),
                       make_migration("3", std::vector<std::string>{"1"}), merge});
  REQUIRE(graph.at(3).up.blank());
  for (std::size_t m = 0; m < 3; ++m) {
    db.apply(graph.at(m));
  }
  SECTION("another title: an orphan, and the merge stays pending") {
    db.orphan("9", merge.checksum, "Merge feature B");
    DatabaseStatus status = db.status(graph);
    CHECK(status.renamed.empty());
    CHECK(row_ids(status, status.orphans) == std::vector<std::string>{"9"});
    CHECK(ids(graph, status.pending) == std::vector<std::string>{"4"});
  }
  SECTION("the same title: renamed") {
    db.orphan("9", merge.checksum, "Merge feature A");
    DatabaseStatus status = db.status(graph);
    REQUIRE(status.renamed.size() == 1);
    CHECK(graph.at(status.renamed[0].migration).id.text() == "4");
    CHECK(status.pending.empty());
    CHECK(status.orphans.empty());
    CHECK(ids(graph, status.applied_heads(graph)) == std::vector<std::string>{"4"});
  }
}

TEST_CASE("database_status: applied heads of a branched graph", "[plan]") {
  Db db;
  RevisionGraph graph({make_migration("1"), make_migration("2", std::vector<std::string>{"1"}),
                       make_migration("3", std::vector<std::string>{"1"}),
                       make_migration("4", std::vector<std::string>{"2"})});
  db.apply(graph.at(index_of(graph, "1")));
  db.apply(graph.at(index_of(graph, "2")));
  db.apply(graph.at(index_of(graph, "3")));
  DatabaseStatus status = db.status(graph);
  CHECK(ids(graph, status.applied_heads(graph)) == std::vector<std::string>{"2", "3"});
  CHECK(ids(graph, status.pending) == std::vector<std::string>{"4"});
}

TEST_CASE("database_status: state names", "[plan]") {
  CHECK(std::string(state_name(MigrationState::pending)) == "pending");
  CHECK(std::string(state_name(MigrationState::applied)) == "applied");
  CHECK(std::string(state_name(MigrationState::changed)) == "changed");
  CHECK(std::string(state_name(MigrationState::partial)) == "partial");
}

TEST_CASE("database_status: after a renumber an id can name another migration", "[plan]") {
  Db db;
  // This database applied 1, then the branch's 2 (posts) and 3 (tags). Upstream's 2
  // (comments) took id 2; renumbering moved posts to 3 and tags to 4.
  Migration comments = make_migration("2", std::nullopt, "CREATE TABLE comments (x);");
  Migration posts = make_migration("3", std::nullopt, "CREATE TABLE posts (x);");
  Migration tags = make_migration("4", std::nullopt, "CREATE TABLE tags (x);");
  RevisionGraph graph({make_migration("1"), comments, posts, tags});
  db.apply(graph.at(0));
  db.orphan("2", posts.checksum, posts.title());
  db.orphan("3", tags.checksum, tags.title());
  DatabaseStatus status = db.status(graph);
  CHECK(ids(graph, status.pending) == std::vector<std::string>{"2"});
  REQUIRE(status.renamed.size() == 2);
  CHECK(status.orphans.empty());
  CHECK(status.changed.empty());
  CHECK(status.state[2] == MigrationState::applied);
  CHECK(status.state[3] == MigrationState::applied);
}

TEST_CASE("database_status: an id whose title and up section were both edited is changed",
          "[plan]") {
  Db db;
  RevisionGraph graph({make_migration("1", std::nullopt, "CREATE TABLE a (x);")});
  db.orphan("1", "sha256:another", "Another title");
  DatabaseStatus status = db.status(graph);
  CHECK(status.orphans.empty());
  CHECK(ids(graph, status.changed) == std::vector<std::string>{"1"});
}

TEST_CASE("database_status: describe_position names the applied heads, few of many", "[plan]") {
  Db db;
  std::vector<Migration> migrations;
  for (int i = 1; i <= 8; ++i) {
    migrations.push_back(make_migration(std::to_string(i)));
  }
  RevisionGraph graph(migrations);
  CHECK(describe_position(graph, db.status(graph)) == "nothing applied");
  db.apply(graph.at(0));
  db.apply(graph.at(1));
  CHECK(describe_position(graph, db.status(graph)) == graph.at(1).stem());
  std::vector<std::size_t> all(graph.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    all[i] = i;
  }
  std::string listed = list_stems(graph, all, 3);
  CHECK(listed.starts_with(graph.at(0).stem() + ", " + graph.at(1).stem() + ", " +
                           graph.at(2).stem()));
  CHECK_THAT(listed, Catch::Contains("8"));
  CHECK_THAT(listed, !Catch::Contains(graph.at(3).stem()));
}

TEST_CASE("database_status: a repeatable is due until it is applied with its checksum", "[plan]") {
  Db db;
  RevisionGraph graph(
      {make_migration("1"), make_repeatable("views", "CREATE VIEW v AS SELECT 1;")});
  REQUIRE(graph.size() == 1);
  REQUIRE(graph.repeatables().size() == 1);
  const Migration& views = graph.repeatables().front();
  DatabaseStatus fresh = db.status(graph);
  CHECK(fresh.repeatables_due == std::vector<std::size_t>{0});
  CHECK(std::string(repeatable_due_reason(fresh, 0)) == "never applied here");
  CHECK_FALSE(fresh.up_to_date());

  db.apply(graph.at(0));
  db.apply(views);
  DatabaseStatus applied = db.status(graph);
  CHECK(applied.repeatables_due.empty());
  CHECK(applied.repeatable_row[0] == std::optional<std::size_t>(1));
  CHECK(applied.orphans.empty());  // its row is no orphan
  CHECK(applied.up_to_date());
  // Its id is a name: no place among the versions.
  CHECK(applied.rows[1].id.named());
  CHECK(is_repeatable_row(graph, applied.rows[1]));
  CHECK_FALSE(is_repeatable_row(graph, applied.rows[0]));
  // A migration of the graph whose id starts so (a name-ordered folder's stem) is no repeatable.
  AppliedMigration stem;
  stem.id = MigrationId::from_name("R__x");
  Migration named = make_migration("1");
  named.id = stem.id;
  CHECK_FALSE(is_repeatable_row(RevisionGraph({named}), stem));

  RevisionGraph edited(
      {make_migration("1"), make_repeatable("views", "CREATE VIEW v AS SELECT 2;")});
  DatabaseStatus changed = db.status(edited);
  CHECK(changed.repeatables_due == std::vector<std::size_t>{0});
  CHECK(std::string(repeatable_due_reason(changed, 0)) == "changed since applied");
  CHECK(changed.changed.empty());  // a repeatable's edit is no versioned migration's
  CHECK_FALSE(changed.up_to_date());
}

TEST_CASE("database_status: a repeatable's placeholders make it due when their values change",
          "[plan]") {
  Db db;
  Migration grants = make_repeatable("grants", "GRANT SELECT ON t TO ${user};");
  RevisionGraph graph({make_migration("1"), grants});
  PlaceholderValues alice{{"user", "alice"}};
  PlaceholderValues bob{{"user", "bob"}};
  // Applied with alice: the row holds the checksum of the text that ran.
  AppliedMigration row;
  row.id = grants.id;
  row.checksum = section_checksum("GRANT SELECT ON t TO alice;");
  row.title = "grants";
  db.add(row);
  CHECK(reconcile(graph, db.state.read(), &alice).repeatables_due.empty());
  CHECK(reconcile(graph, db.state.read(), &alice).repeatable_checksum ==
        std::vector<std::string>{row.checksum});
  CHECK(reconcile(graph, db.state.read(), &bob).repeatables_due == std::vector<std::size_t>{0});
  // Without the values (or with one missing) only the file's checksum is known.
  CHECK(reconcile(graph, db.state.read()).repeatables_due == std::vector<std::size_t>{0});
  PlaceholderValues none;
  CHECK(reconcile(graph, db.state.read(), &none).repeatable_checksum ==
        std::vector<std::string>{grants.checksum});
}

TEST_CASE("database_status: a repeatable's row whose file is gone is kept apart, no orphan",
          "[plan]") {
  Db db;
  Migration v1 = make_migration("1");
  v1.format = MigrationFormat::flyway;
  RevisionGraph graph({v1});
  db.apply(graph.at(0));
  db.apply(make_repeatable("gone", "CREATE VIEW g AS SELECT 1;"));
  AppliedMigration partial;
  partial.id = MigrationId::from_name("R__half");
  partial.checksum = section_checksum("SELECT 1;");
  partial.statements_done = 1;
  partial.statements_total = 2;
  db.add(partial);
  RevisionGraph with_half({make_migration("1"), make_repeatable("half", "SELECT 1;")});
  DatabaseStatus status = db.status(graph);
  CHECK(status.orphans.empty());
  CHECK(row_ids(status, status.removed_repeatables) ==
        std::vector<std::string>{"R__gone", "R__half"});
  CHECK(status.up_to_date());
  DatabaseStatus half = db.status(with_half);
  CHECK(half.repeatables_due == std::vector<std::size_t>{0});
  CHECK(std::string(repeatable_due_reason(half, 0)) == "stopped part-way");
}

TEST_CASE("database_status: outside a Flyway folder, a gone R__ stem is an orphan", "[plan]") {
  Db db;
  auto stem_migration = [](const char* stem) {
    Migration m = make_migration("1", std::nullopt, std::string("SELECT '") + stem + "';");
    m.id = MigrationId::from_name(stem);
    m.format = MigrationFormat::stem;
    return m;
  };
  Migration stem = stem_migration("R__x");
  db.apply(stem);
  Migration other = stem_migration("a");
  DatabaseStatus status = db.status(RevisionGraph({other}));
  CHECK(status.removed_repeatables.empty());
  CHECK(row_ids(status, status.orphans) == std::vector<std::string>{"R__x"});
}
