// This repository's .pre-commit-hooks.yaml, run by the pre-commit framework Debian ships
// (3.0.4 in bookworm), in real git repositories: the hooks a team gets from `repos:`.
#include <cstdlib>

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "support/git_work_tree.hpp"
#include "support/run_tool.hpp"
#include "support/temp_dir.hpp"

using namespace migrate::test;
using Catch::Contains;
namespace fs = std::filesystem;

namespace {

constexpr const char* kGood =
    "-- Create users.\n-- migrate:up\nCREATE TABLE users (id INTEGER PRIMARY KEY);\n"
    "-- migrate:down\nDROP TABLE users;\n";

/// A project whose `.pre-commit-config.yaml` takes migrate's hooks from a repository holding
/// this repository's manifest, with the framework's hooks installed for every stage the
/// manifest names.
struct FrameworkProject {
  TempDir dir;
  GitWorkTree hooks{dir / "migrate-hooks"};
  GitWorkTree project{dir / "project"};

  FrameworkProject() {
    hooks.write(".pre-commit-hooks.yaml", read_text(source_dir() / ".pre-commit-hooks.yaml"));
    std::string rev = hooks.commit("the manifest");
    project.write(".pre-commit-config.yaml", fmt::format("repos:\n"
                                                         "  - repo: {}\n"
                                                         "    rev: {}\n"
                                                         "    hooks:\n"
                                                         "      - id: migrate-check\n"
                                                         "      - id: migrate-renumber\n"
                                                         "      - id: migrate-current\n",
                                                         hooks.root().string(), rev));
    project.write("migrations/202601010000_create_users.sql", kGood);
    project.write("migrations/HEAD", "202601010000_create_users\n");
    project.commit("users");
    ProcessResult install = run_process({"pre-commit", "install", "-t", "pre-commit", "-t",
                                         "post-merge", "-t", "post-rewrite", "-t", "post-checkout"},
                                        {.cwd = project.root(), .env = env()});
    INFO(install.out << install.err);
    REQUIRE(install.exit_code == 0);
  }

  /// The tools on PATH, as `language: system` needs them; the framework's cache in the test's
  /// folder.
  std::map<std::string, std::string> env() const {
    const char* path = std::getenv("PATH");
    return {{"PATH", tool_path("migrate").parent_path().string() + ":" + (path ? path : "")},
            {"PRE_COMMIT_HOME", (dir / "pre-commit-cache").string()},
            {"HOME", dir.path().string()}};
  }
  ProcessResult commit(const std::string& message) const {
    return project.try_git({"commit", "-m", message}, env());
  }
};

}  // namespace

TEST_CASE("pre-commit framework: Debian's pre-commit runs migrate's hooks from the manifest",
          "[e2e][hooks][git]") {
  FrameworkProject repo;

  SECTION("a broken migration is refused at the commit, and nothing is committed") {
    std::string head = repo.project.git({"rev-parse", "HEAD"});
    repo.project.write("migrations/202601020000_broken.sql", "CREATE TABLE t (x INT);\n");
    repo.project.git({"add", "-A"});
    ProcessResult refused = repo.commit("broken");
    INFO(refused.out << refused.err);
    CHECK(refused.exit_code != 0);
    // git shows a hook's output on stderr.
    CHECK_THAT(refused.err, Contains("migrate check --staged") && Contains("Failed"));
    CHECK_THAT(refused.err, Contains("202601020000_broken.sql:1: text before '-- migrate:up'"));
    CHECK_THAT(refused.err, !Contains("--format.."));
    CHECK(repo.project.git({"rev-parse", "HEAD"}) == head);

    repo.project.write("migrations/202601020000_broken.sql",
                       "-- Add t.\n-- migrate:up\nCREATE TABLE t (x INT);\n");
    repo.project.write("migrations/HEAD", "202601020000_broken\n");
    repo.project.git({"add", "-A"});
    ProcessResult fixed = repo.commit("fixed");
    INFO(fixed.out << fixed.err);
    CHECK(fixed.exit_code == 0);
    CHECK_THAT(fixed.err, Contains("migrate check --staged") && Contains("Passed"));
  }
  SECTION("an amend after a fetch brought new upstream migrations renumbers nothing, quietly") {
    // origin/main one migration ahead, not brought in: the framework's post-rewrite runs
    // migrate-renumber after the amend, which has nothing to do.
    REQUIRE(repo.project.try_git({"checkout", "--quiet", "-b", "ahead"}, repo.env()).exit_code ==
            0);
    repo.project.write("migrations/202601030000_create_posts.sql",
                       "-- Create posts.\n-- depends: 202601010000_create_users\n-- migrate:up\n"
                       "CREATE TABLE posts (id INTEGER);\n-- migrate:down\nDROP TABLE posts;\n");
    repo.project.write("migrations/HEAD", "202601030000_create_posts\n");
    repo.project.git({"add", "-A"});
    REQUIRE(repo.project.try_git({"commit", "--quiet", "--no-verify", "-m", "posts"}, repo.env())
                .exit_code == 0);
    repo.project.git({"update-ref", "refs/remotes/origin/main", "HEAD"});
    REQUIRE(repo.project.try_git({"checkout", "--quiet", "main"}, repo.env()).exit_code == 0);
    ProcessResult amended = repo.project.try_git(
        {"commit", "--amend", "--allow-empty", "-m", "users, amended"}, repo.env());
    INFO(amended.out << amended.err);
    CHECK(amended.exit_code == 0);
    CHECK_THAT(amended.err, Contains("migrate renumber") && Contains("Passed"));
    CHECK_THAT(amended.err, !Contains("lacks"));
  }
  SECTION("a checkout runs migrate-current --hook, which never fails it") {
    ProcessResult checkout = repo.project.try_git({"checkout", "-b", "feature"}, repo.env());
    INFO(checkout.out << checkout.err);
    CHECK(checkout.exit_code == 0);
    CHECK_THAT(checkout.out + checkout.err, Contains("migrate current --hook"));
  }
}
