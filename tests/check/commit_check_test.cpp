#include <catch2/catch.hpp>

#include "check/commit_check.hpp"
#include "git/git_backend.hpp"
#include "graph/revision_graph.hpp"
#include "support/migration_builder.hpp"
#include "util/error.hpp"

using namespace migrate;
using Catch::Contains;
using migrate::test::make_migration;

namespace {

using Kind = PathChange::Kind;
using Ids = std::vector<std::string>;

/// A gate input over an in-memory set: 1 <- 2, HEAD naming 2, nothing shared.
struct Gate {
  std::vector<Migration> set{make_migration("1"), make_migration("2")};
  CommitCheckInput input;
  std::unique_ptr<PathPatterns> models = load_git_backend().path_patterns({"app/models/**"});

  Gate() {
    input.folder = "migrations";
    input.models = models.get();
    input.head_file = "2_m2";
    input.read_migrations = [this] { return set; };
  }
  /// Upstream has migrations/<names>.
  void share(const std::vector<std::string>& names) {
    input.upstream.emplace();
    input.upstream->folder = "migrations";
    for (const std::string& name : names) {
      input.upstream->entries.push_back({name, GitObjectId{}});
    }
  }
  std::vector<std::string> kinds() const {
    std::vector<std::string> found;
    for (const CheckProblem& problem : check_commit(input).problems) {
      found.push_back(problem.kind);
    }
    return found;
  }
};

}  // namespace

TEST_CASE("commit check: a model change needs a new migration in the same commit", "[check]") {
  Gate gate;
  gate.input.changes = {{Kind::modified, "app/models/user.py", "app/models/user.py"}};
  CommitCheckReport report = check_commit(gate.input);
  REQUIRE(report.problems.size() == 1);
  CHECK(report.problems[0].kind == "model-without-migration");
  CHECK_THAT(report.problems[0].message,
             Contains("app/models/user.py changed") && Contains("migrate create"));
  CHECK(report.problems[0].paths == Ids{"app/models/user.py"});

  gate.input.changes.push_back({Kind::added, "migrations/2_m2.sql", "migrations/2_m2.sql"});
  CHECK(check_commit(gate.input).ok());
  CHECK(check_commit(gate.input).new_migrations == Ids{"migrations/2_m2.sql"});
}

TEST_CASE("commit check: a data test of migrate-verify is no migration, in any format", "[check]") {
  Gate gate;
  // tests/V3__x.sql is named like a Flyway migration: it neither satisfies the models rule
  // nor counts as an edit of a shared migration.
  gate.input.changes = {{Kind::modified, "app/models/user.py", "app/models/user.py"},
                        {Kind::added, "migrations/tests/V3__x.sql", "migrations/tests/V3__x.sql"}};
  CommitCheckReport report = check_commit(gate.input);
  REQUIRE(report.problems.size() == 1);
  CHECK(report.problems[0].kind == "model-without-migration");
  CHECK(report.new_migrations.empty());
  gate.share({"2_m2.sql", "tests/2.sql"});
  gate.input.changes = {{Kind::modified, "migrations/tests/2.sql", "migrations/tests/2.sql"}};
  CHECK(check_commit(gate.input).ok());
}

TEST_CASE("commit check: files outside the models patterns need nothing", "[check]") {
  Gate gate;
  gate.input.changes = {{Kind::modified, "app/views/user.py", "app/views/user.py"},
                        {Kind::modified, "README.md", "README.md"}};
  CHECK(check_commit(gate.input).ok());
}

TEST_CASE("commit check: a file that is not a migration is not a new migration", "[check]") {
  Gate gate;
  gate.input.changes = {{Kind::modified, "app/models/user.py", "app/models/user.py"},
                        {Kind::added, "migrations/README.md", "migrations/README.md"},
                        {Kind::modified, "migrations/HEAD", "migrations/HEAD"}};
  CHECK(gate.kinds() == Ids{"model-without-migration"});
}

