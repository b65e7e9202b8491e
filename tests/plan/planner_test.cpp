// The planner: what an upgrade or a downgrade runs, in which order and why, and what it refuses
// before anything runs (DESIGN.md, "Semantics of applying"). The graphs are built in memory; the
// rows are the state table's rows as reconcile() receives them.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "graph/revision_graph.hpp"
#include "migration/checksum.hpp"
#include "plan/database_status.hpp"
#include "plan/planner.hpp"
#include "support/migration_builder.hpp"
#include "util/error.hpp"

using namespace migrate;
using namespace migrate::test;

namespace {

using Deps = std::vector<std::string>;

/// Rows as the state table returns them, with applied_at in the order they are added unless given.
class Rows {
 public:
  Rows& applied(const Migration& m, std::string at = "") {
    AppliedMigration row;
    row.id = m.id;
    row.checksum = m.checksum;
    row.title = m.title();
    row.down_sql = m.down ? "-- migrate:down\n" + m.down->sql : "";
    return add(std::move(row), std::move(at));
  }
  Rows& with_checksum(const Migration& m, std::string checksum) {
    applied(m);
    m_rows.back().checksum = std::move(checksum);
    return *this;
  }
  Rows& partial(const Migration& m, int done, int total) {
    applied(m);
    m_rows.back().statements_done = done;
    m_rows.back().statements_total = total;
    return *this;
  }
  Rows& orphan(std::string_view id, std::string title, std::string down_sql,
               std::string checksum = "sha256:orphan", std::string at = "") {
    AppliedMigration row;
    row.id = *MigrationId::from_digits(id);
    row.checksum = std::move(checksum);
    row.title = std::move(title);
    row.down_sql = std::move(down_sql);
    return add(std::move(row), std::move(at));
  }
  std::vector<AppliedMigration> rows() const { return m_rows; }

 private:
  Rows& add(AppliedMigration row, std::string at) {
    row.applied_at = at.empty() ? "2026-01-01T00:00:" + two_digits(m_rows.size()) + ".000Z" : at;
    m_rows.push_back(std::move(row));
    return *this;
  }
  static std::string two_digits(std::size_t n) { return (n < 10 ? "0" : "") + std::to_string(n); }
  std::vector<AppliedMigration> m_rows;
};

UpgradeRequest upgrade_to(std::string_view target = "head") {
  return {.target = parse_revision_spec(target)};
}

Plan upgrade(const RevisionGraph& graph, const Rows& rows, UpgradeRequest request = upgrade_to()) {
  DatabaseStatus status = reconcile(graph, rows.rows());
  return plan_upgrade(graph, status, request);
}

Plan downgrade(const RevisionGraph& graph, const Rows& rows, std::string_view target) {
  DatabaseStatus status = reconcile(graph, rows.rows());
  return plan_downgrade(graph, status, parse_revision_spec(target));
}

/// "apply 1", "revert 7", "re-key 2->3": the plan in one line per step.
std::vector<std::string> steps(const Plan& plan) {
  std::vector<std::string> out;
  for (const PlanStep& step : plan.steps) {
    std::string text = std::string(step_verb(step)) + " ";
    if (step.kind == PlanStep::Kind::rekey) {
      text += step.old_id.text() + "->";
    }
    out.push_back(text + step.id.text());
  }
  return out;
}

/// Runs `f`, expecting an Error; returns it.
template <typename F>
std::pair<ExitCode, std::string> error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return {e.exit_code(), e.what()};
  }
  FAIL("no error thrown");
  return {ExitCode::success, ""};
}

/// 1 <- 2 <- 4, 1 <- 3: two branches, 4 and 3 are the heads.
RevisionGraph branched() {
  return RevisionGraph({make_migration("1"), make_migration("2", Deps{"1"}),
                        make_migration("3", Deps{"1"}), make_migration("4", Deps{"2"})});
}

RevisionGraph linear(int n) {
  std::vector<Migration> migrations;
  for (int i = 1; i <= n; ++i) {
    migrations.push_back(make_migration(std::to_string(i), std::nullopt,
                                        "CREATE TABLE t" + std::to_string(i) + " (x);",
                                        "DROP TABLE t" + std::to_string(i) + ";"));
  }
  return RevisionGraph(std::move(migrations));
}

const Migration& by_id(const RevisionGraph& graph, std::string_view id) {
  return graph.at(*graph.find(*MigrationId::from_digits(id)));
}

}  // namespace

TEST_CASE("planner: upgrade applies every pending migration in topological order", "[plan]") {
  // 3 depends on 5: the order is topological, not by id.
  RevisionGraph graph({make_migration("1"), make_migration("5", Deps{"1"}),
                       make_migration("3", Deps{"5"}), make_migration("7", Deps{"3"})});
  Plan plan = upgrade(graph, Rows{});
  CHECK(steps(plan) == std::vector<std::string>{"apply 1", "apply 5", "apply 3", "apply 7"});
  CHECK(plan.notes.empty());
  const PlanStep& step = plan.steps[1];
  CHECK(step.stem == "5_m5");
  CHECK(step.title == "Migration 5");
  CHECK(step.migration == &by_id(graph, "5"));
  CHECK(step.section.sql == by_id(graph, "5").up.sql);
  CHECK(step.reason == "pending");
  CHECK(step.resume_from == 0);
}

