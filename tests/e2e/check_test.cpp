#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "support/git_work_tree.hpp"
#include "support/project.hpp"
#include "support/temp_dir.hpp"

using namespace migrate::test;
using Catch::Contains;
namespace fs = std::filesystem;

namespace {

constexpr const char* kConf = "[migrate]\n\tmodels = app/models/**\n\tupstream = origin/main\n";

std::string migration(const std::string& table, const std::string& parent = "") {
  std::string header = "-- Create " + table + ".\n";
  if (!parent.empty()) {
    header += "-- depends: " + parent + "\n";
  }
  return header + "-- migrate:up\nCREATE TABLE " + table + " (id INTEGER);\n-- migrate:down\n" +
         "DROP TABLE " + table + ";\n";
}

/// A repository with one shared migration (origin/main points at the first commit).
struct Repo {
  TempDir dir;
  GitWorkTree tree{dir / "repo"};

  Repo() {
    tree.write("migrate.conf", kConf);
    tree.write("app/models/user.py", "class User: pass\n");
    tree.write("migrations/1_users.sql", migration("users"));
    tree.write("migrations/HEAD", "1_users\n");
    tree.commit("users");
    tree.git({"update-ref", "refs/remotes/origin/main", "HEAD"});
  }
  ProcessResult check(const std::vector<std::string>& args = {"--staged"},
                      RunOptions options = {}) const {
    options.cwd = tree.root();
    return run_tool("migrate-check", args, options);
  }
  /// Adds migration 2_posts with HEAD pointing at it, staged.
  void stage_new_migration() const {
    tree.write("migrations/2_posts.sql", migration("posts", "1_users"));
    tree.write("migrations/HEAD", "2_posts\n");
    tree.git({"add", "-A"});
  }
};

}  // namespace

TEST_CASE("check: a model change with its migration passes", "[e2e][check][git]") {
  Repo repo;
  repo.tree.write("app/models/user.py", "class User:\n    phone = None\n");
  repo.stage_new_migration();
  ProcessResult result = repo.check();
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Contains("the staged commit is fine: 2 migrations, 1 new, head 2_posts"));
}

TEST_CASE("check: a model change without a migration is refused", "[e2e][check][git]") {
  Repo repo;
  repo.tree.write("app/models/user.py", "class User:\n    phone = None\n");
  repo.tree.git({"add", "-A"});
  std::string staged = repo.tree.git({"diff", "--cached", "--name-only"});
  ProcessResult result = repo.check();
  CHECK(result.exit_code == 3);
  CHECK_THAT(result.err, Contains("app/models/user.py changed") && Contains("migrate create"));
  CHECK(repo.tree.git({"diff", "--cached", "--name-only"}) == staged);  // nothing touched
  // Only staged changes count with --staged; the work tree check sees unstaged ones too.
  repo.tree.git({"reset", "--quiet"});
  CHECK(repo.check().exit_code == 0);
  CHECK(repo.check({}).exit_code == 3);
}

TEST_CASE("check: an untracked new migration counts in the work tree check only",
          "[e2e][check][git]") {
  Repo repo;
  repo.tree.write("app/models/user.py", "class User:\n    phone = None\n");
  repo.tree.write("migrations/2_posts.sql", migration("posts", "1_users"));
  repo.tree.write("migrations/HEAD", "2_posts\n");
  CHECK(repo.check({}).exit_code == 0);
  repo.tree.git({"add", "app"});
  CHECK(repo.check().exit_code == 3);
}

TEST_CASE("check: editing a shared migration is refused unless allowed", "[e2e][check][git]") {
  Repo repo;
  repo.tree.write("migrations/1_users.sql", migration("members"));
  repo.tree.git({"add", "-A"});
  ProcessResult refused = repo.check();
  CHECK(refused.exit_code == 3);
  CHECK_THAT(refused.err, Contains("migrations/1_users.sql is modified") &&
                              Contains("already shared") && Contains("--allow-edit 1"));
  CHECK(repo.check({"--staged", "--allow-edit", "1"}).exit_code == 0);
  CHECK(repo.check({"--staged"}, {.env = {{"MIGRATE_ALLOW_EDIT", "1_users"}}}).exit_code == 0);

  SECTION("a migration not pushed yet may be edited") {
    repo.tree.git({"update-ref", "-d", "refs/remotes/origin/main"});
    CHECK(repo.check().exit_code == 0);
  }
}