TEST_CASE("commit check: shared migrations may not be edited, renamed or deleted", "[check]") {
  Gate gate;
  gate.share({"1_m1.sql", "HEAD"});
  SECTION("edited") {
    gate.input.changes = {{Kind::modified, "migrations/1_m1.sql", "migrations/1_m1.sql"}};
    CommitCheckReport report = check_commit(gate.input);
    REQUIRE(report.problems.size() == 1);
    CHECK(report.problems[0].kind == "shared-migration-edited");
    CHECK_THAT(report.problems[0].message, Contains("migrations/1_m1.sql is modified") &&
                                               Contains("--allow-edit 1") &&
                                               Contains("MIGRATE_ALLOW_EDIT=1"));
  }
  SECTION("renamed") {
    gate.input.changes = {{Kind::renamed, "migrations/3_m1.sql", "migrations/1_m1.sql"}};
    CHECK_THAT(check_commit(gate.input).problems.at(0).message,
               Contains("renamed to migrations/3_m1.sql"));
  }
  SECTION("deleted") {
    gate.input.changes = {{Kind::deleted, "migrations/1_m1.sql", "migrations/1_m1.sql"}};
    CHECK(gate.kinds() == Ids{"shared-migration-edited"});
  }
  SECTION("not shared yet: free to edit") {
    gate.input.changes = {{Kind::modified, "migrations/2_m2.sql", "migrations/2_m2.sql"}};
    CHECK(check_commit(gate.input).ok());
  }
  SECTION("HEAD is not a migration") {
    gate.input.changes = {{Kind::modified, "migrations/HEAD", "migrations/HEAD"}};
    CHECK(check_commit(gate.input).ok());
  }
}

TEST_CASE("commit check: --allow-edit takes an id, a stem or a file name", "[check]") {
  Gate gate;
  gate.share({"1_m1.sql"});
  gate.input.changes = {{Kind::modified, "migrations/1_m1.sql", "migrations/1_m1.sql"}};
  for (std::string allowed : {"1", "0001", "1_m1", "1_m1.sql", "migrations/1_m1.sql"}) {
    gate.input.allowed_edits = {allowed};
    CHECK(check_commit(gate.input).ok());
  }
  for (std::string other : {"2", "1_m", "2_m2.sql"}) {
    gate.input.allowed_edits = {other};
    CHECK(gate.kinds() == Ids{"shared-migration-edited"});
  }
}

TEST_CASE("commit check: the set after the commit must load", "[check]") {
  Gate gate;
  gate.input.read_migrations = []() -> std::vector<Migration> {
    throw ParseError("migrations/3_x.sql", 4, "text before '-- migrate:up' is not a comment");
  };
  CommitCheckReport report = check_commit(gate.input);
  REQUIRE(report.problems.size() == 1);
  CHECK(report.problems[0].kind == "invalid-migrations");
  CHECK_THAT(report.problems[0].message, Contains("migrations/3_x.sql:4"));

  gate.set = {make_migration("1"), make_migration("1")};
  gate.input.read_migrations = [&] { return gate.set; };
  CHECK_THAT(check_commit(gate.input).problems.at(0).message, Contains("duplicate id 1"));

  gate.set = {make_migration("1", Ids{"2"}), make_migration("2", Ids{"1"})};
  CHECK_THAT(check_commit(gate.input).problems.at(0).message, Contains("cycle"));
}

TEST_CASE("commit check: one head, and migrations/HEAD names it", "[check]") {
  Gate gate;
  SECTION("two heads") {
    gate.set = {make_migration("1"), make_migration("2", Ids{"1"}), make_migration("3", Ids{"1"})};
    CommitCheckReport report = check_commit(gate.input);
    CHECK(gate.kinds() == Ids{"several-heads"});
    CHECK_THAT(report.problems[0].message, Contains("2 heads") && Contains("2_m2, 3_m3") &&
                                               Contains("migrate renumber") &&
                                               Contains("migrate merge"));
  }
  SECTION("HEAD names another migration") {
    gate.input.head_file = "1_m1";
    CHECK_THAT(check_commit(gate.input).problems.at(0).message,
               Contains("migrations/HEAD names 1_m1, but the head is 2_m2"));
  }
  SECTION("no HEAD file (a dbmate folder): nothing to compare") {
    gate.input.head_file.reset();
    CHECK(check_commit(gate.input).ok());
  }
  SECTION("HEAD in conflict") {
    gate.input.head_file_conflicted = true;
    CHECK(gate.kinds() == Ids{"head-file"});
  }
}

TEST_CASE("commit check: every problem is listed in one run", "[check]") {
  Gate gate;
  gate.share({"1_m1.sql"});
  gate.input.changes = {{Kind::modified, "app/models/user.py", "app/models/user.py"},
                        {Kind::deleted, "migrations/1_m1.sql", "migrations/1_m1.sql"}};
  gate.input.head_file = "9_nine";
  CHECK(gate.kinds() == Ids{"model-without-migration", "shared-migration-edited", "head-file"});
}