TEST_CASE("planner: upgrade skips what is applied", "[plan]") {
  RevisionGraph graph = linear(4);
  Rows rows;
  rows.applied(graph.at(0)).applied(graph.at(1));
  CHECK(steps(upgrade(graph, rows)) == std::vector<std::string>{"apply 3", "apply 4"});
  rows.applied(graph.at(2)).applied(graph.at(3));
  CHECK(upgrade(graph, rows).empty());
}

TEST_CASE("planner: upgrade to a target applies only its ancestors", "[plan]") {
  RevisionGraph graph = branched();
  CHECK(steps(upgrade(graph, Rows{}, upgrade_to("4"))) ==
        std::vector<std::string>{"apply 1", "apply 2", "apply 4"});
  CHECK(steps(upgrade(graph, Rows{}, upgrade_to("3"))) ==
        std::vector<std::string>{"apply 1", "apply 3"});
  CHECK(steps(upgrade(graph, Rows{}, upgrade_to("2_m2"))) ==
        std::vector<std::string>{"apply 1", "apply 2"});
  CHECK(steps(upgrade(graph, Rows{}, upgrade_to("4~1"))) ==
        std::vector<std::string>{"apply 1", "apply 2"});
  CHECK(steps(upgrade(graph, Rows{}, upgrade_to("heads"))) ==
        std::vector<std::string>{"apply 1", "apply 2", "apply 3", "apply 4"});
  CHECK(upgrade(graph, Rows{}, upgrade_to("base")).empty());
  Rows some;
  some.applied(graph.at(0)).applied(by_id(graph, "3"));
  CHECK(steps(upgrade(graph, some, upgrade_to("4"))) ==
        std::vector<std::string>{"apply 2", "apply 4"});
}

TEST_CASE("planner: upgrade to head with several heads names them (exit 2)", "[plan]") {
  RevisionGraph graph = branched();
  auto [code, message] = error_of([&] { upgrade(graph, Rows{}); });
  CHECK(code == ExitCode::bad_input);
  CHECK_THAT(message, Catch::Contains("there are 2 heads: 3_m3, 4_m4"));
  auto [code2, message2] = error_of([&] { upgrade(graph, Rows{}, upgrade_to("9")); });
  CHECK(code2 == ExitCode::bad_input);
  CHECK_THAT(message2, Catch::Contains("unknown revision '9'"));
}

TEST_CASE("planner: upgrade +N applies the next N pending", "[plan]") {
  RevisionGraph graph = linear(5);
  Rows rows;
  rows.applied(graph.at(0));
  CHECK(steps(upgrade(graph, rows, upgrade_to("+2"))) ==
        std::vector<std::string>{"apply 2", "apply 3"});
  CHECK(steps(upgrade(graph, rows, upgrade_to("+1"))) == std::vector<std::string>{"apply 2"});
  CHECK(steps(upgrade(graph, rows, upgrade_to("+4"))) ==
        std::vector<std::string>{"apply 2", "apply 3", "apply 4", "apply 5"});
  auto [code, message] = error_of([&] { upgrade(graph, rows, upgrade_to("+0")); });
  CHECK(code == ExitCode::bad_input);
  CHECK_THAT(message, Catch::StartsWith("upgrade +0: that is where the database is already"));
}

TEST_CASE("planner: upgrade +N past the last pending migration says how many (exit 2)", "[plan]") {
  RevisionGraph graph = linear(5);
  Rows rows;
  rows.applied(graph.at(0));
  auto [code, message] = error_of([&] { upgrade(graph, rows, upgrade_to("+9")); });
  CHECK(code == ExitCode::bad_input);
  CHECK(message == "upgrade +9: only 4 migrations are pending here: use +4, or head");
}

TEST_CASE("planner: the target is checked before changed migrations", "[plan]") {
  RevisionGraph graph = linear(2);
  Rows rows;
  rows.with_checksum(graph.at(0), "sha256:old");
  auto [code, message] = error_of([&] { upgrade(graph, rows, upgrade_to("7")); });
  CHECK(code == ExitCode::bad_input);
  CHECK_THAT(message, Catch::StartsWith("unknown revision '7'"));
}

TEST_CASE("planner: an up section without a statement is refused unless a merge or allowed",
          "[plan]") {
  RevisionGraph graph({make_migration("1"), make_migration("2", Deps{"1"}, "-- to do\n"),
                       make_migration("3", Deps{"1"}), make_migration("4", Deps{"2", "3"}, "")});
  auto [code, message] = error_of([&] { upgrade(graph, Rows{}, upgrade_to("heads")); });
  CHECK(code == ExitCode::bad_input);
  CHECK_THAT(message, Catch::Contains("nothing to apply: the up section of 2_m2 has no statement"));
  UpgradeRequest allowed = upgrade_to("heads");
  allowed.allow_empty = true;
  CHECK(steps(upgrade(graph, Rows{}, allowed)) ==
        std::vector<std::string>{"apply 1", "apply 2", "apply 3", "apply 4"});
  // Up to 3 and then the merge 4 (empty by design) is fine once 2 is applied.
  Rows rows;
  rows.applied(graph.at(0)).applied(by_id(graph, "2"));
  CHECK(steps(upgrade(graph, rows, upgrade_to("heads"))) ==
        std::vector<std::string>{"apply 3", "apply 4"});
}