TEST_CASE("check: editing a shared Flyway migration or its undo file is refused",
          "[e2e][check][git][flyway]") {
  TempDir dir;
  GitWorkTree tree{dir / "repo"};
  tree.write("migrate.conf", "[migrate]\n\tupstream = origin/main\n");
  tree.write("migrations/V1.1__users.sql", "CREATE TABLE users (id INTEGER);\n");
  tree.write("migrations/U1.1__users.sql", "DROP TABLE users;\n");
  tree.commit("users");
  tree.git({"update-ref", "refs/remotes/origin/main", "HEAD"});
  RunOptions options{.cwd = tree.root()};
  for (const char* file : {"migrations/V1.1__users.sql", "migrations/U1.1__users.sql"}) {
    INFO(file);
    tree.write(file, "-- edited\nCREATE TABLE members (id INTEGER);\n");
    tree.git({"add", "-A"});
    ProcessResult refused = run_tool("migrate-check", {"--staged"}, options);
    INFO(refused.out << refused.err);
    CHECK(refused.exit_code == 3);
    CHECK_THAT(refused.err,
               Contains(std::string(file) + " is modified") && Contains("already shared"));
    CHECK(run_tool("migrate-check", {"--staged", "--allow-edit", "1.1"}, options).exit_code == 0);
    tree.git({"checkout", "HEAD", "--", file});
  }
}

TEST_CASE("check: Flyway's subfolders are read as Flyway reads them, hidden ones not",
          "[e2e][check][git][flyway]") {
  TempDir dir;
  GitWorkTree tree{dir / "repo"};
  tree.write("migrate.conf", "[migrate]\n\tupstream = origin/main\n");
  tree.write("migrations/V1__users.sql", "CREATE TABLE users (id INTEGER);\n");
  tree.write("migrations/2024/V2__posts.sql", "CREATE TABLE posts (id INTEGER);\n");
  tree.write("migrations/.drafts/V9__draft.sql", "not SQL at all\n");
  tree.commit("two");
  tree.git({"update-ref", "refs/remotes/origin/main", "HEAD"});
  RunOptions options{.cwd = tree.root()};
  ProcessResult fine = run_tool("migrate-check", {"--staged"}, options);
  INFO(fine.out << fine.err);
  CHECK(fine.exit_code == 0);
  CHECK_THAT(fine.err + fine.out, Contains("2 migrations, head V2__posts"));
  // An edit of the shared one in the subfolder is caught, in the index and in the work tree.
  tree.write("migrations/2024/V2__posts.sql", "CREATE TABLE posts (id INTEGER, x INTEGER);\n");
  for (bool staged : {false, true}) {
    INFO((staged ? "the index" : "the work tree"));
    tree.git({"add", "-A"});
    ProcessResult refused = run_tool(
        "migrate-check", staged ? std::vector<std::string>{"--staged"} : std::vector<std::string>{},
        options);
    CHECK(refused.exit_code == 3);
    CHECK_THAT(refused.err,
               Contains("migrations/2024/V2__posts.sql is modified") && Contains("already shared"));
  }
  tree.git({"checkout", "HEAD", "--", "migrations/2024/V2__posts.sql"});
  // A new one there counts, and a duplicate version across folders is refused.
  tree.write("migrations/2024/V3__tags.sql", "CREATE TABLE tags (id INTEGER);\n");
  tree.git({"add", "-A"});
  ProcessResult added = run_tool("migrate-check", {"--staged"}, options);
  INFO(added.out << added.err);
  CHECK(added.exit_code == 0);
  CHECK_THAT(added.err + added.out, Contains("3 migrations, 1 new, head V3__tags"));
  tree.write("migrations/V3__other.sql", "CREATE TABLE other (id INTEGER);\n");
  tree.git({"add", "-A"});
  ProcessResult twice = run_tool("migrate-check", {"--staged"}, options);
  CHECK(twice.exit_code != 0);
  CHECK_THAT(twice.err, Contains("V3__other.sql") && Contains("V3__tags.sql"));
}

TEST_CASE("check: a goose folder's Go migrations are named, or skipped with skip-go",
          "[e2e][check][git][goose]") {
  TempDir dir;
  GitWorkTree tree{dir / "repo"};
  tree.write("migrations/00001_users.sql", "-- +goose Up\nCREATE TABLE users (id int);\n");
  tree.commit("users");
  tree.write("migrations/00002_backfill.go", "package migrations\n");
  tree.git({"add", "-A"});
  RunOptions options{.cwd = tree.root()};
  ProcessResult refused = run_tool("migrate-check", {"--staged"}, options);
  INFO(refused.out << refused.err);
  CHECK(refused.exit_code != 0);
  CHECK_THAT(refused.err, Contains("00002_backfill.go"));
  tree.write("migrate.conf", "[migrate]\n\tskip-go = true\n");
  tree.git({"add", "-A"});
  ProcessResult skipped = run_tool("migrate-check", {"--staged"}, options);
  INFO(skipped.out << skipped.err);
  CHECK(skipped.exit_code == 0);
}

TEST_CASE("check: renaming or deleting a shared migration is refused", "[e2e][check][git]") {
  Repo repo;
  SECTION("renamed") {
    repo.tree.git({"mv", "migrations/1_users.sql", "migrations/5_users.sql"});
    repo.tree.write("migrations/HEAD", "5_users\n");
    repo.tree.git({"add", "-A"});
    ProcessResult result = repo.check();
    CHECK(result.exit_code == 3);
    CHECK_THAT(result.err, Contains("renamed to migrations/5_users.sql"));
  }
  SECTION("deleted") {
    repo.tree.git({"rm", "--quiet", "migrations/1_users.sql"});
    ProcessResult result = repo.check();
    CHECK(result.exit_code == 3);
    CHECK_THAT(result.err, Contains("migrations/1_users.sql is deleted"));
  }
}