namespace {

/// 1 <- 2 <- 3 shared; then a squash 9 of 2 (made by migrate-squash): 3 re-pointed at it.
struct SquashGate : Gate {
  std::vector<Migration> head_set{make_migration("1"), make_migration("2", Ids{"1"}),
                                  make_migration("3", Ids{"2"})};

  SquashGate() {
    share({"1_m1.sql", "2_m2.sql", "3_m3.sql"});
    input.read_head_migrations = [this] { return head_set; };
    input.head_file = "3_m3";
    set = {make_migration("1"), make_migration("2", Ids{"1"}), make_migration("3", Ids{"9"}),
           squash()};
  }
  static Migration squash(bool replaces = true) {
    Migration squash = make_migration("9", Ids{"1"});
    if (replaces) {
      squash.replaces.push_back({*MigrationId::from_digits("2"), "2_m2", 3});
    }
    return squash;
  }
  static PathChange change(Kind kind, const std::string& id) {
    std::string path = "migrations/" + id + "_m" + id + ".sql";
    return {kind, path, path};
  }
};

}  // namespace

TEST_CASE("commit check: a squash re-pointing a shared child is not an edit", "[check]") {
  SquashGate gate;
  gate.input.changes = {gate.change(Kind::modified, "3"), gate.change(Kind::added, "9")};
  CHECK(check_commit(gate.input).ok());

  SECTION("pointed at something that is not a squash of its parent") {
    gate.set[2] = make_migration("3", Ids{"1"});
    CHECK(gate.kinds() == Ids{"shared-migration-edited", "several-heads"});
  }
  SECTION("its SQL changed as well") {
    gate.set[2] = make_migration("3", Ids{"9"}, "SELECT 3;");
    CHECK(gate.kinds() == Ids{"shared-migration-edited"});
  }
  SECTION("nothing to compare with: HEAD's set does not load") {
    gate.input.read_head_migrations = []() -> std::vector<Migration> {
      throw ParseError("migrations/2_m2.sql", 1, "broken");
    };
    CHECK(gate.kinds() == Ids{"shared-migration-edited"});
  }
}

TEST_CASE("commit check: --prune's deletions and its squash's lost replaces: pass", "[check]") {
  SquashGate gate;
  // HEAD has the squash with its replaces: line; the commit removes 2 and that line.
  gate.head_set = gate.set;
  gate.share({"1_m1.sql", "2_m2.sql", "3_m3.sql", "9_m9.sql"});
  gate.set = {make_migration("1"), make_migration("3", Ids{"9"}), gate.squash(false)};
  gate.input.changes = {gate.change(Kind::deleted, "2"), gate.change(Kind::modified, "9")};
  CHECK(check_commit(gate.input).ok());

  SECTION("the original kept: the squash may not lose its replaces: line") {
    gate.set.push_back(make_migration("2", Ids{"1"}));
    gate.input.changes = {gate.change(Kind::modified, "9")};
    CHECK(gate.kinds() == Ids{"shared-migration-edited", "several-heads"});
  }
  SECTION("a squash that never had a replaces: line in HEAD or the commit") {
    gate.head_set = {make_migration("1"), make_migration("2", Ids{"1"}),
                     make_migration("3", Ids{"9"}), gate.squash(false)};
    gate.input.changes = {gate.change(Kind::deleted, "2")};
    CHECK(gate.kinds() == Ids{"shared-migration-edited"});
  }
}

TEST_CASE("commit check: originals go only once upstream has the squash that replaces them",
          "[check][squash]") {
  // Committed before, not pushed: a teammate's database that ran 2 but not 3 needs both
  // originals to finish the range, so the squash has to reach it while they are still there.
  SquashGate gate;
  gate.head_set = gate.set;
  gate.set = {make_migration("1"), make_migration("3", Ids{"9"}), gate.squash(false)};
  gate.input.changes = {gate.change(Kind::deleted, "2"), gate.change(Kind::modified, "9")};
  CommitCheckReport report = check_commit(gate.input);
  REQUIRE(report.problems.size() == 1);
  CHECK(report.problems[0].kind == "shared-migration-edited");
  CHECK_THAT(report.problems[0].message,
             Contains("migrations/2_m2.sql is deleted") &&
                 Contains("9_m9 replaces it, but upstream does not have 9_m9 yet") &&
                 Contains("Commit and push the squash without removing them"));
  // Once upstream has it, the same commit passes.
  gate.input.upstream->entries.push_back({"9_m9.sql", GitObjectId{}});
  CHECK(check_commit(gate.input).ok());
}