TEST_CASE("planner: upgrade -N is refused, pointing at downgrade (exit 2)", "[plan]") {
  RevisionGraph graph = linear(2);
  auto [code, message] = error_of([&] { upgrade(graph, Rows{}, upgrade_to("-1")); });
  CHECK(code == ExitCode::bad_input);
  CHECK_THAT(message, Catch::Contains("upgrade to '-1' would go back: use migrate-downgrade -1"));
}

TEST_CASE("planner: a child older than its applied parent (a squash) is in order", "[plan]") {
  // migrate-squash gives the squash a new id, after its children's: 3 -> 9 (the squash) -> 4.
  RevisionGraph graph({make_migration("3"), make_migration("9", Deps{"3"}),
                       make_migration("4", Deps{"9"}), make_migration("5", Deps{"4"})});
  Rows rows;
  rows.applied(graph.at(0)).applied(by_id(graph, "9"));
  UpgradeRequest request = upgrade_to();
  request.strict = true;
  Plan plan = upgrade(graph, rows, request);
  CHECK(steps(plan) == std::vector<std::string>{"apply 4", "apply 5"});
  CHECK(plan.notes.empty());
  CHECK(plan.steps[0].reason == "pending");
}

TEST_CASE("planner: a pending migration older than the newest applied is out of order", "[plan]") {
  // 2 arrived through a merge after 3 was applied; 4 comes after both.
  RevisionGraph graph({make_migration("1"), make_migration("2", Deps{"1"}),
                       make_migration("3", Deps{"1"}), make_migration("4", Deps{"2", "3"})});
  Rows rows;
  rows.applied(graph.at(0)).applied(by_id(graph, "3"));

  SECTION("applied, with a note") {
    Plan plan = upgrade(graph, rows);
    CHECK(steps(plan) == std::vector<std::string>{"apply 2", "apply 4"});
    CHECK(plan.steps[0].reason == "pending, older than 3, applied already: out of order");
    CHECK(plan.steps[1].reason == "pending");
    CHECK(plan.notes == std::vector<std::string>{
                            "2_m2 is older than 3, which is applied and does not come before it: "
                            "applying it out of order (it probably arrived through a merge)"});
  }
  SECTION("--strict refuses (exit 3), naming the file") {
    UpgradeRequest request = upgrade_to();
    request.strict = true;
    auto [code, message] = error_of([&] { upgrade(graph, rows, request); });
    CHECK(code == ExitCode::check_failed);
    CHECK_THAT(message, Catch::StartsWith("--strict: 1 pending migration is older than "
                                          "migrations applied already: migrations/2_m2.sql "
                                          "(older than 3)."));
    CHECK_THAT(message, Catch::Contains("migrate-renumber"));
    CHECK_THAT(message, !Catch::Contains("4_m4"));
  }
  SECTION("--strict passes when nothing is out of order") {
    UpgradeRequest request = upgrade_to();
    request.strict = true;
    Rows in_order;
    in_order.applied(graph.at(0));
    CHECK(steps(upgrade(graph, in_order, request)) ==
          std::vector<std::string>{"apply 2", "apply 3", "apply 4"});
  }
}

TEST_CASE("planner: an applied migration whose file changed stops the upgrade (exit 3)", "[plan]") {
  RevisionGraph graph = linear(3);
  std::string old_checksum = section_checksum("CREATE TABLE t1 (x, y);");
  Rows rows;
  rows.with_checksum(graph.at(0), old_checksum).applied(graph.at(1));

  auto [code, message] = error_of([&] { upgrade(graph, rows); });
  CHECK(code == ExitCode::check_failed);
  CHECK_THAT(message, Catch::StartsWith("1 applied migration was changed since it was applied:"));
  CHECK_THAT(message, Catch::Contains("migrations/1_m1.sql: applied with " + old_checksum +
                                      ", the file now has " + graph.at(0).checksum));
  CHECK_THAT(message, Catch::Contains("--allow-changed"));

  UpgradeRequest allowed = upgrade_to();
  allowed.allow_changed = true;
  Plan plan = upgrade(graph, rows, allowed);
  CHECK(steps(plan) == std::vector<std::string>{"apply 3"});  // the changed one is not re-run
}

TEST_CASE("planner: several changed migrations are all listed", "[plan]") {
  RevisionGraph graph = linear(3);
  Rows rows;
  rows.with_checksum(graph.at(0), "sha256:aaa").with_checksum(graph.at(1), "sha256:bbb");
  auto [code, message] = error_of([&] { upgrade(graph, rows); });
  CHECK(code == ExitCode::check_failed);
  CHECK_THAT(message, Catch::StartsWith("2 applied migrations were changed since they were"));
  CHECK_THAT(message, Catch::Contains("migrations/1_m1.sql: applied with sha256:aaa"));
  CHECK_THAT(message, Catch::Contains("migrations/2_m2.sql: applied with sha256:bbb"));
}