TEST_CASE("check: the staged migrations must form one graph that HEAD names",
          "[e2e][check][git][bad-input]") {
  Repo repo;
  SECTION("two heads") {
    repo.tree.write("migrations/2_posts.sql", migration("posts", "1_users"));
    repo.tree.write("migrations/3_tags.sql", migration("tags", "1_users"));
    repo.tree.write("migrations/HEAD", "3_tags\n");
    repo.tree.git({"add", "-A"});
    ProcessResult result = repo.check();
    CHECK(result.exit_code == 3);
    CHECK_THAT(result.err, Contains("2 heads after this commit: 2_posts, 3_tags"));
  }
  SECTION("HEAD not updated") {
    repo.tree.write("migrations/2_posts.sql", migration("posts", "1_users"));
    repo.tree.git({"add", "-A"});
    CHECK_THAT(repo.check().err,
               Contains("migrations/HEAD names 1_users, but the head is 2_posts"));
  }
  SECTION("a duplicate id") {
    repo.tree.write("migrations/1_other.sql", migration("other"));
    repo.tree.git({"add", "-A"});
    ProcessResult result = repo.check();
    CHECK(result.exit_code == 3);
    CHECK_THAT(result.err, Contains("duplicate id 1"));
  }
  SECTION("a file that does not parse") {
    repo.tree.write("migrations/2_bad.sql", "CREATE TABLE x (id INT);\n");
    repo.tree.write("migrations/HEAD", "2_bad\n");
    repo.tree.git({"add", "-A"});
    ProcessResult result = repo.check();
    CHECK(result.exit_code == 3);
    CHECK_THAT(result.err, Contains("migrations/2_bad.sql:1"));
  }
  SECTION("a cycle") {
    repo.tree.write("migrations/2_a.sql", migration("a", "3_b"));
    repo.tree.write("migrations/3_b.sql", migration("b", "2_a"));
    repo.tree.git({"add", "-A"});
    CHECK_THAT(repo.check().err, Contains("cycle"));
  }
  SECTION("only what is staged counts: the fix in the work tree alone is not enough") {
    repo.tree.write("migrations/2_posts.sql", migration("posts", "1_users"));
    repo.tree.git({"add", "-A"});
    repo.tree.write("migrations/HEAD", "2_posts\n");  // not staged
    CHECK(repo.check().exit_code == 3);
    CHECK(repo.check({}).exit_code == 0);
  }
}

TEST_CASE("check: --json lists the problems for programs", "[e2e][check][git]") {
  Repo repo;
  repo.tree.write("app/models/user.py", "class User:\n    phone = None\n");
  repo.tree.git({"add", "-A"});
  ProcessResult result = repo.check({"--staged", "--json"});
  CHECK(result.exit_code == 3);
  CHECK_THAT(result.out, Contains("\"ok\": false") &&
                             Contains("\"kind\": \"model-without-migration\"") &&
                             Contains("\"upstream\": \"origin/main\""));
}

TEST_CASE("check: the first commit, and outside a repository", "[e2e][check][git][bad-input]") {
  SECTION("before the first commit") {
    TempDir dir;
    GitWorkTree tree(dir / "repo");
    tree.write("migrations/1_users.sql", migration("users"));
    tree.write("migrations/HEAD", "1_users\n");
    tree.git({"add", "-A"});
    ProcessResult result = run_tool("migrate-check", {"--staged"}, {.cwd = tree.root()});
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.out, Contains("1 migration, 1 new"));
  }
  SECTION("outside a git repository") {
    Project project;
    ProcessResult result = project.run("migrate-check", {"--staged"});
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Contains("migrate-check works on a git repository"));
  }
}

TEST_CASE("check: the installed pre-commit hook stops a commit that needs a migration",
          "[e2e][check][git][hooks]") {
  Repo repo;
  REQUIRE(run_tool("migrate-hooks", {"install"}, {.cwd = repo.tree.root()}).exit_code == 0);
  repo.tree.write("app/models/user.py", "class User:\n    phone = None\n");
  repo.tree.git({"add", "-A"});
  std::string head = repo.tree.git({"rev-parse", "HEAD"});
  ProcessResult refused = repo.tree.try_git({"commit", "--quiet", "-m", "phone"});
  CHECK(refused.exit_code != 0);
  CHECK_THAT(refused.err, Contains("app/models/user.py changed"));
  CHECK(repo.tree.git({"rev-parse", "HEAD"}) == head);

  repo.stage_new_migration();
  CHECK(repo.tree.try_git({"commit", "--quiet", "-m", "phone"}).exit_code == 0);
  CHECK(repo.tree.git({"rev-parse", "HEAD"}) != head);
}