TEST_CASE("commit check: originals deleted in the commit that adds their squash are refused",
          "[check][squash]") {
  SquashGate gate;
  gate.input.changes = {gate.change(Kind::deleted, "2"), gate.change(Kind::modified, "3"),
                        gate.change(Kind::added, "9")};
  SECTION("its replaces: line kept: the set does not load") {
    gate.set.erase(gate.set.begin() + 1);
    CHECK(gate.kinds() ==
          Ids{"shared-migration-edited", "shared-migration-edited", "invalid-migrations"});
  }
  SECTION("its replaces: line pruned too: nothing says the originals are squashed") {
    gate.set = {make_migration("1"), make_migration("3", Ids{"9"}), gate.squash(false)};
    CHECK(gate.kinds() == Ids{"shared-migration-edited", "shared-migration-edited"});
  }
}

TEST_CASE("commit check: a new migration with nothing to apply is refused", "[check]") {
  Gate gate;
  gate.set = {make_migration("1"), make_migration("2", Ids{"1"}, "-- Write the SQL here.\n")};
  gate.input.changes = {{Kind::added, "migrations/2_m2.sql", "migrations/2_m2.sql"}};
  CommitCheckReport report = check_commit(gate.input);
  REQUIRE(report.problems.size() == 1);
  CHECK(report.problems[0].kind == "empty-migration");
  CHECK_THAT(report.problems[0].message,
             Contains("migrations/2_m2.sql:1 has no statement in its up section") &&
                 Contains("`migrate upgrade` would refuse") && Contains("--no-verify"));
  CHECK(report.problems[0].paths == Ids{"migrations/2_m2.sql"});

  SECTION("one that was committed before is not new") {
    gate.input.changes = {{Kind::modified, "migrations/2_m2.sql", "migrations/2_m2.sql"}};
    CHECK(check_commit(gate.input).ok());
  }
  SECTION("a merge joins branches: it may be empty") {
    gate.set = {make_migration("1"), make_migration("3", Ids{"1"}),
                make_migration("2", Ids{"1", "3"}, "")};
    CHECK(check_commit(gate.input).ok());
  }
}

TEST_CASE("commit check: a name-ordered folder's files are known by their whole stems",
          "[check][stem]") {
  Gate gate;
  auto stem = [](std::string_view text, std::string up) {
    Migration m;
    m.id = MigrationId::from_row(text);
    m.format = MigrationFormat::stem;
    m.file = "migrations/" + std::string(text) + "_up.sql";
    m.up.sql = std::move(up);
    return m;
  };
  gate.set = {stem("1-accounts", "CREATE TABLE a (id int);"), stem("2-users", "-- Nothing yet.")};
  gate.input.head_file.reset();
  gate.input.name_ordered = true;
  gate.share({"1-accounts_down.sql", "1-accounts_up.sql"});  // sorted, as git lists them
  // A shared file edited (read as ours, its name has no id: it would pass unseen), and a new
  // one with nothing to apply, both found.
  gate.input.changes = {
      {Kind::modified, "migrations/1-accounts_down.sql", "migrations/1-accounts_down.sql"},
      {Kind::added, "migrations/2-users_up.sql", "migrations/2-users_up.sql"},
      {Kind::added, "migrations/2-users_down.sql", "migrations/2-users_down.sql"}};
  CommitCheckReport report = check_commit(gate.input);
  CHECK(gate.kinds() == Ids{"shared-migration-edited", "empty-migration"});
  CHECK(report.new_migrations == Ids{"migrations/2-users_up.sql", "migrations/2-users_down.sql"});
  REQUIRE(report.problems.size() == 2);
  CHECK_THAT(report.problems[0].message, Contains("--allow-edit 1-accounts"));
  CHECK(report.problems[1].paths == Ids{"migrations/2-users_up.sql"});
  // --allow-edit takes the stem or the file's name.
  for (const char* allowed : {"1-accounts", "migrations/1-accounts_down.sql"}) {
    INFO(allowed);
    gate.input.allowed_edits = {allowed};
    CHECK(gate.kinds() == Ids{"empty-migration"});
  }
  gate.input.allowed_edits = {"1"};  // a number starts the stem, but names none
  CHECK(gate.kinds() == Ids{"shared-migration-edited", "empty-migration"});
}

