// The pre-commit gate's linter, as a user meets it: migrate-check --staged and the installed
// pre-commit hook in real git repositories of a PostgreSQL project (the linter needs no
// server). What the commit adds is linted as staged; errors refuse it, warnings pass.
#include <catch2/catch.hpp>

#include "support/git_work_tree.hpp"
#include "support/run_tool.hpp"
#include "support/temp_dir.hpp"

using namespace migrate::test;
using Catch::Contains;

namespace {

constexpr const char* kConf = "[migrate]\n\tdatabase = postgres://localhost/app\n";

/// A migration of users, the released table. The timeouts are set as a careful migration
/// sets them (the gate is not told what the upgrade's flags set).
std::string users_migration(const std::string& statement, const std::string& header = "") {
  return header + "-- migrate:up\nSET lock_timeout = '2s';\nSET statement_timeout = '1min';\n" +
         statement + "\n-- migrate:down\nSELECT 1;\n";
}

constexpr const char* kIndex = "CREATE INDEX users_email ON users (email);";
constexpr const char* kFinding =
    "migrations/0002_index.sql:4: CREATE INDEX on users without CONCURRENTLY blocks its writes "
    "[require-concurrent-index-creation]";

/// A PostgreSQL project whose upstream (origin/main) has users, with migrate's hooks installed.
struct GateRepo {
  TempDir dir;
  GitWorkTree tree{dir / "repo"};

  GateRepo() {
    tree.write("migrate.conf", kConf);
    tree.write("migrations/0001_users.sql",
               "-- migrate:up\nCREATE TABLE users (id bigint PRIMARY KEY, email text);\n"
               "-- migrate:down\nDROP TABLE users;\n");
    tree.commit("users");
    tree.git({"update-ref", "refs/remotes/origin/main", "HEAD"});
    REQUIRE(run_tool("migrate-hooks", {"install"}, {.cwd = tree.root()}).exit_code == 0);
  }
  ProcessResult check(const std::vector<std::string>& args = {"--staged"}) const {
    return run_tool("migrate-check", args, {.cwd = tree.root()});
  }
  void stage(const std::string& path, const std::string& text) const {
    tree.write(path, text);
    tree.git({"add", path});
  }
  /// `git commit` through the installed pre-commit hook; whether HEAD moved.
  ProcessResult commit() const { return tree.try_git({"commit", "--quiet", "-m", "index"}); }
  std::string head() const { return tree.git({"rev-parse", "HEAD"}); }
};

}  // namespace

TEST_CASE("check lint: a staged error refuses the commit at its line, with the safe way",
          "[e2e][check][lint][git]") {
  GateRepo repo;
  repo.stage("migrations/0002_index.sql", users_migration(kIndex));
  ProcessResult checked = repo.check();
  INFO(checked.out << checked.err);
  CHECK(checked.exit_code == 3);
  CHECK_THAT(checked.err,
             Contains("the staged commit is refused (1 problem):\n1. " + std::string(kFinding)));
  CHECK_THAT(checked.err, Contains("The safe way: ") && Contains("CREATE INDEX CONCURRENTLY") &&
                              Contains("-- migrate:lint ignore=require-concurrent-index-creation "
                                       "reason=\"…\""));

  std::string head = repo.head();
  ProcessResult refused = repo.commit();
  CHECK(refused.exit_code != 0);
  CHECK_THAT(refused.err, Contains(kFinding));
  CHECK(repo.head() == head);

  SECTION("--json lists the finding as a problem and in lint") {
    ProcessResult json = repo.check({"--staged", "--json"});
    CHECK(json.exit_code == 3);
    CHECK_THAT(json.out, Contains("\"kind\": \"lint\""));
    CHECK_THAT(json.out, Contains("\"lint\": [") &&
                             Contains("\"rule\": \"require-concurrent-index-creation\"") &&
                             Contains("\"line\": 4") && Contains("\"severity\": \"error\""));
  }
  SECTION("accepted with a reason: the commit is made") {
    repo.stage("migrations/0002_index.sql",
               users_migration("-- migrate:lint ignore=require-concurrent-index-creation "
                               "reason=\"users has 40 rows\"\n" +
                               std::string(kIndex)));
    ProcessResult committed = repo.commit();
    INFO(committed.err);
    CHECK(committed.exit_code == 0);
    CHECK(repo.head() != head);
  }
  SECTION("a suppression without a reason is refused itself") {
    repo.stage("migrations/0002_index.sql",
               users_migration("-- migrate:lint ignore=require-concurrent-index-creation\n" +
                               std::string(kIndex)));
    ProcessResult bare = repo.check();
    CHECK(bare.exit_code == 3);
    CHECK_THAT(bare.err, Contains("[ignore-without-reason]"));
    CHECK_THAT(bare.err, Contains("[require-concurrent-index-creation]"));
  }
}

