// The fixture branch: create a table, index it, add a foreign key to it, as three
// migrations not yet on upstream, is safe; the same index and foreign key on a table that is
// on upstream are what a standalone linter cannot tell apart.
#include <catch2/catch.hpp>

#include "support/git_work_tree.hpp"
#include "support/postgres.hpp"
#include "support/run_tool.hpp"
#include "support/temp_dir.hpp"

using namespace migrate::test;
using Catch::Contains;

namespace {

constexpr const char* kIndex =
    "-- Index.\n-- migrate:up\nSET lock_timeout = '5s';\nSET statement_timeout = '1min';\n"
    "CREATE INDEX accounts_owner ON accounts (owner_id);\n-- migrate:down\n"
    "DROP INDEX accounts_owner;\n";
constexpr const char* kForeignKey =
    "-- Foreign key.\n-- migrate:up\nSET lock_timeout = '5s';\nSET statement_timeout = '1min';\n"
    "ALTER TABLE accounts ADD CONSTRAINT accounts_owner_fk FOREIGN KEY (owner_id) REFERENCES "
    "users (id);\n-- migrate:down\nALTER TABLE accounts DROP CONSTRAINT accounts_owner_fk;\n";
constexpr const char* kAccounts =
    "-- Accounts.\n-- migrate:up\nCREATE TABLE accounts (id bigint GENERATED ALWAYS AS IDENTITY "
    "PRIMARY KEY, owner_id bigint NOT NULL);\n-- migrate:down\nDROP TABLE accounts;\n";

/// A PostgreSQL project whose upstream has users (and, with `accounts_released`, accounts).
struct Branch {
  TempDir dir;
  GitWorkTree tree{dir / "repo"};

  explicit Branch(bool accounts_released) {
    tree.write("migrate.conf", "[migrate]\n\tdatabase = postgres://localhost/app\n");
    tree.write("migrations/0001_users.sql",
               "-- Users.\n-- migrate:up\nCREATE TABLE users (id bigint GENERATED ALWAYS AS "
               "IDENTITY PRIMARY KEY);\n-- migrate:down\nDROP TABLE users;\n");
    if (accounts_released) {
      tree.write("migrations/0002_accounts.sql", kAccounts);
    }
    tree.commit("released");
    tree.git({"update-ref", "refs/remotes/origin/main", "HEAD"});
    if (!accounts_released) {
      tree.write("migrations/0002_accounts.sql", kAccounts);
    }
    tree.write("migrations/0003_index.sql", kIndex);
    tree.write("migrations/0004_fk.sql", kForeignKey);
  }
  ProcessResult lint() const { return run_tool("migrate-lint", {}, {.cwd = tree.root()}); }
};

}  // namespace

TEST_CASE("lint branch: a table created on the branch is indexed and referenced safely",
          "[e2e][lint]") {
  Branch branch(/*accounts_released=*/false);
  ProcessResult result = branch.lint();
  INFO(result.out << result.err);
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Contains("3 migrations linted: no findings"));
}

TEST_CASE("lint branch: the same index and foreign key on a released table are findings",
          "[e2e][lint]") {
  Branch branch(/*accounts_released=*/true);
  ProcessResult result = branch.lint();
  INFO(result.out << result.err);
  CHECK(result.exit_code == 3);
  CHECK_THAT(result.out, Contains("migrations/0003_index.sql:5: error:"));
  CHECK_THAT(result.out, Contains("[require-concurrent-index-creation]"));
  CHECK_THAT(result.out, Contains("migrations/0004_fk.sql:5: error:"));
  CHECK_THAT(result.out, Contains("[adding-foreign-key-constraint]"));
  CHECK_THAT(result.out, Contains("2 migrations linted:"));
}