TEST_CASE("planner: a partly applied migration is resumed", "[plan]") {
  RevisionGraph graph = linear(3);
  Rows rows;
  rows.applied(graph.at(0)).partial(graph.at(1), 2, 5);
  Plan plan = upgrade(graph, rows);
  CHECK(steps(plan) == std::vector<std::string>{"resume 2", "apply 3"});
  CHECK(plan.steps[0].resume_from == 2);
  CHECK(plan.steps[0].reason == "stopped after statement 2 of 5: resumes at 3");
  CHECK(plan.steps[0].section.sql == graph.at(1).up.sql);
  CHECK(plan.notes.empty());
  // +1 counts the resume as the one step.
  CHECK(steps(upgrade(graph, rows, upgrade_to("+1"))) == std::vector<std::string>{"resume 2"});
}

TEST_CASE("planner: resuming a migration whose file changed since it stopped notes it", "[plan]") {
  RevisionGraph graph = linear(2);
  Rows rows;
  rows.applied(graph.at(0)).partial(graph.at(1), 1, 3);
  std::vector<AppliedMigration> data = rows.rows();
  data[1].checksum = "sha256:before-the-fix";
  DatabaseStatus status = reconcile(graph, data);
  Plan plan = plan_upgrade(graph, status, upgrade_to());  // not refused as "changed"
  CHECK(steps(plan) == std::vector<std::string>{"resume 2"});
  CHECK(plan.notes == std::vector<std::string>{"2_m2 changed since it stopped part-way; its "
                                               "first 1 statements are not run again"});
}

TEST_CASE("planner: a renumbered migration's row is re-keyed first, nothing re-run", "[plan]") {
  // 4 was 2 before a rebase; upstream's 3 is new here.
  RevisionGraph graph({make_migration("1"), make_migration("3", std::nullopt, "CREATE TABLE up;"),
                       make_migration("4", std::nullopt, "CREATE TABLE mine;")});
  Rows rows;
  rows.applied(graph.at(0))
      .orphan("2", "Migration 4", "-- migrate:down\nDROP TABLE mine;", graph.at(2).checksum);
  Plan plan = upgrade(graph, rows);
  CHECK(steps(plan) == std::vector<std::string>{"re-key 2->4", "apply 3"});
  CHECK(plan.steps[0].reason ==
        "renumbered from 2 (same checksum): the row is re-keyed, nothing runs");
  CHECK(plan.steps[0].migration == &graph.at(2));
}

TEST_CASE("planner: re-keys shifting ids up run from the top, none onto a held id", "[plan]") {
  // Renumbering moved 5 -> 6 and 6 -> 7: 6's row must move before 5's can take its id.
  RevisionGraph graph({make_migration("1"), make_migration("6", std::nullopt, "CREATE TABLE a;"),
                       make_migration("7", std::nullopt, "CREATE TABLE b;")});
  Rows rows;
  rows.applied(graph.at(0))
      .orphan("5", "Migration 6", "", graph.at(1).checksum)
      .orphan("6", "Migration 7", "", graph.at(2).checksum);
  CHECK(steps(upgrade(graph, rows)) == std::vector<std::string>{"re-key 6->7", "re-key 5->6"});
}

TEST_CASE("planner: a re-key onto an id another row keeps is refused (exit 2)", "[plan]") {
  // 3 was renumbered to 4, but this database still has an orphan row 4 of something else.
  RevisionGraph graph({make_migration("1"), make_migration("4", std::nullopt, "CREATE TABLE b;")});
  Rows rows;
  rows.applied(graph.at(0))
      .orphan("3", "Migration 4", "", graph.at(1).checksum)
      .orphan("4", "Gone", "-- migrate:down\nDROP TABLE x;", "sha256:other");
  auto [code, message] = error_of([&] { upgrade(graph, rows); });
  CHECK(code == ExitCode::bad_input);
  CHECK_THAT(message,
             Catch::Contains("renumbered from 3") && Catch::Contains("another row under 4 (Gone)"));
}

TEST_CASE("planner: downgrade -N reverts the last N applied", "[plan]") {
  RevisionGraph graph = linear(4);
  Rows rows;
  rows.applied(graph.at(0)).applied(graph.at(1)).applied(graph.at(2));
  Plan one = downgrade(graph, rows, "-1");
  CHECK(steps(one) == std::vector<std::string>{"revert 3"});
  CHECK(one.steps[0].section.sql == "DROP TABLE t3;");
  CHECK(one.steps[0].migration == &graph.at(2));
  CHECK(one.steps[0].reason == "applied, and not an ancestor of the target");
  CHECK(steps(downgrade(graph, rows, "-2")) == std::vector<std::string>{"revert 3", "revert 2"});
  CHECK(steps(downgrade(graph, rows, "-3")) ==
        std::vector<std::string>{"revert 3", "revert 2", "revert 1"});
  CHECK_THAT(error_of([&] { downgrade(graph, rows, "-0"); }).second,
             Catch::StartsWith("downgrade -0: that is where the database is already"));
  auto [code, message] = error_of([&] { downgrade(graph, rows, "-7"); });
  CHECK(code == ExitCode::bad_input);
  CHECK(message == "downgrade -7: only 3 migrations are applied here: use -3, or base");
  auto [none_code, none] = error_of([&] { downgrade(graph, Rows{}, "-1"); });
  CHECK(none == "downgrade -1: no migration is applied here, so there is nothing to downgrade");
}