TEST_CASE("check lint: a warning is printed and the commit passes", "[e2e][check][lint][git]") {
  GateRepo repo;
  repo.stage("migrations/0002_name.sql",
             users_migration("ALTER TABLE users ADD COLUMN name varchar(40);"));
  ProcessResult checked = repo.check();
  INFO(checked.out << checked.err);
  CHECK(checked.exit_code == 0);
  CHECK_THAT(checked.out, Contains("migrations/0002_name.sql:4: warning: ") &&
                              Contains("[prefer-text-field]") && Contains("  safe: "));
  CHECK_THAT(checked.out, Contains("the staged commit is fine"));
  std::string head = repo.head();
  CHECK(repo.commit().exit_code == 0);
  CHECK(repo.head() != head);
}

TEST_CASE("check lint: --staged lints the staged text, not an unstaged fix",
          "[e2e][check][lint][git]") {
  GateRepo repo;
  repo.stage("migrations/0002_index.sql", users_migration(kIndex));
  // Fixed in the work tree only: the commit would still hold the plain CREATE INDEX.
  repo.tree.write("migrations/0002_index.sql",
                  users_migration("-- migrate:lint ignore=require-concurrent-index-creation "
                                  "reason=\"40 rows\"\n" +
                                  std::string(kIndex)));
  ProcessResult staged = repo.check();
  CHECK(staged.exit_code == 3);
  CHECK_THAT(staged.err, Contains("[require-concurrent-index-creation]"));
  CHECK(repo.commit().exit_code != 0);
  ProcessResult work_tree = repo.check({});
  INFO(work_tree.err);
  CHECK(work_tree.exit_code == 0);

  SECTION("and the other way round: a staged fix counts, whatever the work tree holds") {
    repo.tree.git({"add", "migrations/0002_index.sql"});
    repo.tree.write("migrations/0002_index.sql", users_migration(kIndex));
    CHECK(repo.check().exit_code == 0);
    CHECK(repo.check({}).exit_code == 3);
  }
}

TEST_CASE("check lint: only what the commit brings, tables new on the branch exempt",
          "[e2e][check][lint][git]") {
  GateRepo repo;
  // Committed with --no-verify earlier on the branch: not this commit's to answer for.
  repo.tree.write("migrations/0002_index.sql", users_migration(kIndex));
  repo.tree.write("migrations/0003_posts.sql",
                  "-- migrate:up\nCREATE TABLE posts (id bigint, author bigint);\n"
                  "-- migrate:down\nDROP TABLE posts;\n");
  repo.tree.git({"add", "-A"});
  REQUIRE(repo.tree.try_git({"commit", "--quiet", "--no-verify", "-m", "earlier"}).exit_code == 0);
  // posts is new on this branch (upstream lacks it): its index blocks nobody.
  repo.stage("migrations/0004_posts_index.sql",
             users_migration("CREATE INDEX posts_author ON posts (author);"));
  ProcessResult checked = repo.check();
  INFO(checked.out << checked.err);
  CHECK(checked.exit_code == 0);
  CHECK_THAT(checked.out + checked.err, !Contains("require-concurrent-index-creation"));
}

TEST_CASE("check lint: migrate.conf's severity and disable decide", "[e2e][check][lint][git]") {
  GateRepo repo;
  repo.stage("migrations/0002_index.sql", users_migration(kIndex));
  SECTION("lowered to a warning: printed, and the commit is made") {
    repo.stage("migrate.conf", std::string(kConf) +
                                   "[lint \"severity\"]\n\trequire-concurrent-index-creation = "
                                   "warning\n");
    ProcessResult checked = repo.check();
    CHECK(checked.exit_code == 0);
    CHECK_THAT(checked.out,
               Contains("migrations/0002_index.sql:4: warning: CREATE INDEX on users"));
    CHECK(repo.commit().exit_code == 0);
  }
  SECTION("disabled: not reported") {
    repo.stage("migrate.conf",
               std::string(kConf) + "[lint]\n\tdisable = require-concurrent-index-creation\n");
    ProcessResult checked = repo.check();
    CHECK(checked.exit_code == 0);
    CHECK_THAT(checked.out + checked.err, !Contains("require-concurrent-index-creation"));
  }
  SECTION("a warning raised to an error refuses") {
    repo.stage("migrations/0002_index.sql",
               users_migration("ALTER TABLE users ADD COLUMN name varchar(40);"));
    repo.stage("migrate.conf",
               std::string(kConf) + "[lint \"severity\"]\n\tprefer-text-field = error\n");
    ProcessResult checked = repo.check();
    CHECK(checked.exit_code == 3);
    CHECK_THAT(checked.err,
               Contains("1. migrations/0002_index.sql:4: ") && Contains("[prefer-text-field]"));
  }
}

