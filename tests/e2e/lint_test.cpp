// migrate-lint as a user runs it, in real git repositories: this branch's migrations by default,
// tables created on the branch known to be new, the exit codes, --json, and SQLite's note.
#include <catch2/catch.hpp>

#include "support/git_work_tree.hpp"
#include "support/run_tool.hpp"
#include "support/temp_dir.hpp"

using namespace migrate::test;
using Catch::Contains;

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

TEST_CASE("lint: bad targets and a SQLite project", "[e2e][lint]") {
  LintRepo repo;
  ProcessResult unknown = repo.lint({"9999"});
  CHECK(unknown.exit_code == 2);
  repo.tree.write("elsewhere.sql", "SELECT 1;\n");
  ProcessResult outside = repo.lint({"elsewhere.sql"});
  CHECK(outside.exit_code == 2);
  CHECK_THAT(outside.err, Contains("is not a migration of migrations"));

  repo.tree.write("migrate.conf", "[migrate]\n\tdatabase = sqlite:app.db\n");
  ProcessResult sqlite = repo.lint();
  CHECK(sqlite.exit_code == 0);
  CHECK_THAT(sqlite.err, Contains("the configured database is sqlite"));
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
