// migrate-lint as a user runs it, in real git repositories: this branch's migrations by default,
// tables created on the branch known to be new, the exit codes, --json, and SQLite projects.
#include <filesystem>

#include <catch2/catch.hpp>

#include "support/git_work_tree.hpp"
#include "support/run_tool.hpp"
#include "support/temp_dir.hpp"

using namespace migrate::test;
using Catch::Contains;
using Catch::StartsWith;

namespace {

/// A PostgreSQL project (the linter needs no server) with one released migration, users.
struct LintRepo {
  TempDir dir;
  GitWorkTree tree{dir / "repo"};

  LintRepo() {
    tree.write("migrate.conf", "[migrate]\n\tdatabase = postgres://localhost/app\n");
    tree.write("migrations/0001_users.sql",
               "-- Users.\n-- migrate:up\nCREATE TABLE users (id bigint PRIMARY KEY, email "
               "text);\n-- migrate:down\nDROP TABLE users;\n");
    tree.commit("users");
    tree.git({"update-ref", "refs/remotes/origin/main", "HEAD"});
  }
  /// migrate-lint ARGS, told (as MIGRATE_FLAGS would) that the upgrade sets both timeouts,
  /// unless `runner_timeouts` is false.
  ProcessResult lint(std::vector<std::string> args = {}, bool runner_timeouts = true) const {
    if (runner_timeouts) {
      args.insert(args.end(), {"--migration-lock-timeout", "5s", "--statement-timeout", "1m"});
    }
    return run_tool("migrate-lint", args, {.cwd = tree.root()});
  }
};

}  // namespace

TEST_CASE("lint: this branch's migrations, the released table's index refused", "[e2e][lint]") {
  LintRepo repo;
  repo.tree.write("migrations/0002_posts.sql",
                  "-- Posts.\n-- migrate:up\nCREATE TABLE posts (id bigint, author bigint);\n"
                  "-- migrate:down\nDROP TABLE posts;\n");
  repo.tree.write("migrations/0003_indexes.sql",
                  "-- Indexes.\n-- migrate:up\nCREATE INDEX posts_author ON posts (author);\n"
                  "CREATE INDEX users_email ON users (email);\n-- migrate:down\nSELECT 1;\n");
  ProcessResult result = repo.lint();
  INFO(result.out << result.err);
  CHECK(result.exit_code == 3);
  // posts is new on this branch (0002, not on upstream): only users' index is a finding.
  CHECK_THAT(result.out, Contains("migrations/0003_indexes.sql:4: error: CREATE INDEX on users "
                                  "without CONCURRENTLY blocks its writes "
                                  "[require-concurrent-index-creation]"));
  CHECK_THAT(result.out, !Contains("posts"));
  CHECK_THAT(result.out, Contains("safe: "));
  CHECK_THAT(result.out, Contains("2 migrations linted: 1 finding (1 error)"));

  SECTION("without the runner's timeouts, the lock on users needs one") {
    ProcessResult bare = repo.lint({}, false);
    CHECK(bare.exit_code == 3);
    CHECK_THAT(bare.out, Contains("migrations/0003_indexes.sql:4: error:"));
    CHECK_THAT(bare.out, Contains("[require-lock-timeout]"));
    CHECK_THAT(bare.out, Contains("[require-statement-timeout]"));
  }
  SECTION("a bad duration is exit 2") {
    ProcessResult bad = repo.lint({"--statement-timeout", "soon"}, false);
    CHECK(bad.exit_code == 2);
    CHECK_THAT(bad.err, Contains("'soon' is not a duration"));
  }
  SECTION("the released migration alone, named: nothing to say") {
    ProcessResult named = repo.lint({"migrations/0001_users.sql"});
    CHECK(named.exit_code == 0);
    CHECK_THAT(named.out, Contains("1 migration linted: no findings"));
  }
  SECTION("--json") {
    ProcessResult json = repo.lint({"--json"});
    CHECK(json.exit_code == 3);
    CHECK_THAT(json.out, Contains("\"rule\": \"require-concurrent-index-creation\""));
    CHECK_THAT(json.out, Contains("\"line\": 4"));
    CHECK_THAT(json.out, Contains("\"errors\": 1"));
  }
  SECTION("--format sarif and --format github: the same finding, the same exit") {
    ProcessResult sarif = repo.lint({"--format", "sarif"});
    CHECK(sarif.exit_code == 3);
    CHECK_THAT(sarif.out, Contains("\"version\": \"2.1.0\""));
    CHECK_THAT(sarif.out, Contains("\"ruleId\": \"require-concurrent-index-creation\""));
    CHECK_THAT(sarif.out, Contains("\"uri\": \"migrations/0003_indexes.sql\""));
    CHECK_THAT(sarif.out, !Contains("linted"));
    ProcessResult github = repo.lint({"--format", "github"});
    CHECK(github.exit_code == 3);
    CHECK_THAT(github.out, StartsWith("::error file=migrations/0003_indexes.sql,line=4,title="
                                      "require-concurrent-index-creation::CREATE INDEX on users"));
    ProcessResult both = repo.lint({"--json", "--format", "sarif"});
    CHECK(both.exit_code == 2);
    CHECK(repo.lint({"--format", "xml"}).exit_code == 2);
  }
  SECTION("silenced with a reason: exit 0") {
    repo.tree.write("migrations/0003_indexes.sql",
                    "-- Indexes.\n-- migrate:up\nCREATE INDEX posts_author ON posts (author);\n"
                    "-- migrate:lint ignore=require-concurrent-index-creation reason=\"30 "
                    "rows\"\nCREATE INDEX users_email ON users (email);\n-- migrate:down\n"
                    "SELECT 1;\n");
    ProcessResult silenced = repo.lint();
    CHECK(silenced.exit_code == 0);
    CHECK_THAT(silenced.out, Contains("no findings"));
  }
}

