// HEAD's commit id remembered by the stamps of the files it is read from, in real repositories
// that the git CLI changes as a user would: every change that moves HEAD is seen.
#include "git/head_commit_cache.hpp"

#include <catch2/catch.hpp>

#include "git/git_repo.hpp"
#include "git/repository_info.hpp"
#include "support/git_work_tree.hpp"
#include "support/later_read.hpp"
#include "support/temp_dir.hpp"

using namespace migrate;
using migrate::test::a_minute_later;
using migrate::test::GitWorkTree;
using migrate::test::TempDir;

namespace {

/// What the cache for `folder` says once git's answer is stored in it, to a later read.
std::optional<std::string> stored_and_found(const std::filesystem::path& folder) {
  std::unique_ptr<GitRepo> repo = GitRepo::discover(folder);
  REQUIRE(repo);
  std::optional<GitObjectId> head = repo->commit_of("HEAD");
  HeadCommitCache(folder, a_minute_later()).store(*repo, head ? head->hex() : "");
  return HeadCommitCache(folder, a_minute_later()).find();
}

}  // namespace

TEST_CASE("head_commit_cache: HEAD is remembered until a file it is read from changes",
          "[git][head_commit_cache]") {
  TempDir dir;
  GitWorkTree tree(dir / "repo");
  tree.write("a.txt", "a\n");
  std::string first = tree.commit("first");
  std::filesystem::path root = tree.root();
  CHECK_FALSE(HeadCommitCache(root, a_minute_later()).find());  // nothing remembered yet
  REQUIRE(stored_and_found(root) == first);
  CHECK(head_commit_id(root) == first);

  SECTION("a commit") {
    tree.write("b.txt", "b\n");
    std::string second = tree.commit("second");
    CHECK_FALSE(HeadCommitCache(root, a_minute_later()).find());
    CHECK(head_commit_id(root) == second);
    CHECK(stored_and_found(root) == second);
  }
  SECTION("a branch moved to a commit of the same length (the file keeps its size)") {
    tree.write("b.txt", "b\n");
    std::string second = tree.commit("second");
    REQUIRE(stored_and_found(root) == second);
    tree.git({"update-ref", "refs/heads/main", first});
    CHECK_FALSE(HeadCommitCache(root, a_minute_later()).find());
    CHECK(head_commit_id(root) == first);
  }
  SECTION("a checkout of another branch, and a detached HEAD") {
    tree.git({"checkout", "-q", "-b", "side"});
    tree.write("c.txt", "c\n");
    std::string side = tree.commit("side");
    tree.git({"checkout", "-q", "main"});
    REQUIRE(stored_and_found(root) == first);
    tree.git({"checkout", "-q", "side"});
    CHECK_FALSE(HeadCommitCache(root, a_minute_later()).find());
    CHECK(stored_and_found(root) == side);
    tree.git({"checkout", "-q", "--detach", "main"});
    CHECK_FALSE(HeadCommitCache(root, a_minute_later()).find());
    CHECK(stored_and_found(root) == first);
  }
  SECTION("refs packed: the loose file goes, packed-refs changes; a commit writes it again") {
    tree.git({"pack-refs", "--all", "--prune"});
    CHECK_FALSE(HeadCommitCache(root, a_minute_later()).find());
    REQUIRE(stored_and_found(root) == first);
    tree.write("b.txt", "b\n");
    std::string second = tree.commit("second");  // a loose file where there was none
    CHECK_FALSE(HeadCommitCache(root, a_minute_later()).find());
    CHECK(head_commit_id(root) == second);
  }
  SECTION("a branch moved in packed-refs alone (no loose file before or after)") {
    tree.write("b.txt", "b\n");
    tree.commit("second");
    tree.git({"pack-refs", "--all", "--prune"});
    REQUIRE(stored_and_found(root));
    tree.git({"update-ref", "refs/heads/main", first});
    tree.git({"pack-refs", "--all", "--prune"});
    REQUIRE_FALSE(std::filesystem::exists(root / ".git/refs/heads/main"));
    CHECK_FALSE(HeadCommitCache(root, a_minute_later()).find());
    CHECK(head_commit_id(root) == first);
  }
  SECTION("HEAD through a chain of symbolic references: the last one moving is seen") {
    tree.git({"symbolic-ref", "refs/heads/alias", "refs/heads/main"});
    tree.git({"symbolic-ref", "HEAD", "refs/heads/alias"});
    REQUIRE(stored_and_found(root) == first);
    tree.write("b.txt", "b\n");
    std::string second = tree.commit("second");  // moves main, through alias
    CHECK_FALSE(HeadCommitCache(root, a_minute_later()).find());
    CHECK(stored_and_found(root) == second);
  }
  SECTION("a file changed a moment ago is not remembered (racy): git resolves HEAD again") {
    std::unique_ptr<GitRepo> repo = GitRepo::discover(root);
    tree.write("b.txt", "b\n");
    std::string second = tree.commit("second");
    HeadCommitCache(root).store(*repo, second);
    CHECK_FALSE(HeadCommitCache(root, a_minute_later()).find());
  }
  SECTION("HEAD moved between its reading and the store: nothing is remembered") {
    std::unique_ptr<GitRepo> repo = GitRepo::discover(root);
    tree.write("b.txt", "b\n");
    tree.commit("second");
    HeadCommitCache(root, a_minute_later()).store(*repo, first);  // the id read before
    CHECK_FALSE(HeadCommitCache(root, a_minute_later()).find());
  }
  SECTION("a damaged cache is not trusted, and is replaced") {
    std::filesystem::path file = root / ".git/migrate/head-commit";
    std::string bytes = migrate::test::read_text(file);
    REQUIRE(bytes.find(first) != std::string::npos);
    bytes[bytes.find(first)] = first[0] == 'a' ? 'b' : 'a';
    migrate::test::write_text(file, bytes);
    CHECK_FALSE(HeadCommitCache(root, a_minute_later()).find());
    CHECK(stored_and_found(root) == first);
  }
}

