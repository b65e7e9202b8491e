// The fixture branch: create a table, index it, add a foreign key to it, as three
// migrations not yet on upstream, is safe; the same index and foreign key on a table that is
// on upstream are what a standalone linter cannot tell apart.
#include <catch2/catch.hpp>

#include "support/git_work_tree.hpp"
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
  std::string fk = read_text(branch.tree.root() / "migrations" / "0004_fk.sql");
  ProcessResult fixed = run_tool("migrate-lint", {"--fix"}, {.cwd = branch.tree.root()});
  INFO(fixed.out << fixed.err);
  CHECK_THAT(fixed.out, Contains("fixed migrations/0003_index.sql, line 2: the up section runs "
                                 "outside a transaction"));
  CHECK_THAT(read_text(branch.tree.root() / "migrations" / "0003_index.sql"),
             Contains("-- migrate:up transaction:false\n"));
  // The foreign key is in a transactional section: left, with the way, and still a finding.
  CHECK_THAT(fixed.err, Contains("migrations/0004_fk.sql, not fixed: line 5: add the constraint "
                                 "NOT VALID"));
  CHECK(read_text(branch.tree.root() / "migrations" / "0004_fk.sql") == fk);
  CHECK(fixed.exit_code == 3);
  CHECK_THAT(fixed.out, !Contains("0003_index.sql:5"));

  SECTION("a migration on upstream is never edited") {
    branch.tree.write("migrations/0002_accounts.sql",
                      "-- Accounts.\n-- migrate:up\nCREATE INDEX CONCURRENTLY a ON users (id);\n");
    ProcessResult named = run_tool("migrate-lint", {"--fix", "0002"}, {.cwd = branch.tree.root()});
    CHECK_THAT(named.err, Contains("0002_accounts.sql: not fixed"));
    CHECK(read_text(branch.tree.root() / "migrations" / "0002_accounts.sql") ==
          "-- Accounts.\n-- migrate:up\nCREATE INDEX CONCURRENTLY a ON users (id);\n");
  }
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