TEST_CASE("check lint: a bad lint setting is exit 2, with nothing else done",
          "[e2e][check][lint][git][bad-input]") {
  GateRepo repo;
  repo.stage("migrations/0002_index.sql", users_migration(kIndex));
  std::string cache = repo.tree.root().string() + "/.git/migrate/parse-cache";
  std::filesystem::remove(cache);
  SECTION("an unknown rule") {
    repo.tree.write("migrate.conf", std::string(kConf) +
                                        "[lint \"severity\"]\n\trequire-concurrent-index = note\n");
    ProcessResult bad = repo.check();
    CHECK(bad.exit_code == 2);
    CHECK_THAT(bad.err, Contains("migrate.conf: [lint \"severity\"] require-concurrent-index = "
                                 "note: no lint rule is called require-concurrent-index "
                                 "(`migrate lint --list-rules` lists them)"));
    CHECK(bad.out.empty());
  }
  SECTION("an unknown severity, through the hook") {
    repo.tree.write(
        "migrate.conf",
        std::string(kConf) + "[lint \"severity\"]\n\trequire-concurrent-index-creation = fatal\n");
    std::string head = repo.head();
    ProcessResult refused = repo.commit();
    CHECK(refused.exit_code != 0);
    CHECK_THAT(refused.err, Contains("= fatal: a rule's severity is error, warning or note"));
    CHECK(repo.head() == head);
  }
  // Nothing was read: not even the staged migrations' blobs.
  CHECK_FALSE(std::filesystem::exists(cache));
}

TEST_CASE("check lint: a SQLite project's gate has no PostgreSQL rules to run",
          "[e2e][check][lint][git]") {
  GateRepo repo;
  repo.stage("migrate.conf", "[migrate]\n\tdatabase = sqlite:app.db\n");
  repo.stage("migrations/0002_index.sql",
             "-- migrate:up\nCREATE INDEX users_email ON users (email);\n-- migrate:down\n"
             "DROP INDEX users_email;\n");
  ProcessResult checked = repo.check();
  INFO(checked.err);
  CHECK(checked.exit_code == 0);
}

TEST_CASE("check lint: on a SQLite project the gate runs SQLite's rules on the staged text",
          "[e2e][check][lint][git]") {
  TempDir dir;
  GitWorkTree tree{dir / "repo"};
  tree.write("migrate.conf", "[migrate]\n\tdatabase = sqlite:app.db\n");
  tree.write("migrations/0001_users.sql",
             "-- migrate:up\nCREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n"
             "-- migrate:down\nDROP TABLE users;\n");
  tree.commit("users");
  tree.git({"update-ref", "refs/remotes/origin/main", "HEAD"});
  // SQLite refuses this once users has a row: the empty development database would not say.
  tree.write("migrations/0002_active.sql",
             "-- migrate:up\nALTER TABLE users ADD COLUMN active INTEGER NOT NULL;\n"
             "-- migrate:down\nALTER TABLE users DROP COLUMN active;\n");
  tree.git({"add", "-A"});
  ProcessResult refused = run_tool("migrate-check", {"--staged"}, {.cwd = tree.root()});
  INFO(refused.out << refused.err);
  CHECK(refused.exit_code == 3);
  CHECK_THAT(refused.out + refused.err, Contains("migrations/0002_active.sql:2:") &&
                                            Contains("[sqlite-add-column-needs-empty-table]"));
  // The fix, staged: the commit passes.
  tree.write("migrations/0002_active.sql",
             "-- migrate:up\nALTER TABLE users ADD COLUMN active INTEGER NOT NULL DEFAULT 1;\n"
             "-- migrate:down\nALTER TABLE users DROP COLUMN active;\n");
  tree.git({"add", "-A"});
  ProcessResult passed = run_tool("migrate-check", {"--staged"}, {.cwd = tree.root()});
  INFO(passed.out << passed.err);
  CHECK(passed.exit_code == 0);
}