TEST_CASE("check: the pre-commit hook sees what git commit -a and git commit <paths> commit",
          "[e2e][check][git][hooks]") {
  // Both stage the commit in an index of their own (GIT_INDEX_FILE) and leave .git/index as
  // it was until the commit is made: the hook must read the one git names.
  Repo repo;
  REQUIRE(run_tool("migrate-hooks", {"install"}, {.cwd = repo.tree.root()}).exit_code == 0);
  std::string head = repo.tree.git({"rev-parse", "HEAD"});
  repo.tree.write("app/models/user.py", "class User:\n    phone = None\n");  // not staged

  ProcessResult all = repo.tree.try_git({"commit", "--quiet", "-a", "-m", "phone"});
  CHECK(all.exit_code != 0);
  CHECK_THAT(all.err, Contains("app/models/user.py changed"));
  ProcessResult paths =
      repo.tree.try_git({"commit", "--quiet", "-m", "phone", "--", "app/models/user.py"});
  CHECK(paths.exit_code != 0);
  CHECK_THAT(paths.err, Contains("app/models/user.py changed"));
  CHECK(repo.tree.git({"rev-parse", "HEAD"}) == head);
  CHECK(repo.tree.git({"status", "--porcelain"}) == " M app/models/user.py");  // as it was

  // With the migration staged, the same commit goes through, the model change with it.
  repo.tree.write("migrations/2_posts.sql", migration("posts", "1_users"));
  repo.tree.write("migrations/HEAD", "2_posts\n");
  repo.tree.git({"add", "migrations"});
  ProcessResult committed = repo.tree.try_git({"commit", "--quiet", "-a", "-m", "phone"});
  INFO(committed.err);
  CHECK(committed.exit_code == 0);
  CHECK(repo.tree.git({"status", "--porcelain"}).empty());
}

TEST_CASE("check: git commit --amend is checked against the parent of the commit it replaces",
          "[e2e][check][git][hooks]") {
  Repo repo;
  REQUIRE(run_tool("migrate-hooks", {"install"}, {.cwd = repo.tree.root()}).exit_code == 0);
  repo.tree.write("app/models/user.py", "class User:\n    phone = None\n");
  repo.stage_new_migration();
  REQUIRE(repo.tree.try_git({"commit", "--quiet", "-m", "phone"}).exit_code == 0);
  std::string first = repo.tree.git({"rev-parse", "HEAD"});

  // The model changed again, amended into the commit that has its migration: accepted, where
  // against HEAD it would look like a model change without one.
  repo.tree.write("app/models/user.py", "class User:\n    phone = None\n    email = None\n");
  repo.tree.git({"add", "app/models/user.py"});
  CHECK(repo.check().exit_code == 3);
  ProcessResult direct = repo.check({"--staged", "--amend"});
  INFO(direct.err);
  CHECK(direct.exit_code == 0);
  CHECK_THAT(direct.out, Contains("the amended commit is fine"));
  ProcessResult amended = repo.tree.try_git({"commit", "--quiet", "--amend", "--no-edit"});
  INFO(amended.err);
  CHECK(amended.exit_code == 0);
  std::string second = repo.tree.git({"rev-parse", "HEAD"});
  CHECK(second != first);

  // The migration taken out of the amended commit, the model change kept: refused, where
  // against HEAD it would look like a commit that changes no model. (--amen: git takes a
  // long option's unique prefix, and so does the hook.)
  repo.tree.git({"rm", "--quiet", "--cached", "migrations/2_posts.sql"});
  repo.tree.git({"checkout", "HEAD~1", "--", "migrations/HEAD"});
  CHECK(repo.check().exit_code == 0);
  ProcessResult refused = repo.tree.try_git({"commit", "--quiet", "--amen", "--no-edit"});
  CHECK(refused.exit_code != 0);
  CHECK_THAT(refused.err,
             Contains("the amended commit is refused") && Contains("app/models/user.py changed"));
  CHECK(repo.tree.git({"rev-parse", "HEAD"}) == second);
}

TEST_CASE("check: --amend of a first commit, and --amend without --staged",
          "[e2e][check][git][bad-input]") {
  TempDir dir;
  GitWorkTree tree(dir / "repo");
  tree.write("migrations/1_users.sql", migration("users"));
  tree.write("migrations/HEAD", "1_users\n");
  tree.commit("users");
  // A first commit has no parent: amended, everything in it is new.
  ProcessResult first = run_tool("migrate-check", {"--staged", "--amend"}, {.cwd = tree.root()});
  CHECK(first.exit_code == 0);
  CHECK_THAT(first.out, Contains("1 migration, 1 new"));

  ProcessResult alone = run_tool("migrate-check", {"--amend"}, {.cwd = tree.root()});
  CHECK(alone.exit_code == 2);
  CHECK_THAT(alone.err, Contains("--amend") && Contains("--staged"));
}