TEST_CASE("head_commit_cache: before the first commit, and in a linked worktree",
          "[git][head_commit_cache]") {
  TempDir dir;
  GitWorkTree tree(dir / "repo");
  std::filesystem::path root = tree.root();
  CHECK_FALSE(stored_and_found(root));  // no commit yet: nothing remembered, read each time
  CHECK(head_commit_id(root).empty());
  tree.write("a.txt", "a\n");
  std::string first = tree.commit("first");  // the branch's file appears
  CHECK_FALSE(HeadCommitCache(root, a_minute_later()).find());
  CHECK(head_commit_id(root) == first);

  std::filesystem::path linked = dir / "linked";
  tree.git({"worktree", "add", "-q", "-b", "wt", linked.string()});
  REQUIRE(stored_and_found(linked) == first);
  REQUIRE(stored_and_found(root) == first);
  tree.git({"-C", linked.string(), "commit", "-q", "--allow-empty", "-m", "on its branch"});
  std::string on_wt = tree.git({"-C", linked.string(), "rev-parse", "HEAD"});
  CHECK_FALSE(HeadCommitCache(linked, a_minute_later()).find());
  CHECK(head_commit_id(linked) == on_wt);
  CHECK(HeadCommitCache(root, a_minute_later()).find() == first);  // main did not move
}

TEST_CASE("head_commit_cache: nothing is remembered for a repository git did not open there",
          "[git][head_commit_cache]") {
  // An empty .git folder inside a work tree: git passes it by and opens the repository above,
  // whose HEAD must not be remembered as this folder's.
  TempDir dir;
  GitWorkTree outer(dir / "outer");
  outer.write("a.txt", "a\n");
  std::string first = outer.commit("first");
  std::filesystem::path inner = outer.root() / "svc";
  std::filesystem::create_directories(inner / ".git");
  CHECK_FALSE(stored_and_found(inner));
  CHECK(head_commit_id(inner) == first);  // what git answers, each time
  CHECK(stored_and_found(outer.root()) == first);
}