namespace {

/// A drift as the model would report it: adding users.phone, and dropping users.fax when
/// `destructive`.
ModelDrift drift_of(bool destructive) {
  ModelDrift drift;
  drift.model = "schema/";
  drift.migration.changes.push_back({"add column users.phone", ""});
  drift.migration.up.statements = {"ALTER TABLE users ADD COLUMN phone TEXT"};
  if (destructive) {
    drift.migration.changes.push_back(
        {"drop column users.fax", "deletes-data: drops column users.fax"});
  }
  drift.text =
      "-- what changed\n-- migrate:up\nALTER TABLE users ADD COLUMN phone TEXT;\n\n"
      "-- migrate:down\nALTER TABLE users DROP COLUMN phone;\n";
  return drift;
}

}  // namespace

TEST_CASE("commit check: with a model, its drift is the rule and the patterns are not asked",
          "[check]") {
  Gate gate;
  gate.input.changes = {{Kind::modified, "app/models/user.py", "app/models/user.py"}};
  std::size_t graphs_given = 0;
  ModelDrift answer;  // agrees
  answer.model = "schema/";
  gate.input.model_drift = [&](const RevisionGraph& graph) {
    graphs_given += graph.size();
    return answer;
  };
  // No model-without-migration: the model says whether a migration is missing.
  CommitCheckReport report = check_commit(gate.input);
  CHECK(report.ok());
  CHECK(graphs_given == 2);  // the set after the commit
  REQUIRE(report.drift);
  CHECK(report.drift->migration.empty());

  answer = drift_of(false);
  report = check_commit(gate.input);
  REQUIRE(report.problems.size() == 1);
  const CheckProblem& problem = report.problems[0];
  CHECK(problem.kind == "schema-drift");
  CHECK(problem.paths == Ids{"schema/"});
  CHECK_THAT(problem.message,
             Contains("schema/ (the model: `schema` in migrate.conf) describes a schema that the "
                      "migrations after this commit do not build. A migration would:\n"
                      "     - add column users.phone\n"
                      "   Generate it with `make migrate-create MESSAGE=\"what changed\"` (or "
                      "`migrate create -m \"what changed\"`), review it and `git add` it. It "
                      "would be:\n\n"
                      "       -- what changed\n       -- migrate:up\n"
                      "       ALTER TABLE users ADD COLUMN phone TEXT;\n\n"
                      "       -- migrate:down\n"));
  CHECK_FALSE(problem.message.ends_with("\n"));
}

TEST_CASE("commit check: a drift that deletes data is drift, and says --allow-destructive",
          "[check]") {
  Gate gate;
  gate.input.model_drift = [](const RevisionGraph&) { return drift_of(true); };
  CommitCheckReport report = check_commit(gate.input);
  REQUIRE(report.problems.size() == 1);
  CHECK_THAT(report.problems[0].message,
             Contains("- drop column users.fax (hazard: deletes-data: drops column users.fax)") &&
                 Contains("It deletes data, so it must be asked for: `make migrate-create "
                          "MESSAGE=\"what changed\" MIGRATE_FLAGS=--allow-destructive` (or "
                          "`migrate create --allow-destructive -m \"what changed\"`)"));
}

TEST_CASE("commit check: migrations that do not load are not compared with the model", "[check]") {
  Gate gate;
  gate.set.push_back(make_migration("2"));  // a duplicate id
  bool asked = false;
  gate.input.model_drift = [&](const RevisionGraph&) {
    asked = true;
    return drift_of(false);
  };
  CommitCheckReport report = check_commit(gate.input);
  CHECK_FALSE(asked);
  CHECK_FALSE(report.drift);
  CHECK(gate.kinds() == Ids{"invalid-migrations"});
}

TEST_CASE("commit check: a model that does not load is the model's error", "[check]") {
  Gate gate;
  gate.input.model_drift = [](const RevisionGraph&) -> ModelDrift {
    throw ParseError("schema/app.sql", 3, "near \"CRATE\": syntax error");
  };
  CHECK_THROWS_AS(check_commit(gate.input), ParseError);
}

namespace {

constexpr RuleInfo kRisky{"risky-rule", Severity::error, "risky", "it costs",
                          "Do it safely:\n-- migrate:up transaction:false\nSELECT 2;"};
constexpr RuleInfo kStyle{"style-rule", Severity::warning, "style", "it reads badly", "Better."};

/// The linter's stand-in: records the scope it was given, returns `findings`.
struct FakeLinter {
  std::vector<Finding> findings;
  std::optional<LintScope> scope;