TEST_CASE("lint: outside git no table is new but to its own migration", "[e2e][lint]") {
  TempDir dir;
  write_text(dir / "migrate.conf", "[migrate]\n\tdatabase = postgres://localhost/app\n");
  std::filesystem::create_directories(dir / "migrations");
  write_text(dir / "migrations/0001_users.sql",
             "-- migrate:up\nCREATE TABLE users (id bigint PRIMARY KEY, email text);\n"
             "CREATE INDEX users_id ON users (id);\n");
  write_text(dir / "migrations/0002_email.sql",
             "-- migrate:up\nCREATE INDEX users_email ON users (email);\n");
  ProcessResult result =
      run_tool("migrate-lint", {"--migration-lock-timeout", "5s", "--statement-timeout", "1m"},
               {.cwd = dir.path()});
  CHECK(result.exit_code == 3);
  CHECK_THAT(result.err, Contains("none is known to be new"));
  // users is new to 0001, which creates it, and released for 0002.
  CHECK_THAT(result.out, !Contains("0001_users.sql:3"));
  CHECK_THAT(result.out, Contains("migrations/0002_email.sql:2: error: CREATE INDEX on users"));
}

TEST_CASE("lint: SQL PostgreSQL refuses is exit 2 at its file and line, nothing written",
          "[e2e][lint]") {
  LintRepo repo;
  std::string text = "-- Bad.\n-- migrate:up\nSELECT 1;\nCREATE INDEX ON ;\n-- migrate:down\n";
  repo.tree.write("migrations/0002_bad.sql", text);
  ProcessResult result = repo.lint();
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Contains("migrations/0002_bad.sql:4"));
  CHECK(read_text(repo.tree.root() / "migrations" / "0002_bad.sql") == text);
}

TEST_CASE("lint: SQL SQLite refuses to parse is exit 2 at its file and line too",
          "[e2e][lint][bad-input]") {
  TempDir dir;
  GitWorkTree tree{dir / "repo"};
  tree.write("migrate.conf", "[migrate]\n\tdatabase = sqlite:app.db\n");
  std::string text = "-- Bad.\n-- migrate:up\nSELECT 1;\nCREAT TABLE t (id INTEGER);\n";
  tree.write("migrations/0001_bad.sql", text);
  ProcessResult result = run_tool("migrate-lint", {}, {.cwd = tree.root()});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Contains("migrations/0001_bad.sql:4: near \"CREAT\": syntax error"));
  CHECK(read_text(tree.root() / "migrations" / "0001_bad.sql") == text);
  CHECK_FALSE(std::filesystem::exists(tree.root() / "app.db"));
}