TEST_CASE("planner: which down section reverts a migration edited after it was applied", "[plan]") {
  RevisionGraph applied_as = linear(1);
  Rows rows;
  rows.applied(applied_as.at(0));  // stores "DROP TABLE t1;"
  SECTION("the up section changed: the stored down, with a note") {
    RevisionGraph now(
        {make_migration("1", std::nullopt, "CREATE TABLE u1 (x);", "DROP TABLE u1;")});
    Plan plan = downgrade(now, rows, "base");
    REQUIRE(plan.steps.size() == 1);
    CHECK(plan.steps[0].section.sql == "DROP TABLE t1;");
    REQUIRE(plan.notes.size() == 1);
    CHECK_THAT(plan.notes[0], Catch::Contains("its up section was edited after it was applied"));
  }
  SECTION("only the down section changed: the file's, with a note") {
    RevisionGraph now(
        {make_migration("1", std::nullopt, "CREATE TABLE t1 (x);", "DROP TABLE IF EXISTS t1;")});
    Plan plan = downgrade(now, rows, "base");
    CHECK(plan.steps.at(0).section.sql == "DROP TABLE IF EXISTS t1;");
    REQUIRE(plan.notes.size() == 1);
    CHECK_THAT(plan.notes[0], Catch::Contains("differs from the one stored when it was applied; "
                                              "running the file's"));
  }
  SECTION("nothing changed: the file's, no note") {
    Plan plan = downgrade(applied_as, rows, "base");
    CHECK(plan.steps.at(0).section.sql == "DROP TABLE t1;");
    CHECK(plan.notes.empty());
  }
}

TEST_CASE("planner: redo reverts with the stored down, then applies the files, parents first",
          "[plan]") {
  RevisionGraph applied_as = linear(3);
  Rows rows;
  rows.applied(applied_as.at(0)).applied(applied_as.at(1)).applied(applied_as.at(2));
  // 2 was edited since: its up and down both differ now.
  RevisionGraph now({applied_as.at(0),
                     make_migration("2", std::nullopt, "CREATE TABLE v2 (x);", "DROP TABLE v2;"),
                     applied_as.at(2)});
  DatabaseStatus status = reconcile(now, rows.rows());
  Plan last = plan_redo(now, status, parse_revision_spec("-1"));
  CHECK(steps(last) == std::vector<std::string>{"revert 3", "apply 3"});
  Plan two = plan_redo(now, status, parse_revision_spec("2"));
  CHECK(steps(two) == std::vector<std::string>{"revert 3", "revert 2", "apply 2", "apply 3"});
  CHECK(two.steps[1].section.sql == "DROP TABLE t2;");  // stored, not the file's DROP TABLE v2
  CHECK(two.steps[2].section.sql == "CREATE TABLE v2 (x);");
  auto [code, message] = error_of([&] { plan_redo(now, status, parse_revision_spec("-4")); });
  CHECK(code == ExitCode::bad_input);
  CHECK(message == "redo -4: only 3 migrations are applied here: use -3, or an id");
}

TEST_CASE("planner: downgrade +N is refused (exit 2)", "[plan]") {
  RevisionGraph graph = linear(2);
  auto [code, message] = error_of([&] { downgrade(graph, Rows{}, "+1"); });
  CHECK(code == ExitCode::bad_input);
  CHECK_THAT(message, Catch::Contains("would go forward: use migrate-upgrade +1"));
}

TEST_CASE("planner: downgrade to an id or to base", "[plan]") {
  RevisionGraph graph = linear(4);
  Rows rows;
  for (std::size_t m = 0; m < 4; ++m) {
    rows.applied(graph.at(m));
  }
  CHECK(steps(downgrade(graph, rows, "2")) == std::vector<std::string>{"revert 4", "revert 3"});
  CHECK(steps(downgrade(graph, rows, "4")).empty());
  CHECK(steps(downgrade(graph, rows, "4~3")) ==
        std::vector<std::string>{"revert 4", "revert 3", "revert 2"});
  CHECK(steps(downgrade(graph, rows, "base")) ==
        std::vector<std::string>{"revert 4", "revert 3", "revert 2", "revert 1"});
}

TEST_CASE("planner: downgrade to an id keeps only its ancestors of a branched graph", "[plan]") {
  RevisionGraph graph = branched();
  Rows rows;
  rows.applied(graph.at(0))
      .applied(by_id(graph, "2"))
      .applied(by_id(graph, "3"))
      .applied(by_id(graph, "4"));
  CHECK(steps(downgrade(graph, rows, "2")) == std::vector<std::string>{"revert 4", "revert 3"});
  CHECK(steps(downgrade(graph, rows, "3")) == std::vector<std::string>{"revert 4", "revert 2"});
}