TEST_CASE("lint branch: --fix writes the mechanical safe form into this branch's migrations",
          "[e2e][lint]") {
  Branch branch(/*accounts_released=*/true);
  branch.tree.write("migrations/0003_index.sql",
                    "-- Index.\n-- migrate:up\nSET lock_timeout = '5s';\nSET statement_timeout = "
                    "'1min';\nCREATE INDEX CONCURRENTLY IF NOT EXISTS accounts_owner ON accounts "
                    "(owner_id);\n-- migrate:down\nDROP INDEX CONCURRENTLY IF EXISTS "
                    "accounts_owner;\n");
  ProcessResult fixed = run_tool("migrate-lint", {"--fix"}, {.cwd = branch.tree.root()});
  INFO(fixed.out << fixed.err);
  CHECK_THAT(fixed.out, Contains("fixed migrations/0003_index.sql, line 2: the up section runs "
                                 "outside a transaction"));
  CHECK_THAT(read_text(branch.tree.root() / "migrations" / "0003_index.sql"),
             Contains("-- migrate:up transaction:false\n"));
  // The foreign key is in a transactional section: NOT VALID there, VALIDATE in a new
  // migration after it.
  CHECK_THAT(fixed.out, Contains("fixed migrations/0004_fk.sql, line 5: NOT VALID, then VALIDATE "
                                 "CONSTRAINT accounts_owner_fk in a new migration after this one"));
  CHECK_THAT(fixed.out, Contains("added migrations/0005_fk_validate.sql, after 0004_fk"));
  CHECK_THAT(read_text(branch.tree.root() / "migrations" / "0004_fk.sql"),
             Contains("REFERENCES users (id) NOT VALID;\n"));
  // The folder is read as dbmate's (no HEAD, no `-- depends:`): the new migration follows
  // 0004, the last, by its id alone, and has no `-- depends:` that would make it migrate's.
  std::string validate = read_text(branch.tree.root() / "migrations" / "0005_fk_validate.sql");
  // Under the section's settings, copied.
  CHECK_THAT(validate, Contains("-- migrate:up\nSET lock_timeout = '5s';\nSET statement_timeout = "
                                "'1min';\nALTER TABLE accounts VALIDATE CONSTRAINT "
                                "accounts_owner_fk;\n"));
  CHECK_THAT(validate, !Contains("depends"));
  CHECK(fixed.exit_code == 0);
  CHECK_THAT(fixed.out, Contains("3 migrations linted: no findings"));

  SECTION("a migration on upstream is never edited") {
    branch.tree.write("migrations/0002_accounts.sql",
                      "-- Accounts.\n-- migrate:up\nCREATE INDEX CONCURRENTLY a ON users (id);\n");
    ProcessResult named = run_tool("migrate-lint", {"--fix", "0002"}, {.cwd = branch.tree.root()});
    CHECK_THAT(named.err, Contains("0002_accounts.sql: not fixed"));
    CHECK(read_text(branch.tree.root() / "migrations" / "0002_accounts.sql") ==
          "-- Accounts.\n-- migrate:up\nCREATE INDEX CONCURRENTLY a ON users (id);\n");
  }
}

TEST_CASE("lint branch: --fix moves CONCURRENTLY to a new migration that a real server runs",
          "[e2e][lint][postgres]") {
  Branch branch(/*accounts_released=*/true);
  PostgresDatabase database;
  branch.tree.write("migrate.conf", "[migrate]\n\tdatabase = " + database.url() + "\n");
  branch.tree.write("migrations/0003_index.sql",
                    "-- Index.\n-- migrate:up\nSET lock_timeout = '5s';\n"
                    "CREATE TABLE audit (id bigint);\n"
                    "CREATE INDEX CONCURRENTLY accounts_owner ON accounts (owner_id);\n"
                    "-- migrate:down\nDROP INDEX accounts_owner;\nDROP TABLE audit;\n");
  branch.tree.write("migrations/HEAD", "0004_fk\n");
  ProcessResult fixed =
      run_tool("migrate-lint", {"--fix", "--statement-timeout", "1m"}, {.cwd = branch.tree.root()});
  INFO(fixed.out << fixed.err);
  CHECK_THAT(fixed.out, Contains("fixed migrations/0003_index.sql, line 5: moved to a new "
                                 "migration after this one"));
  CHECK_THAT(fixed.out, Contains("added migrations/0005_index_concurrently.sql, after 0003_index"));
  CHECK_THAT(fixed.out, Contains("added migrations/0006_fk_validate.sql, after 0004_fk"));
  CHECK(read_text(branch.tree.root() / "migrations" / "0003_index.sql") ==
        "-- Index.\n-- migrate:up\nSET lock_timeout = '5s';\nCREATE TABLE audit (id bigint);\n"
        "-- migrate:down\nDROP TABLE audit;\n");
  CHECK_THAT(read_text(branch.tree.root() / "migrations" / "0005_index_concurrently.sql"),
             Contains("-- depends: 0003_index\n-- migrate:up transaction:false\n"
                      "SET lock_timeout = '5s';\n"
                      "CREATE INDEX CONCURRENTLY accounts_owner ON accounts (owner_id);\n\n"
                      "-- migrate:down transaction:false\n"
                      "DROP INDEX CONCURRENTLY IF EXISTS accounts_owner;\n"));
  // 0004 followed 0003; it now follows the new migration, and HEAD names the last.
  CHECK_THAT(read_text(branch.tree.root() / "migrations" / "0004_fk.sql"),
             Contains("-- depends: 0005_index_concurrently\n"));
  CHECK(read_text(branch.tree.root() / "migrations" / "HEAD") == "0006_fk_validate\n");
  CHECK(fixed.exit_code == 0);
  CHECK_THAT(fixed.out, Contains("4 migrations linted: no findings"));

  // The fixed branch runs on a real server, up, all the way down, and up again.
  for (const std::vector<std::string>& command : {std::vector<std::string>{"migrate-upgrade"},
                                                  {"migrate-downgrade", "base"},
                                                  {"migrate-upgrade"}}) {
    ProcessResult ran = run_tool(command.front(), {command.begin() + 1, command.end()},
                                 {.cwd = branch.tree.root()});
    INFO(command.front() << ": " << ran.out << ran.err);
    CHECK(ran.exit_code == 0);
  }
  CHECK(database.column("SELECT indexname FROM pg_indexes WHERE indexname = "
                        "'accounts_owner'") == std::vector<std::string>{"accounts_owner"});
  CHECK(database.column("SELECT convalidated::text FROM pg_constraint WHERE conname = "
                        "'accounts_owner_fk'") == std::vector<std::string>{"true"});
  CHECK(database.applied_ids().size() == 6);

  SECTION("a second --fix finds nothing left to change") {
    ProcessResult again = run_tool("migrate-lint", {"--fix", "--statement-timeout", "1m"},
                                   {.cwd = branch.tree.root()});
    CHECK(again.exit_code == 0);
    CHECK_THAT(again.out, !Contains("fixed"));
    CHECK_THAT(again.out, !Contains("added"));
  }
}