TEST_CASE("check: --staged reads the index GIT_INDEX_FILE names, relative or absolute",
          "[e2e][check][git]") {
  Repo repo;
  // An index of its own that stages a model change; .git/index stages nothing.
  repo.tree.write("app/models/user.py", "class User:\n    phone = None\n");
  fs::path other = repo.tree.root() / ".git" / "other-index";
  std::map<std::string, std::string> in_other{{"GIT_INDEX_FILE", other.string()}};
  REQUIRE(repo.tree.try_git({"read-tree", "HEAD"}, in_other).exit_code == 0);
  REQUIRE(repo.tree.try_git({"add", "app/models/user.py"}, in_other).exit_code == 0);

  CHECK(repo.check().exit_code == 0);
  for (const std::string& named : {other.string(), std::string(".git/other-index")}) {
    INFO(named);
    ProcessResult refused = repo.check({"--staged"}, {.env = {{"GIT_INDEX_FILE", named}}});
    CHECK(refused.exit_code == 3);
    CHECK_THAT(refused.err, Contains("app/models/user.py changed"));
  }
  // A relative one is the work tree root's, as for git, wherever the check runs from.
  ProcessResult below =
      run_tool("migrate-check", {"--staged"},
               {.cwd = repo.tree.root() / "app", .env = {{"GIT_INDEX_FILE", ".git/other-index"}}});
  CHECK(below.exit_code == 3);
  CHECK_THAT(below.err, Contains("app/models/user.py changed"));
}

TEST_CASE("check: a GIT_INDEX_FILE that is no index is an error that names it",
          "[e2e][check][git][bad-input]") {
  Repo repo;
  repo.stage_new_migration();
  std::string index_before = read_text(repo.tree.root() / ".git" / "index");
  fs::path damaged = repo.tree.root() / "damaged-index";
  write_text(damaged, "DIRC but not an index\n");
  for (const fs::path& named :
       {damaged, repo.tree.root() / "migrations", repo.tree.root() / "no-such-index"}) {
    INFO(named);
    ProcessResult failed = repo.check({"--staged"}, {.env = {{"GIT_INDEX_FILE", named.string()}}});
    CHECK(failed.exit_code == 1);
    CHECK_THAT(failed.err, Contains(named.string()) && Contains("GIT_INDEX_FILE"));
  }
  CHECK(read_text(damaged) == "DIRC but not an index\n");  // nothing written
  CHECK(read_text(repo.tree.root() / ".git" / "index") == index_before);
  CHECK(repo.check().exit_code == 0);  // the staged migration is fine
}

TEST_CASE("check: a split or sparse index is an error that says how to turn it off",
          "[e2e][check][git][bad-input]") {
  // libgit2 1.5 reads neither extension: the message names the git feature, not the file alone.
  Repo repo;
  repo.stage_new_migration();
  SECTION("split index") {
    repo.tree.git({"config", "core.splitIndex", "true"});
    repo.tree.git({"update-index", "--split-index"});
    ProcessResult refused = repo.check();
    CHECK(refused.exit_code == 1);
    CHECK_THAT(refused.err, Contains("it is a split index (core.splitIndex)") &&
                                Contains("`git config core.splitIndex false` and `git "
                                         "update-index --no-split-index`"));
    repo.tree.git({"config", "core.splitIndex", "false"});
    repo.tree.git({"update-index", "--no-split-index"});
  }
  SECTION("sparse index") {
    repo.tree.git({"sparse-checkout", "set", "--cone", "--sparse-index", "app", "migrations"});
    ProcessResult refused = repo.check();
    CHECK(refused.exit_code == 1);
    CHECK_THAT(refused.err, Contains("it is a sparse index (index.sparse)") &&
                                Contains("`git sparse-checkout init --no-sparse-index`"));
    repo.tree.git({"sparse-checkout", "init", "--no-sparse-index"});
  }
  ProcessResult fine = repo.check();  // as the message said: nothing else to do
  INFO(fine.err);
  CHECK(fine.exit_code == 0);
  CHECK_THAT(fine.out, Contains("2 migrations, 1 new"));
}

TEST_CASE("check: overlapping models patterns name a file once", "[e2e][check][git]") {
  Repo repo;
  repo.tree.write("migrate.conf",
                  "[migrate]\n\tmodels = app/**\n\tmodels = *.py\n\tupstream = origin/main\n");
  repo.tree.git({"add", "migrate.conf"});
  repo.tree.commit("two patterns");
  repo.tree.write("app/models/user.py", "class User:\n    phone = None\n");
  repo.tree.git({"add", "-A"});
  ProcessResult result = repo.check();
  CHECK(result.exit_code == 3);
  CHECK_THAT(result.err, Contains("1. app/models/user.py changed ("));
}