TEST_CASE("planner: revert order is latest applied first", "[plan]") {
  RevisionGraph graph = branched();
  Rows rows;  // applied 1, 3, 2, 4 (3 and 2 on separate branches)
  rows.applied(graph.at(0))
      .applied(by_id(graph, "3"))
      .applied(by_id(graph, "2"))
      .applied(by_id(graph, "4"));
  CHECK(steps(downgrade(graph, rows, "base")) ==
        std::vector<std::string>{"revert 4", "revert 2", "revert 3", "revert 1"});
  CHECK(steps(downgrade(graph, rows, "-2")) == std::vector<std::string>{"revert 4", "revert 2"});
}

TEST_CASE("planner: a parent is never reverted before its applied child", "[plan]") {
  RevisionGraph graph = linear(3);
  Rows rows;  // 2 recorded after its child 3 (say, with --fake)
  rows.applied(graph.at(0), "2026-01-01T00:00:00.000Z")
      .applied(graph.at(2), "2026-01-01T00:00:01.000Z")
      .applied(graph.at(1), "2026-01-01T00:00:02.000Z");
  CHECK(steps(downgrade(graph, rows, "base")) ==
        std::vector<std::string>{"revert 3", "revert 2", "revert 1"});
  CHECK(steps(downgrade(graph, rows, "-1")) == std::vector<std::string>{"revert 3"});
}

TEST_CASE("planner: rows applied at the same time revert in descending numeric id order",
          "[plan]") {
  RevisionGraph graph(
      {make_migration("1"), make_migration("9", Deps{"1"}), make_migration("10", Deps{"1"})});
  std::string same = "2026-01-01T00:00:05.000Z";
  Rows rows;
  rows.applied(graph.at(0), "2026-01-01T00:00:00.000Z")
      .applied(by_id(graph, "9"), same)
      .applied(by_id(graph, "10"), same);
  CHECK(steps(downgrade(graph, rows, "base")) ==
        std::vector<std::string>{"revert 10", "revert 9", "revert 1"});
}

TEST_CASE("planner: orphans are reverted from their stored down SQL", "[plan]") {
  RevisionGraph graph = linear(2);
  Rows rows;
  rows.applied(graph.at(0))
      .orphan("7", "Add t7 from another branch",
              "-- migrate:down foreign_keys:off\nDROP TABLE t7;\nDROP TABLE u7;")
      .applied(graph.at(1));
  Plan plan = downgrade(graph, rows, "1");
  CHECK(steps(plan) == std::vector<std::string>{"revert 2", "revert 7"});
  const PlanStep& orphan = plan.steps[1];
  CHECK(orphan.migration == nullptr);
  CHECK(orphan.stem == "7");
  CHECK(orphan.title == "Add t7 from another branch");
  CHECK(orphan.section.sql == "DROP TABLE t7;\nDROP TABLE u7;");
  CHECK(orphan.section.options.transaction);
  CHECK_FALSE(orphan.section.options.foreign_keys);
  CHECK_THAT(orphan.reason, Catch::StartsWith("orphan: applied here, but its file is not"));
  // -1 takes the orphan when it is the latest applied.
  Rows latest;
  latest.applied(graph.at(0)).orphan("7", "t7", "DROP TABLE t7;");
  Plan last = downgrade(graph, latest, "-1");
  CHECK(steps(last) == std::vector<std::string>{"revert 7"});
  CHECK(last.steps[0].section.sql == "DROP TABLE t7;");  // stored without a marker line
  CHECK(last.steps[0].section.options.transaction);
}

TEST_CASE("planner: irreversible migrations are refused before anything runs (exit 2)", "[plan]") {
  RevisionGraph graph({make_migration("1"),
                       make_migration("2", std::nullopt, "CREATE TABLE b (x);", std::nullopt),
                       make_migration("3", std::nullopt, "CREATE TABLE c (x);", "-- nothing\n"),
                       make_migration("4")});
  Rows rows;
  for (std::size_t m = 0; m < 4; ++m) {
    rows.applied(graph.at(m));
  }
  rows.orphan("9", "Lost one", "");

  auto [code, message] = error_of([&] { downgrade(graph, rows, "1"); });
  CHECK(code == ExitCode::bad_input);
  CHECK_THAT(message, Catch::StartsWith("cannot downgrade to '1': it would revert irreversible "
                                        "migrations:"));
  CHECK_THAT(message, Catch::Contains("orphan 9 (Lost one) was applied without a down section"));
  CHECK_THAT(message, Catch::Contains("migrations/3_m3.sql has an empty down section"));
  CHECK_THAT(message, Catch::Contains("migrations/2_m2.sql has no down section"));
  CHECK_THAT(message, Catch::Contains("Nothing was reverted"));
  CHECK_THAT(message, !Catch::Contains("4_m4"));

  // Reverting only what is reversible works.
  Rows without_orphan;
  for (std::size_t m = 0; m < 4; ++m) {
    without_orphan.applied(graph.at(m));
  }
  CHECK(steps(downgrade(graph, without_orphan, "-1")) == std::vector<std::string>{"revert 4"});
  CHECK(steps(downgrade(graph, without_orphan, "3")) == std::vector<std::string>{"revert 4"});
  auto [code2, message2] = error_of([&] { downgrade(graph, without_orphan, "-2"); });
  CHECK(code2 == ExitCode::bad_input);
  CHECK_THAT(message2, Catch::Contains("migrations/3_m3.sql has an empty down section"));
  CHECK_THAT(message2, !Catch::Contains("2_m2"));
}