TEST_CASE("lint branch: --fix re-points a merge of two fixed migrations to both new ones",
          "[e2e][lint]") {
  Branch branch(/*accounts_released=*/true);
  branch.tree.remove("migrations/0004_fk.sql");
  auto split = [](const std::string& name) {
    return "-- " + name + ".\n-- depends: 0002_accounts\n-- migrate:up\nCREATE TABLE " + name +
           " (id bigint);\nCREATE INDEX CONCURRENTLY accounts_" + name +
           " ON accounts (owner_id);\n-- migrate:down\nDROP TABLE " + name + ";\n";
  };
  branch.tree.write("migrations/0003_index.sql", split("a"));
  branch.tree.write("migrations/0004_other.sql", split("b"));
  branch.tree.write("migrations/0005_merge.sql",
                    "-- Merge.\n-- depends: 0003_index 0004_other\n-- migrate:up\n"
                    "-- migrate:down\n");
  branch.tree.write("migrations/HEAD", "0005_merge\n");
  ProcessResult fixed =
      run_tool("migrate-lint", {"--fix", "--statement-timeout", "1m"}, {.cwd = branch.tree.root()});
  INFO(fixed.out << fixed.err);
  CHECK(fixed.exit_code == 0);
  CHECK_THAT(read_text(branch.tree.root() / "migrations" / "0005_merge.sql"),
             Contains("-- depends: 0006_index_concurrently 0007_other_concurrently\n"));
  // One head still, the merge, after both: an upgrade plans all seven.
  CHECK(read_text(branch.tree.root() / "migrations" / "HEAD") == "0005_merge\n");
  ProcessResult plan = run_tool("migrate-upgrade", {"--dry-run", "--database", "sqlite:plan.db"},
                                {.cwd = branch.tree.root()});
  INFO(plan.out << plan.err);
  CHECK(plan.exit_code == 0);
  CHECK_THAT(plan.out, Contains("0006_index_concurrently") && Contains("0007_other_concurrently") &&
                           Contains("0005_merge"));
}

TEST_CASE("lint branch: an index on a released partitioned table: another way, not --fix's",
          "[e2e][lint]") {
  Branch branch(/*accounts_released=*/true);
  branch.tree.remove("migrations/0003_index.sql");
  branch.tree.remove("migrations/0004_fk.sql");
  branch.tree.write("migrations/0000_events.sql",
                    "-- Events.\n-- migrate:up\nCREATE TABLE events (at timestamptz) PARTITION "
                    "BY RANGE (at);\n-- migrate:down\nDROP TABLE events;\n");
  branch.tree.commit("events, released");
  branch.tree.git({"update-ref", "refs/remotes/origin/main", "HEAD"});
  std::string index =
      "-- Index.\n-- migrate:up\nSET lock_timeout = '2s';\n"
      "CREATE INDEX events_at ON events (at);\n";
  branch.tree.write("migrations/0005_index.sql", index);
  ProcessResult fixed =
      run_tool("migrate-lint", {"--fix", "--statement-timeout", "1m"}, {.cwd = branch.tree.root()});
  INFO(fixed.out << fixed.err);
  CHECK(fixed.exit_code == 3);
  CHECK_THAT(fixed.out, Contains("CREATE INDEX on partitioned table events blocks writes") &&
                            Contains("ON ONLY events"));
  // PostgreSQL refuses CREATE INDEX CONCURRENTLY on a partitioned table: not written.
  CHECK(read_text(branch.tree.root() / "migrations" / "0005_index.sql") == index);
}

TEST_CASE("lint branch: without upstream no table is new across migrations", "[e2e][lint]") {
  TempDir dir;
  GitWorkTree tree{dir / "repo"};
  tree.write("migrate.conf", "[migrate]\n\tdatabase = postgres://localhost/app\n");
  tree.write("migrations/0001_users.sql",
             "-- Users.\n-- migrate:up\nCREATE TABLE users (id bigint PRIMARY KEY, email text);\n");
  tree.write("migrations/0002_index.sql",
             "-- Index.\n-- migrate:up\nCREATE INDEX users_email ON users (email);\n");
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{}, {"migrations/0001_users.sql", "migrations/0002_index.sql"}}) {
    std::vector<std::string> all = args;
    all.insert(all.end(), {"--migration-lock-timeout", "5s", "--statement-timeout", "1m"});
    ProcessResult result = run_tool("migrate-lint", all, {.cwd = tree.root()});
    INFO(result.out << result.err);
    CHECK(result.exit_code == 3);
    CHECK_THAT(result.out, Contains("[require-concurrent-index-creation]"));
  }
}