TEST_CASE("check lint: SQLite's linter keeps its replay, and answers the same without it",
          "[e2e][check][lint][git]") {
  TempDir dir;
  GitWorkTree tree{dir / "repo"};
  tree.write("migrate.conf", "[migrate]\n\tdatabase = sqlite:app.db\n");
  for (int i = 1; i <= 3; ++i) {
    tree.write("migrations/000" + std::to_string(i) + "_t.sql",
               "-- migrate:up\nCREATE TABLE t" + std::to_string(i) +
                   " (id INTEGER PRIMARY KEY);\n-- migrate:down\nDROP TABLE t" + std::to_string(i) +
                   ";\n");
  }
  tree.commit("released");
  tree.git({"update-ref", "refs/remotes/origin/main", "HEAD"});
  tree.write("migrations/0004_active.sql",
             "-- migrate:up\nALTER TABLE t3 ADD COLUMN active INTEGER NOT NULL;\n"
             "-- migrate:down\nALTER TABLE t3 DROP COLUMN active;\n");
  tree.git({"add", "-A"});
  std::filesystem::path snapshot = tree.root() / ".git" / "migrate" / "replay-sqlite-lint";
  ProcessResult first = run_tool("migrate-check", {"--staged"}, {.cwd = tree.root()});
  INFO(first.out << first.err);
  CHECK(first.exit_code == 3);
  CHECK_THAT(first.out + first.err, Contains("[sqlite-add-column-needs-empty-table]"));
  REQUIRE(std::filesystem::exists(snapshot));  // the three released migrations, replayed
  auto kept = std::filesystem::last_write_time(snapshot);
  ProcessResult again = run_tool("migrate-check", {"--staged"}, {.cwd = tree.root()});
  CHECK(again.out == first.out);
  CHECK(again.err == first.err);
  CHECK(std::filesystem::last_write_time(snapshot) == kept);  // read, not replayed again
  // A damaged snapshot: the same answer, from a replay from empty, and a sound one kept.
  write_text(snapshot, "not a snapshot");
  ProcessResult damaged = run_tool("migrate-check", {"--staged"}, {.cwd = tree.root()});
  CHECK(damaged.out == first.out);
  CHECK(damaged.err == first.err);
  CHECK(read_text(snapshot) != "not a snapshot");
  // migrate-lint shares it.
  ProcessResult lint = run_tool("migrate-lint", {}, {.cwd = tree.root()});
  CHECK(lint.exit_code == 3);
  CHECK_THAT(lint.out, Contains("migrations/0004_active.sql:2:"));
}

TEST_CASE("check lint: lint.upgrade-sets tells the gate what the upgrade's flags set",
          "[e2e][check][lint][git]") {
  GateRepo repo;
  // No SET lock_timeout in the migration: the gate cannot see the deploy script's flags.
  repo.stage("migrations/0002_column.sql",
             "-- migrate:up\nALTER TABLE users ADD COLUMN note text;\n-- migrate:down\n"
             "ALTER TABLE users DROP COLUMN note;\n");
  ProcessResult refused = repo.check();
  CHECK(refused.exit_code == 3);
  CHECK_THAT(refused.err, Contains("[require-lock-timeout]"));
  repo.stage("migrate.conf",
             std::string(kConf) + "[lint]\n\tupgrade-sets = lock_timeout, statement_timeout\n");
  ProcessResult passed = repo.check();
  INFO(passed.out << passed.err);
  CHECK(passed.exit_code == 0);
  CHECK_THAT(passed.out + passed.err, !Contains("timeout]"));
  // migrate-lint reads the same setting.
  ProcessResult linted = run_tool("migrate-lint", {}, {.cwd = repo.tree.root()});
  CHECK_THAT(linted.out, !Contains("timeout]"));

  SECTION("a name it does not know is exit 2") {
    repo.stage("migrate.conf",
               std::string(kConf) + "[lint]\n\tupgrade-sets = lock_timeout, idle\n");
    ProcessResult bad = repo.check();
    CHECK(bad.exit_code == 2);
    CHECK_THAT(bad.err, Contains("[lint] upgrade-sets = lock_timeout, idle: idle is not one"));
  }
}