TEST_CASE("planner: downgrade re-keys a renamed row before reverting it", "[plan]") {
  RevisionGraph graph(
      {make_migration("1"), make_migration("3", std::nullopt, "CREATE TABLE up;"),
       make_migration("4", std::nullopt, "CREATE TABLE mine;", "DROP TABLE mine;")});
  Rows rows;
  rows.applied(graph.at(0))
      .orphan("2", "Migration 4", "-- migrate:down\nDROP TABLE mine;", graph.at(2).checksum);
  Plan plan = downgrade(graph, rows, "-1");
  CHECK(steps(plan) == std::vector<std::string>{"re-key 2->4", "revert 4"});
  CHECK(plan.steps[1].section.sql == "DROP TABLE mine;");
  CHECK(plan.steps[1].migration == &graph.at(2));
}

TEST_CASE("planner: --fake downgrades through a migration without a down section", "[plan]") {
  RevisionGraph graph({make_migration("1"), make_migration("2", std::nullopt, "SELECT 2;", "")});
  Rows rows;
  rows.applied(graph.at(0)).applied(graph.at(1)).orphan("7", "gone", "");
  auto [code, message] = error_of([&] { downgrade(graph, rows, "base"); });
  CHECK(code == ExitCode::bad_input);
  CHECK_THAT(message, Catch::Contains("orphan 7 (gone) was applied without a down section, and "
                                      "its file is not here"));
  CHECK_THAT(message, Catch::Contains("use --fake"));
  DatabaseStatus status = reconcile(graph, rows.rows());
  Plan faked = plan_downgrade(graph, status, parse_revision_spec("base"), /*fake=*/true);
  CHECK(steps(faked) == std::vector<std::string>{"revert 7", "revert 2", "revert 1"});
}

TEST_CASE("planner: a down section added after applying runs, and says so", "[plan]") {
  RevisionGraph applied_as({make_migration("1", std::nullopt, "CREATE TABLE t (x);", "")});
  Rows rows;
  rows.applied(applied_as.at(0));  // stored without a down section
  RevisionGraph now({make_migration("1", std::nullopt, "CREATE TABLE t (x);", "DROP TABLE t;")});
  Plan plan = downgrade(now, rows, "base");
  CHECK(plan.steps.at(0).section.sql == "DROP TABLE t;");
  REQUIRE(plan.notes.size() == 1);
  CHECK_THAT(plan.notes[0], Catch::Contains("no down SQL was stored when it was applied"));
}

TEST_CASE("planner: what cannot be taken back is a PlanRefused, several empty ups InvalidFiles",
          "[plan]") {
  RevisionGraph graph({make_migration("1"),
                       make_migration("2", std::nullopt, "CREATE TABLE b (x);", std::nullopt),
                       make_migration("3", std::nullopt, "-- to do\n"),
                       make_migration("4", std::nullopt, "-- to do\n")});
  Rows rows;
  rows.applied(graph.at(0)).applied(graph.at(1));
  CHECK_THROWS_AS(downgrade(graph, rows, "base"), PlanRefused);
  CHECK_THROWS_AS(plan_redo(graph, reconcile(graph, rows.rows()), parse_revision_spec("-1")),
                  PlanRefused);
  CHECK_THROWS_AS(upgrade(graph, rows, upgrade_to("head")), InvalidFiles);
}

TEST_CASE(
    "planner: an empty down section reverts nothing in dbmate's format, and is refused in "
    "ours with a word on dbmate",
    "[plan]") {
  auto in_format = [](Migration m, MigrationFormat format) {
    m.format = format;
    return m;
  };
  RevisionGraph dbmate(
      {in_format(make_migration("1"), MigrationFormat::dbmate),
       in_format(make_migration("2", std::nullopt, "INSERT INTO t VALUES (1);", "-- nothing"),
                 MigrationFormat::dbmate)});
  Rows rows;
  rows.applied(dbmate.at(0)).applied(dbmate.at(1));
  Plan plan = downgrade(dbmate, rows, "base");
  CHECK(steps(plan) == std::vector<std::string>{"revert 2", "revert 1"});
  CHECK(plan.steps[0].section.blank());
  CHECK(plan.steps[0].section.file == "migrations/2_m2.sql");
  CHECK(steps(plan_redo(dbmate, reconcile(dbmate, rows.rows()), parse_revision_spec("-1"))) ==
        std::vector<std::string>{"revert 2", "apply 2"});

  RevisionGraph ours(
      {make_migration("1"),
       make_migration("2", std::nullopt, "INSERT INTO t VALUES (1);", "-- nothing"),
       make_migration("3", std::nullopt, "INSERT INTO t VALUES (2);", std::nullopt)});
  Rows our_rows;
  our_rows.applied(ours.at(0)).applied(ours.at(1)).applied(ours.at(2));
  auto [code, message] = error_of([&] { downgrade(ours, our_rows, "base"); });
  CHECK(code == ExitCode::bad_input);
  CHECK_THAT(message, Catch::Contains("\n  migrations/3_m3.sql has no down section\n"
                                      "  migrations/2_m2.sql has an empty down section\n"));
  CHECK_THAT(message, Catch::EndsWith(
                          "use --fake.\nAn empty down section means irreversible in migrate's "
                          "own format; in dbmate's it reverts nothing. If the folder is written "
                          "for dbmate, say `format = dbmate` in migrate.conf's [migrate] section "
                          "(or --format dbmate)"));
  // Only a missing down section: nothing about dbmate.
  auto [code3, message3] = error_of([&] { downgrade(ours, our_rows, "2"); });
  CHECK_THAT(message3, Catch::EndsWith("use --fake"));
}

