// GitRepo's references, operation state and index changes, on real repositories made with the
// git CLI: what libgit2 sees and does is checked by git itself.
#include "git/git_repo.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

#include "support/git_work_tree.hpp"
#include "support/temp_dir.hpp"
#include "util/error.hpp"

using namespace migrate;
using namespace migrate::test;
using Names = std::vector<std::string>;

namespace {

/// A repository whose main branch has a.sql, and whose side branch edits it differently: a
/// merge of side stops on a conflict in a.sql.
void two_sides(GitWorkTree& repo) {
  repo.write("a.sql", "SELECT 1;\n");
  repo.commit("a");
  repo.git({"checkout", "--quiet", "-b", "side"});
  repo.write("a.sql", "SELECT 2;\n");
  repo.commit("side");
  repo.git({"checkout", "--quiet", "main"});
  repo.write("a.sql", "SELECT 3;\n");
  repo.commit("main");
}

std::unique_ptr<GitRepo> open(const GitWorkTree& repo) {
  std::unique_ptr<GitRepo> opened = GitRepo::discover(repo.root());
  REQUIRE(opened);
  return opened;
}

}  // namespace

TEST_CASE("git_repo: remote-tracking branches and short names, as git resolves them", "[git]") {
  TempDir dir;
  GitWorkTree repo(dir.path());
  repo.commit("first");
  repo.git({"update-ref", "refs/remotes/origin/main", "HEAD"});
  repo.git({"update-ref", "refs/remotes/origin/feature", "HEAD"});
  repo.git({"symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/main"});
  std::unique_ptr<GitRepo> git = open(repo);
  Names branches = git->remote_branches();
  std::sort(branches.begin(), branches.end());
  CHECK(branches == Names{"refs/remotes/origin/feature", "refs/remotes/origin/main"});
  CHECK(git->reference_name("origin/main") == "refs/remotes/origin/main");
  CHECK(git->reference_name("main") == "refs/heads/main");
  CHECK_FALSE(git->reference_name("origin/nothing"));
}

TEST_CASE("git_repo: no remote-tracking branches in a repository without remotes", "[git]") {
  TempDir dir;
  GitWorkTree repo(dir.path());
  repo.commit("first");
  CHECK(open(repo)->remote_branches().empty());
}

TEST_CASE("git_repo: the operation under way", "[git]") {
  TempDir dir;
  GitWorkTree repo(dir.path());
  two_sides(repo);
  CHECK(open(repo)->operation_under_way() == GitOperationKind::none);
  SECTION("a merge stopped on a conflict") {
    CHECK(repo.try_git({"merge", "--quiet", "side"}).exit_code != 0);
    CHECK(open(repo)->operation_under_way() == GitOperationKind::merge);
  }
  SECTION("a rebase stopped on a conflict") {
    CHECK(repo.try_git({"rebase", "side"}).exit_code != 0);
    CHECK(open(repo)->operation_under_way() == GitOperationKind::rebase);
  }
  SECTION("a cherry-pick stopped on a conflict") {
    CHECK(repo.try_git({"cherry-pick", "side"}).exit_code != 0);
    CHECK(open(repo)->operation_under_way() == GitOperationKind::cherry_pick);
  }
}

TEST_CASE("git_repo: staging, unstaging and writing the index", "[git]") {
  TempDir dir;
  GitWorkTree repo(dir.path());
  repo.write("a.sql", "SELECT 1;\n");
  repo.commit("a");
  repo.git({"mv", "a.sql", "b.sql"});
  repo.git({"reset", "--quiet"});  // the rename in the work tree only: a.sql staged, b.sql not
  std::unique_ptr<GitRepo> git = open(repo);
  std::unique_ptr<GitIndex> index = git->index();
  CHECK(index->contains("a.sql"));
  CHECK_FALSE(index->contains("b.sql"));
  index->unstage("a.sql");
  index->stage("b.sql");
  CHECK_FALSE(index->contains("a.sql"));
  CHECK(index->contains("b.sql"));
  CHECK(repo.git({"diff", "--cached", "--name-only"}).empty());  // not written yet
  index->write();
  CHECK(repo.git({"diff", "--cached", "--name-status", "-M"}) == "R100\ta.sql\tb.sql");
  CHECK_THROWS_WITH(index->stage("missing.sql"), Catch::Contains("staging missing.sql"));
}

TEST_CASE("git_repo: a conflict dropped and the file staged is resolved", "[git]") {
  TempDir dir;
  GitWorkTree repo(dir.path());
  two_sides(repo);
  REQUIRE(repo.try_git({"merge", "--quiet", "side"}).exit_code != 0);
  std::unique_ptr<GitRepo> git = open(repo);
  std::unique_ptr<GitIndex> index = git->index();
  CHECK(index->has_conflicts());
  CHECK_FALSE(index->contains("a.sql"));  // only its three sides are
  CHECK_FALSE(index->drop_conflict("other.sql"));
  repo.write("a.sql", "SELECT 23;\n");
  CHECK(index->drop_conflict("a.sql"));
  CHECK_FALSE(index->has_conflicts());
  index->stage("a.sql");
  index->write();
  CHECK(repo.git({"diff", "--name-only", "--diff-filter=U"}).empty());
  CHECK(repo.git({"show", ":a.sql"}) == "SELECT 23;");
}