  void attach(CommitCheckInput& input) {
    input.lint = [this](const RevisionGraph&, const LintScope& given) {
      scope = given;
      return findings;
    };
  }
};

}  // namespace

TEST_CASE("commit check: the migrations the commit adds or changes are linted, not shared ones",
          "[check][lint]") {
  Gate gate;
  gate.set.push_back(make_migration("3"));
  gate.input.head_file = "3_m3";
  FakeLinter linter;
  linter.attach(gate.input);
  SECTION("upstream has 1: 2 and 3 are the branch, the commit adds 3") {
    gate.share({"1_m1.sql"});
    gate.input.changes = {{Kind::added, "migrations/3_m3.sql", "migrations/3_m3.sql"}};
    CHECK(check_commit(gate.input).ok());
    REQUIRE(linter.scope);
    CHECK(linter.scope->chosen == std::set<std::size_t>{2});
    CHECK(linter.scope->branch == std::set<std::size_t>{1, 2});
  }
  SECTION("an edit of a shared migration is refused as such, not linted") {
    gate.share({"1_m1.sql"});
    gate.input.changes = {{Kind::modified, "migrations/1_m1.sql", "migrations/1_m1.sql"},
                          {Kind::modified, "migrations/2_m2.sql", "migrations/2_m2.sql"}};
    CHECK(gate.kinds() == Ids{"shared-migration-edited"});
    CHECK(linter.scope->chosen == std::set<std::size_t>{1});
  }
  SECTION("without upstream no table is known to be new") {
    gate.input.changes = {{Kind::added, "migrations/3_m3.sql", "migrations/3_m3.sql"}};
    CHECK(check_commit(gate.input).ok());
    CHECK(linter.scope->chosen == std::set<std::size_t>{2});
    CHECK_FALSE(linter.scope->branch);
  }
  SECTION("a commit that brings no migration lints nothing") {
    gate.input.changes = {{Kind::modified, "README.md", "README.md"},
                          {Kind::modified, "migrations/HEAD", "migrations/HEAD"}};
    CHECK(check_commit(gate.input).ok());
    CHECK_FALSE(linter.scope);
  }
}

TEST_CASE("commit check: a lint error is a problem with the safe way, a warning passes",
          "[check][lint]") {
  Gate gate;
  gate.input.changes = {{Kind::added, "migrations/2_m2.sql", "migrations/2_m2.sql"}};
  FakeLinter linter;
  linter.attach(gate.input);
  linter.findings = {{&kStyle, Severity::warning, "migrations/2_m2.sql", 3, "style here"}};
  CommitCheckReport passed = check_commit(gate.input);
  CHECK(passed.ok());
  CHECK(passed.lint.size() == 1);

  linter.findings.push_back({&kRisky, Severity::error, "migrations/2_m2.sql", 4, "risky here"});
  CommitCheckReport refused = check_commit(gate.input);
  REQUIRE(refused.problems.size() == 1);
  const CheckProblem& problem = refused.problems[0];
  CHECK(problem.kind == "lint");
  CHECK(problem.paths == Ids{"migrations/2_m2.sql"});
  CHECK(problem.message ==
        "migrations/2_m2.sql:4: risky here [risky-rule]\n"
        "   The safe way: Do it safely:\n"
        "       -- migrate:up transaction:false\n"
        "       SELECT 2;\n"
        "   If the risk is accepted here, say why in a comment right before the statement: "
        "-- migrate:lint ignore=risky-rule reason=\"…\"");
  CHECK(refused.lint.size() == 2);
}

TEST_CASE("commit check: SQL the linter's parser refuses is a problem at its line",
          "[check][lint]") {
  Gate gate;
  gate.input.changes = {{Kind::added, "migrations/2_m2.sql", "migrations/2_m2.sql"}};
  gate.input.lint = [](const RevisionGraph&, const LintScope&) -> std::vector<Finding> {
    throw ParseError("migrations/2_m2.sql", 4, "syntax error at end of input");
  };
  CommitCheckReport report = check_commit(gate.input);
  REQUIRE(report.problems.size() == 1);
  CHECK(report.problems[0].kind == "lint");
  CHECK_THAT(report.problems[0].message, Contains("migrations/2_m2.sql:4: syntax error"));
}