TEST_CASE("check: parsed blobs are remembered in .git, and never served stale or trusted damaged",
          "[e2e][check][git]") {
  Repo repo;
  repo.stage_new_migration();
  fs::path cache = repo.tree.root() / ".git" / "migrate" / "parse-cache";
  REQUIRE(repo.check().exit_code == 0);
  REQUIRE(fs::exists(cache));
  // The second run finds every migration there, so it does not write the file again: a run
  // that parsed them would (a damaged cache is rewritten, below).
  struct stat written {};
  REQUIRE(::stat(cache.c_str(), &written) == 0);
  const std::string first_cache = read_text(cache);
  CHECK(repo.check().exit_code == 0);
  struct stat after {};
  REQUIRE(::stat(cache.c_str(), &after) == 0);
  CHECK(after.st_ino == written.st_ino);
  CHECK(read_text(cache) == first_cache);

  SECTION("a staged edit is a new blob: checked as it now is") {
    repo.tree.write("migrations/2_posts.sql", migration("posts", "9_missing"));
    repo.tree.git({"add", "-A"});
    ProcessResult result = repo.check();
    CHECK(result.exit_code == 3);
    CHECK_THAT(result.err, Contains("9_missing"));
    repo.tree.write("migrations/2_posts.sql", migration("posts", "1_users"));
    repo.tree.git({"add", "-A"});
    CHECK(repo.check().exit_code == 0);
  }
  SECTION("a damaged cache is ignored and written anew") {
    std::string good = read_text(cache);
    std::string damaged = good.substr(0, good.size() / 2) + "garbage";
    write_text(cache, damaged);
    ProcessResult result = repo.check();
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.out, Contains("2 migrations, 1 new, head 2_posts"));
    CHECK(read_text(cache) != damaged);
    // A staged blob that does not parse is refused every time: failures are never remembered.
    repo.tree.write("migrations/2_posts.sql", "-- migrate:up\nSELECT 1;\n-- migrate:up\n");
    repo.tree.git({"add", "-A"});
    CHECK(repo.check().exit_code == 3);
    CHECK(repo.check().exit_code == 3);
  }
  SECTION("a cache that cannot be written costs only time") {
    fs::remove_all(cache.parent_path());
    write_text(cache.parent_path(), "a file where the cache's folder would be");
    ProcessResult result = repo.check();
    CHECK(result.exit_code == 0);
    CHECK(result.err.empty());
    CHECK(fs::is_regular_file(cache.parent_path()));
  }
}

namespace {

/// A clone of a bare origin with four shared migrations, 0001..0004 in a line, and the
/// pre-commit hook installed: the gate as a team meets it.
struct SharedRepo {
  TempDir dir;
  fs::path origin = dir / "origin.git";
  GitWorkTree tree{dir / "work"};

  SharedRepo() {
    REQUIRE(
        run_process({"git", "init", "--quiet", "--bare", "--initial-branch=main", origin.string()})
            .exit_code == 0);
    tree.write("migrate.conf", "[migrate]\n\tupstream = origin/main\n");
    tree.write("migrations/0001_a.sql", migration("a"));
    tree.write("migrations/0002_b.sql", migration("b", "0001_a"));
    tree.write("migrations/0003_c.sql", migration("c", "0002_b"));
    tree.write("migrations/0004_d.sql", migration("d", "0003_c"));
    tree.write("migrations/HEAD", "0004_d\n");
    tree.commit("four");
    tree.git({"remote", "add", "origin", origin.string()});
    tree.git({"push", "--quiet", "-u", "origin", "main"});
    REQUIRE(run_tool("migrate-hooks", {"install"}, {.cwd = tree.root()}).exit_code == 0);
  }
  ProcessResult run(std::string_view tool, const std::vector<std::string>& args,
                    RunOptions options = {}) const {
    options.cwd = tree.root();
    return run_tool(tool, args, options);
  }
  /// Squashes 0002..0003 (not staged) and returns the squash's stem.
  std::string squash() const {
    ProcessResult squashed = run("migrate-squash", {"0002", "0003"});
    REQUIRE(squashed.exit_code == 0);
    return fs::path(trimmed(squashed.out)).stem().string();
  }
  /// Stages everything, and expects the gate to pass it, and the hook to let it be committed.
  void expect_committed(const std::string& message) const {
    tree.git({"add", "-A"});
    ProcessResult check = run("migrate-check", {"--staged"});
    INFO(check.err);
    CHECK(check.exit_code == 0);
    ProcessResult commit = tree.try_git({"commit", "--quiet", "-m", message});
    INFO(commit.err);
    REQUIRE(commit.exit_code == 0);
    CHECK(tree.git({"status", "--porcelain"}).empty());
  }
  /// Stages everything, and expects the gate to refuse it, changing nothing.
  void expect_refused(const std::string& message) const {
    tree.git({"add", "-A"});
    std::string staged = tree.git({"diff", "--cached", "--name-status"});
    std::string head = tree.git({"rev-parse", "HEAD"});
    ProcessResult check = run("migrate-check", {"--staged"});
    CHECK(check.exit_code == 3);
    CHECK_THAT(check.err, Contains(message));
    ProcessResult commit = tree.try_git({"commit", "--quiet", "-m", "refused"});
    CHECK(commit.exit_code != 0);
    CHECK_THAT(commit.err, Contains(message));
    CHECK(tree.git({"rev-parse", "HEAD"}) == head);
    CHECK(tree.git({"diff", "--cached", "--name-status"}) == staged);
  }
};

}  // namespace