TEST_CASE("lint: bad targets and a SQLite project", "[e2e][lint]") {
  LintRepo repo;
  ProcessResult unknown = repo.lint({"9999"});
  CHECK(unknown.exit_code == 2);
  repo.tree.write("elsewhere.sql", "SELECT 1;\n");
  ProcessResult outside = repo.lint({"elsewhere.sql"});
  CHECK(outside.exit_code == 2);
  CHECK_THAT(outside.err, Contains("is not a migration of migrations"));

  // On SQLite the same project is linted too: nothing on this branch, nothing to say.
  repo.tree.write("migrate.conf", "[migrate]\n\tdatabase = sqlite:app.db\n");
  ProcessResult sqlite = repo.lint();
  CHECK(sqlite.exit_code == 0);
  CHECK_THAT(sqlite.err, !Contains("nothing was checked"));
  CHECK_THAT(sqlite.out, Contains("0 migrations linted: no findings"));
}

namespace {

/// A SQLite project with two released migrations: users, and posts whose rows go with their
/// user (ON DELETE CASCADE).
struct SqliteLintRepo {
  TempDir dir;
  GitWorkTree tree{dir / "repo"};

  SqliteLintRepo() {
    tree.write("migrate.conf", "[migrate]\n\tdatabase = sqlite:app.db\n");
    tree.write("migrations/0001_users.sql",
               "-- Users.\n-- migrate:up\nCREATE TABLE users (id INTEGER PRIMARY KEY, email "
               "TEXT);\n-- migrate:down\nDROP TABLE users;\n");
    tree.write("migrations/0002_posts.sql",
               "-- Posts.\n-- migrate:up\nCREATE TABLE posts (id INTEGER PRIMARY KEY, user_id "
               "INTEGER REFERENCES users (id) ON DELETE CASCADE);\n-- migrate:down\nDROP TABLE "
               "posts;\n");
    tree.commit("users and posts");
    tree.git({"update-ref", "refs/remotes/origin/main", "HEAD"});
  }
  ProcessResult lint(std::vector<std::string> args = {}) const {
    return run_tool("migrate-lint", args, {.cwd = tree.root()});
  }
  /// This branch's rebuild of users, its up section's marker options `options`.
  void rebuild(const std::string& options, const std::string& before_drop = {}) {
    tree.write("migrations/0003_rebuild_users.sql",
               "-- Rebuild users.\n-- migrate:up" + options +
                   "\nCREATE TABLE users_new (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n"
                   "INSERT INTO users_new (id, email) SELECT id, email FROM users;\n" +
                   before_drop +
                   "DROP TABLE users;\nALTER TABLE users_new RENAME TO users;\n"
                   "-- migrate:down\nSELECT 1;\n");
  }
};

}  // namespace

TEST_CASE("lint: a SQLite rebuild without foreign_keys:off", "[e2e][lint]") {
  SqliteLintRepo repo;
  repo.rebuild("");
  ProcessResult result = repo.lint();
  INFO(result.out << result.err);
  CHECK(result.exit_code == 3);
  CHECK_THAT(result.out,
             Contains("migrations/0003_rebuild_users.sql:5: error: DROP TABLE users in a "
                      "rebuild, with foreign keys on: deleting its rows first reaches "
                      "posts.user_id (ON DELETE CASCADE) [sqlite-rebuild-with-foreign-keys]"));
  CHECK_THAT(result.out, Contains("-- migrate:up foreign_keys:off"));
  CHECK_THAT(result.out, Contains("1 migration linted: 1 finding (1 error)"));
  // The linter runs the migrations on a development database, never the configured one.
  CHECK_FALSE(std::filesystem::exists(repo.tree.root() / "app.db"));

  SECTION("foreign_keys:off: clean") {
    repo.rebuild(" foreign_keys:off");
    ProcessResult safe = repo.lint();
    CHECK(safe.exit_code == 0);
    CHECK_THAT(safe.out, Contains("1 migration linted: no findings"));
  }
  SECTION("a PRAGMA in the transaction does nothing, and is said so") {
    repo.rebuild("", "PRAGMA foreign_keys = OFF;\n");
    ProcessResult pragma = repo.lint({"--json"});
    CHECK(pragma.exit_code == 3);
    CHECK_THAT(pragma.out, Contains("\"rule\": \"sqlite-foreign-keys-pragma-in-transaction\""));
    CHECK_THAT(pragma.out, Contains("\"line\": 5"));
    CHECK_THAT(pragma.out, Contains("\"rule\": \"sqlite-rebuild-with-foreign-keys\""));
  }
  SECTION("silenced with a reason: exit 0") {
    repo.rebuild("",
                 "-- migrate:lint ignore=sqlite-rebuild-with-foreign-keys reason=\"posts "
                 "is empty\"\n");
    ProcessResult silenced = repo.lint();
    CHECK(silenced.exit_code == 0);
    CHECK_THAT(silenced.out, Contains("no findings"));
  }
}