TEST_CASE("planner: repeatables due run after the versioned migrations, by description", "[plan]") {
  RevisionGraph graph({make_migration("1"), make_repeatable("b_views", "SELECT 'b';"),
                       make_migration("2"), make_repeatable("a_grants", "SELECT 'a';")});
  Rows none;
  Plan plan = upgrade(graph, none);
  CHECK(steps(plan) ==
        std::vector<std::string>{"apply 1", "apply 2", "apply R__a_grants", "apply R__b_views"});
  CHECK(plan.steps[2].reason == "repeatable, never applied here");
  CHECK(plan.steps[2].migration->repeatable);

  // Applied since: nothing; one edited: that one alone, after what is pending.
  Rows applied;
  applied.applied(graph.at(0)).applied(graph.repeatables()[0]).applied(graph.repeatables()[1]);
  CHECK(steps(upgrade(graph, applied)) == std::vector<std::string>{"apply 2"});
  Rows edited;
  edited.applied(graph.at(0)).applied(graph.at(1)).applied(graph.repeatables()[0]);
  edited.with_checksum(graph.repeatables()[1], "sha256:before");
  Plan again = upgrade(graph, edited);
  CHECK(steps(again) == std::vector<std::string>{"apply R__b_views"});
  CHECK(again.steps[0].reason == "repeatable, changed since applied");
  CHECK(again.notes.empty());  // a repeatable's row puts nothing out of order
}

TEST_CASE("planner: an upgrade short of head leaves the repeatables waiting, and says so",
          "[plan]") {
  RevisionGraph graph(
      {make_migration("1"), make_migration("2"), make_repeatable("views", "SELECT 1;")});
  Rows none;
  Plan plan = upgrade(graph, none, upgrade_to("1"));
  CHECK(steps(plan) == std::vector<std::string>{"apply 1"});
  CHECK(plan.notes == std::vector<std::string>{
                          "1 repeatable migration (R__…) waits: repeatables run on an upgrade "
                          "to head"});
  CHECK(steps(upgrade(graph, none, upgrade_to("+1"))) == std::vector<std::string>{"apply 1"});
  CHECK(steps(upgrade(graph, none, upgrade_to("heads"))) ==
        std::vector<std::string>{"apply 1", "apply 2", "apply R__views"});
}

TEST_CASE("planner: a downgrade takes the repeatables' rows first, running nothing", "[plan]") {
  RevisionGraph graph({make_migration("1"), make_migration("2"),
                       make_repeatable("views", "CREATE VIEW v AS SELECT 1;")});
  Rows rows;
  rows.applied(graph.at(0)).applied(graph.at(1)).applied(graph.repeatables()[0]);
  Plan plan = downgrade(graph, rows, "1");
  CHECK(steps(plan) == std::vector<std::string>{"forget R__views", "revert 2"});
  CHECK(plan.steps[0].section.blank());
  CHECK(plan.steps[0].reason ==
        "repeatable: nothing runs, its row goes, so the next upgrade to head runs it again");
  // Nothing to revert: the repeatables stay.
  CHECK(downgrade(graph, rows, "2").empty());
}

TEST_CASE("planner: a revert deletes the row by its id as the row has it (01 is 1)", "[plan]") {
  RevisionGraph graph({make_migration("1"), make_migration("2")});
  Rows rows;
  rows.applied(graph.at(0)).applied(graph.at(1));
  std::vector<AppliedMigration> stored = rows.rows();
  stored[0].id = *MigrationId::from_text("01");  // recorded by another tool's text, or a rename
  stored[1].id = *MigrationId::from_text("2.0");
  DatabaseStatus status = reconcile(graph, stored);
  REQUIRE(status.orphans.empty());
  Plan plan = plan_downgrade(graph, status, parse_revision_spec("base"));
  CHECK(steps(plan) == std::vector<std::string>{"revert 2.0", "revert 01"});
  Plan redo = plan_redo(graph, status, parse_revision_spec("-1"));
  CHECK(steps(redo) == std::vector<std::string>{"revert 2.0", "apply 2"});
}

TEST_CASE("planner: a redo takes the repeatables' rows first and runs them again last", "[plan]") {
  RevisionGraph graph({make_migration("1"), make_migration("2"),
                       make_repeatable("views", "CREATE VIEW v AS SELECT 1;")});
  Rows rows;
  rows.applied(graph.at(0)).applied(graph.at(1)).applied(graph.repeatables()[0]);
  DatabaseStatus status = reconcile(graph, rows.rows());
  Plan redo = plan_redo(graph, status, parse_revision_spec("-1"));
  CHECK(steps(redo) ==
        std::vector<std::string>{"forget R__views", "revert 2", "apply 2", "apply R__views"});
}