TEST_CASE("check: a squash of shared migrations, and its prune, pass the gate",
          "[e2e][check][git][squash]") {
  SharedRepo repo;
  std::string squash = repo.squash();
  repo.tree.git({"add", "-A"});
  CHECK(repo.tree.git({"diff", "--cached", "--name-status"}) ==
        "M\tmigrations/0004_d.sql\nA\tmigrations/" + squash + ".sql");  // the child re-pointed
  repo.expect_committed("squash 0002..0003");
  repo.tree.git({"push", "--quiet", "origin", "main"});

  REQUIRE(repo.run("migrate-squash", {"--prune"}).exit_code == 0);
  repo.tree.git({"add", "-A"});
  std::string pruned = repo.tree.git({"diff", "--cached", "--name-status"});
  CHECK_THAT(pruned, Contains("D\tmigrations/0002_b.sql") && Contains("D\tmigrations/0003_c.sql") &&
                         Contains("M\tmigrations/" + squash + ".sql"));
  repo.expect_committed("prune");
}

TEST_CASE("check: the originals stay until the squash is pushed", "[e2e][check][git][squash]") {
  // Committed but not pushed: pushing the squash and the prune together would give a teammate
  // whose database ran 0002 but not 0003 a squash without the originals to finish the range.
  SharedRepo repo;
  std::string squash = repo.squash();
  repo.expect_committed("squash 0002..0003");
  REQUIRE(repo.run("migrate-squash", {"--prune"}).exit_code == 0);
  repo.expect_refused("migrations/0002_b.sql is deleted, but it is already shared");
  CHECK_THAT(repo.run("migrate-check", {"--staged"}).err,
             Contains(squash + " replaces it, but upstream does not have " + squash + " yet") &&
                 Contains("Commit and push the squash without removing them"));

  repo.tree.git({"push", "--quiet", "origin", "main"});
  repo.expect_committed("prune");
}

TEST_CASE("check: edits of shared migrations are still refused around a squash",
          "[e2e][check][git][squash][bad-input]") {
  SharedRepo repo;
  std::string squash = repo.squash();

  SECTION("a real edit of a shared migration in the same commit") {
    repo.tree.write("migrations/0001_a.sql", migration("aa"));
    repo.expect_refused("migrations/0001_a.sql is modified, but it is already shared");
  }
  SECTION("a child's depends: pointing elsewhere than at the squash") {
    repo.tree.write("migrations/0004_d.sql", migration("d", "0001_a"));
    repo.expect_refused("migrations/0004_d.sql is modified, but it is already shared");
  }
  SECTION("a child re-pointed at the squash, and its SQL changed too") {
    repo.tree.write("migrations/0004_d.sql", migration("dd", squash));
    repo.expect_refused("migrations/0004_d.sql is modified, but it is already shared");
  }
  SECTION("the originals deleted together with the squash's replaces: line") {
    // Nothing in the commit or in HEAD says a squash replaces them: teammates' databases that
    // ran part of the range would run the squash on top of it.
    REQUIRE(repo.run("migrate-squash", {"--prune"}).exit_code == 0);
    repo.expect_refused("migrations/0002_b.sql is deleted, but it is already shared");
    CHECK_THAT(repo.run("migrate-check", {"--staged"}).err,
               Contains("commit and push the squash, and remove the originals with `migrate "
                        "squash --prune`"));
  }
  SECTION("a shared migration deleted without a squash") {
    repo.tree.git({"reset", "--quiet", "--hard"});
    repo.tree.git({"clean", "--quiet", "-fd"});
    repo.tree.remove("migrations/0004_d.sql");
    repo.tree.write("migrations/HEAD", "0003_c\n");
    repo.expect_refused("migrations/0004_d.sql is deleted, but it is already shared");
  }
}

TEST_CASE("check: MIGRATE_ALLOW_EDIT takes ids separated by spaces or commas",
          "[e2e][check][git]") {
  SharedRepo repo;
  repo.tree.write("migrations/0001_a.sql", migration("aa"));
  repo.tree.write("migrations/0002_b.sql", migration("bb", "0001_a"));
  repo.tree.git({"add", "-A"});
  ProcessResult refused = repo.run("migrate-check", {"--staged"});
  CHECK(refused.exit_code == 3);
  CHECK_THAT(refused.err, Contains("(2 problems)") && Contains("separated by spaces or commas"));
  for (const char* ids : {"0001,0002", "0001 0002", "0001_a, 0002"}) {
    INFO(ids);
    ProcessResult allowed =
        repo.run("migrate-check", {"--staged"}, {.env = {{"MIGRATE_ALLOW_EDIT", ids}}});
    INFO(allowed.err);
    CHECK(allowed.exit_code == 0);
  }
  CHECK(repo.run("migrate-check", {"--staged"}, {.env = {{"MIGRATE_ALLOW_EDIT", "0001"}}})
            .exit_code == 3);
  CHECK(repo.run("migrate-check", {"--staged", "--allow-edit", "0001,0002"}).exit_code == 0);
}