TEST_CASE("lint: SQLite's ADD COLUMN on a released table and on this branch's", "[e2e][lint]") {
  SqliteLintRepo repo;
  repo.tree.write("migrations/0003_accounts.sql",
                  "-- Accounts.\n-- migrate:up\nCREATE TABLE accounts (id INTEGER PRIMARY "
                  "KEY);\n-- migrate:down\nDROP TABLE accounts;\n");
  repo.tree.write("migrations/0004_plans.sql",
                  "-- Plans.\n-- migrate:up\nALTER TABLE accounts ADD COLUMN plan TEXT NOT NULL;\n"
                  "ALTER TABLE users ADD COLUMN plan TEXT NOT NULL;\nSELECT * FROM nowhere;\n"
                  "-- migrate:down\nSELECT 1;\n");
  ProcessResult result = repo.lint();
  INFO(result.out << result.err);
  CHECK(result.exit_code == 3);
  // accounts is new on this branch: empty in production, SQLite takes the column there.
  CHECK_THAT(result.out, !Contains("0004_plans.sql:3:"));
  CHECK_THAT(result.out, Contains("migrations/0004_plans.sql:4: error: ADD COLUMN on users"));
  CHECK_THAT(result.out, Contains("[sqlite-add-column-needs-empty-table]"));
  CHECK_THAT(result.out, Contains("migrations/0004_plans.sql:5: error: SQLite refuses it here: "
                                  "no such table: nowhere [sqlite-refused-statement]"));
  CHECK_THAT(result.out, Contains("2 migrations linted: 2 findings (2 errors)"));
}

TEST_CASE("lint: migrate.conf's [lint] disables rules and sets their severity", "[e2e][lint]") {
  LintRepo repo;
  repo.tree.write("migrations/0002_index.sql",
                  "-- Index.\n-- migrate:up\nCREATE INDEX users_email ON users (email);\n"
                  "-- migrate:down\nSELECT 1;\n");
  std::string conf = "[migrate]\n\tdatabase = postgres://localhost/app\n";
  repo.tree.write("migrate.conf",
                  conf + "[lint \"severity\"]\n\trequire-concurrent-index-creation = warning\n");
  ProcessResult lowered = repo.lint();
  CHECK(lowered.exit_code == 0);
  CHECK_THAT(lowered.out, Contains("migrations/0002_index.sql:3: warning: CREATE INDEX on users"));

  repo.tree.write("migrate.conf", conf + "[lint]\n\tdisable = require-concurrent-index-creation\n");
  ProcessResult disabled = repo.lint();
  CHECK(disabled.exit_code == 0);
  CHECK_THAT(disabled.out, Contains("no findings"));
  ProcessResult listed = run_tool("migrate-lint", {"--list-rules"}, {.cwd = repo.tree.root()});
  std::string line = listed.out.substr(listed.out.find("require-concurrent-index-creation "));
  CHECK_THAT(line.substr(0, line.find('\n')), Contains(" off "));

  repo.tree.write("migrate.conf", conf + "[lint]\n\tdisable = no-such-rule\n");
  ProcessResult bad = repo.lint();
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err,
             Contains("[lint] disable = no-such-rule: no lint rule is called no-such-rule"));
  CHECK(bad.out.empty());
}

TEST_CASE("lint: a branch with nothing of its own says so", "[e2e][lint]") {
  LintRepo repo;
  ProcessResult result = repo.lint();
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.err, Contains("every migration is on origin/main already: nothing of this "
                                  "branch's to lint"));
  CHECK_THAT(result.out, Contains("0 migrations linted: no findings"));
}