TEST_CASE("git_repo: a libgit2 call that fails is a GitError (exit 1) saying what was done",
          "[git]") {
  CHECK(GitError("git: x").exit_code() == ExitCode::failure);
  TempDir dir;
  GitWorkTree repo(dir.path());
  repo.write("a.sql", "SELECT 1;\n");
  repo.commit("a");
  std::unique_ptr<GitRepo> git = open(repo);
  CHECK_THROWS_AS(git->tree_of("HEAD:a.sql"), GitError);  // a blob has no tree
  CHECK_THROWS_WITH(git->tree_of("HEAD:a.sql"),
                    Catch::StartsWith("git: reading the tree of HEAD:a.sql: "));
}

TEST_CASE("git_repo: paths relative to the work tree's root, '/'-separated", "[git]") {
  TempDir dir;
  GitWorkTree repo(dir.path());
  std::unique_ptr<GitRepo> git = open(repo);
  CHECK(git->relative_path(dir.path() / "db" / "migrations") == "db/migrations");
  CHECK(git->relative_path(dir.path() / "db" / ".." / "migrations") == "migrations");
  CHECK(git->relative_path(dir.path()).empty());
  CHECK_THROWS_AS(git->relative_path(dir.path().parent_path()), UsageError);
  CHECK_THROWS_WITH(git->relative_path(dir.path().parent_path()),
                    Catch::Contains("is outside the git work tree"));
}

TEST_CASE("git_repo: the staged files under a prefix, written as a checkout would", "[git]") {
  TempDir dir;
  GitWorkTree repo(dir / "repo");
  repo.write("schema/a.sql", "CREATE TABLE a (x INTEGER);\n");
  repo.write("schema/sub/b.sql", "committed\n");
  repo.write("schema/run.sh", "#!/bin/sh\n");
  repo.write("schemas/other.sql", "not under schema/\n");
  repo.write("schema.sql", "not under schema/ either\n");
  std::filesystem::permissions(repo.root() / "schema/run.sh", std::filesystem::perms::owner_exec,
                               std::filesystem::perm_options::add);
  repo.commit("schema");
  repo.write("schema/sub/b.sql", "staged\n");
  repo.git({"add", "schema/sub/b.sql"});
  repo.write("schema/sub/b.sql", "only in the work tree\n");
  repo.write("schema/untracked.sql", "never staged\n");
  std::filesystem::create_symlink("a.sql", repo.root() / "schema" / "link.sql");
  repo.git({"add", "schema/link.sql"});
  std::unique_ptr<GitRepo> git = open(repo);
  std::unique_ptr<GitIndex> index = git->index();

  std::filesystem::path out = dir / "out";
  std::filesystem::create_directory(out);
  Names written = git->write_index_files(*index, "schema", out);
  CHECK(written == Names{"schema/a.sql", "schema/link.sql", "schema/run.sh", "schema/sub/b.sql"});
  CHECK(read_text(out / "schema/sub/b.sql") == "staged\n");
  CHECK(std::filesystem::is_symlink(out / "schema/link.sql"));
  CHECK(read_text(out / "schema/link.sql") == "CREATE TABLE a (x INTEGER);\n");
  auto permissions = std::filesystem::status(out / "schema/run.sh").permissions();
  CHECK((permissions & std::filesystem::perms::owner_exec) != std::filesystem::perms::none);
  CHECK_FALSE(std::filesystem::exists(out / "schema/untracked.sql"));
  CHECK_FALSE(std::filesystem::exists(out / "schemas"));
  CHECK(repo.git({"status", "--porcelain"}) ==
        "A  schema/link.sql\nMM schema/sub/b.sql\n?? schema/untracked.sql");  // nothing touched

  Names listed;
  for (const GitFolderEntry& entry : index->files_at("schema/")) {
    listed.push_back(entry.name);
  }
  CHECK(listed == written);
  CHECK(index->files_at("schema/sub/b.sql").front().id.hex() ==
        repo.git({"rev-parse", ":schema/sub/b.sql"}));

  SECTION("a single file, or the whole tree") {
    std::filesystem::path one = dir / "one";
    std::filesystem::create_directory(one);
    CHECK(git->write_index_files(*index, "schema.sql", one) == Names{"schema.sql"});
    std::filesystem::path all = dir / "all";
    std::filesystem::create_directory(all);
    CHECK(git->write_index_files(*index, "", all).size() == 6);
    CHECK(read_text(all / "schemas/other.sql") == "not under schema/\n");
  }
  SECTION("nothing staged there") {
    CHECK(git->write_index_files(*index, "nowhere", out).empty());
    CHECK(git->write_index_files(*index, "schem", out).empty());
  }
}