TEST_CASE("check: a staged migration named .SQL is refused, not skipped", "[e2e][check][git]") {
  Repo repo;
  repo.tree.write("migrations/2_posts.SQL", migration("posts", "1_users"));
  repo.tree.write("app/models/user.py", "class User: email = None\n");
  repo.tree.git({"add", "-A"});
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--staged"}, std::vector<std::string>{}}) {
    ProcessResult result = repo.check(args);
    INFO(result.out << result.err);
    CHECK(result.exit_code == 3);
    CHECK_THAT(result.out + result.err, Contains("2_posts.SQL: the name ends in '.SQL'"));
  }
}

TEST_CASE("check: new migrations left as migrate-create wrote them are refused",
          "[e2e][check][git][hooks][bad-input]") {
  // As in the trial: four templates, committed untouched, would pass the gate and then be
  // refused by `migrate upgrade`.
  Repo repo;
  REQUIRE(run_tool("migrate-hooks", {"install"}, {.cwd = repo.tree.root()}).exit_code == 0);
  std::vector<std::string> created;
  for (const char* message : {"add a", "add b", "add c", "add d"}) {
    ProcessResult result = run_tool("migrate-create", {message}, {.cwd = repo.tree.root()});
    REQUIRE(result.exit_code == 0);
    created.push_back(trimmed(result.out));
  }
  repo.tree.git({"add", "-A"});
  std::string head = repo.tree.git({"rev-parse", "HEAD"});
  std::string staged = repo.tree.git({"diff", "--cached", "--name-status"});
  ProcessResult check = repo.check();
  CHECK(check.exit_code == 3);
  CHECK_THAT(check.err, Contains(created[0] + ":") && Contains(created[3] + ":") &&
                            Contains("have no statement in their up section") &&
                            Contains("`migrate upgrade` would refuse to apply them") &&
                            Contains("--no-verify"));
  ProcessResult commit = repo.tree.try_git({"commit", "--quiet", "-m", "four"});
  CHECK(commit.exit_code != 0);
  CHECK_THAT(commit.err, Contains("have no statement in their up section"));
  CHECK(repo.tree.git({"rev-parse", "HEAD"}) == head);
  CHECK(repo.tree.git({"diff", "--cached", "--name-status"}) == staged);
  CHECK(run_tool("migrate-upgrade", {}, {.cwd = repo.tree.root()}).exit_code == 2);  // agrees

  // Written, they pass; one left empty is named alone.
  auto write_up = [&](std::size_t i) {
    std::filesystem::path file = repo.tree.root() / created[i];
    std::string text = read_text(file);
    std::string up = "-- migrate:up\n";
    text.insert(text.find(up) + up.size(), "CREATE TABLE t" + std::to_string(i) + " (id INT);\n");
    write_text(file, text);
  };
  for (std::size_t i : {0, 1, 3}) {
    write_up(i);
  }
  repo.tree.git({"add", "-A"});
  ProcessResult one = repo.check();
  CHECK(one.exit_code == 3);
  CHECK_THAT(one.err, Contains(created[2] + ":") && Contains("has no statement in its up section"));
  CHECK_THAT(one.err, !Contains(created[0]));
  write_up(2);
  repo.tree.git({"add", "-A"});
  ProcessResult committed = repo.tree.try_git({"commit", "--quiet", "-m", "four"});
  INFO(committed.err);
  CHECK(committed.exit_code == 0);
}

TEST_CASE("check: without the upstream branch, a note says shared migrations are not checked",
          "[e2e][check][git]") {
  Repo repo;
  std::string upstream = "origin/main";
  SECTION("no remote-tracking branch at all") {
    repo.tree.git({"update-ref", "-d", "refs/remotes/origin/main"});
  }
  SECTION("upstream names a branch that does not exist") {
    repo.tree.write("migrate.conf",
                    "[migrate]\n\tmodels = app/models/**\n\tupstream = origin/nope\n");
    repo.tree.commit("upstream");
    upstream = "origin/nope";
  }
  std::string note = "note: the upstream branch " + upstream +
                     " does not exist here, so edits of shared migrations are not checked";
  // The edit passes, as nothing is known to be shared, with the note, once.
  repo.tree.write("migrations/1_users.sql", migration("members"));
  repo.tree.git({"add", "-A"});
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--staged"}, std::vector<std::string>{}}) {
    ProcessResult passed = repo.check(args);
    CHECK(passed.exit_code == 0);
    CHECK(occurrences(passed.err, note) == 1);
    CHECK_THAT(passed.err, Contains("set `upstream` in migrate.conf, or fetch it"));
  }
  // A refusal keeps its exit code; -q keeps the note out.
  repo.tree.write("app/models/user.py", "class User:\n    phone = None\n");
  repo.tree.git({"add", "-A"});
  ProcessResult refused = repo.check();
  CHECK(refused.exit_code == 3);
  CHECK(occurrences(refused.err, note) == 1);
  ProcessResult quiet = repo.check({"--staged", "-q"});
  CHECK(quiet.exit_code == 3);
  CHECK(quiet.err.find(note) == std::string::npos);
}
