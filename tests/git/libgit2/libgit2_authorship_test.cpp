// GitRepo::commits_adding_files as libgit2_authorship walks it: the commit that added each file
// of a folder, in one walk of the history of real repositories made with the git CLI.
#include "git/git_repo.hpp"

#include <catch2/catch.hpp>

#include "support/git_work_tree.hpp"
#include "support/temp_dir.hpp"

using namespace migrate;
using namespace migrate::test;

namespace {

/// Opens the work tree with libgit2 and asks for the folder's authorship.
FileAuthorships authorship(const GitWorkTree& work_tree, std::string_view folder) {
  std::unique_ptr<GitRepo> repo = GitRepo::discover(work_tree.root());
  REQUIRE(repo);
  return repo->commits_adding_files(folder);
}

/// The commit reported for `name`, or "" when there is none.
std::string commit_of(const FileAuthorships& files, const std::string& name) {
  auto found = files.find(name);
  return found == files.end() ? std::string() : found->second.commit;
}

}  // namespace

TEST_CASE("authorship: each file's adding commit, not the ones that edit it or other files",
          "[git][history]") {
  TempDir dir;
  GitWorkTree repo(dir.path());
  repo.write("migrations/0001_users.sql", "-- migrate:up\nCREATE TABLE users (id INT);\n");
  repo.write("app/models/user.rb", "class User; end\n");
  std::string first = repo.commit(
      "Add the users table",
      {.name = "Ann Example", .email = "ann@example.com", .date = "2026-11-21T14:23:05+02:00"});
  repo.write("migrations/0002_posts.sql", "-- migrate:up\nCREATE TABLE posts (id INT);\n");
  repo.write("migrations/0003_tags.sql", "-- migrate:up\nCREATE TABLE tags (id INT);\n");
  std::string second = repo.commit("Add posts and tags\n\nTwo tables at once, with a body.",
                                   {.name = "Bob Example", .email = "bob@example.com"});
  repo.write("app/models/user.rb", "class User < Base; end\n");
  repo.commit("Change the model only");
  repo.write("migrations/0001_users.sql", "-- migrate:up\nCREATE TABLE users (id INTEGER);\n");
  repo.commit("Edit the first migration");
  repo.write("migrations/archive/0000_old.sql", "-- migrate:up\n");  // a subfolder: not listed
  repo.commit("Archive");

  FileAuthorships files = authorship(repo, "migrations");
  REQUIRE(files.size() == 3);
  const FileAuthorship& users = files.at("0001_users.sql");
  CHECK(users.commit == first);
  CHECK(users.short_commit.size() >= 7);
  CHECK(first.starts_with(users.short_commit));
  CHECK(users.author == "Ann Example");
  CHECK(users.email == "ann@example.com");
  CHECK(users.date == "2026-11-21T12:23:05Z");  // in UTC
  CHECK(users.summary == "Add the users table");
  const FileAuthorship& posts = files.at("0002_posts.sql");
  CHECK(posts.commit == second);
  CHECK(posts.author == "Bob Example");
  CHECK(posts.summary == "Add posts and tags");  // the first paragraph only
  CHECK(commit_of(files, "0003_tags.sql") == second);
  CHECK(files.count("0000_old.sql") == 0);
}

TEST_CASE("authorship: a file added on a merged side branch is the side branch's commit",
          "[git][history]") {
  TempDir dir;
  GitWorkTree repo(dir.path());
  repo.write("migrations/0001_root.sql", "-- migrate:up\n");
  std::string root = repo.commit("Root");
  repo.git({"checkout", "--quiet", "-b", "feature"});
  repo.write("migrations/0002_feature.sql", "-- migrate:up\n");
  std::string feature = repo.commit("Feature migration");
  repo.write("app/feature.txt", "work on the branch\n");
  repo.commit("More work on the branch");
  repo.git({"checkout", "--quiet", "main"});
  repo.write("migrations/0003_main.sql", "-- migrate:up\n");
  std::string on_main = repo.commit("Main migration");
  repo.git({"merge", "--quiet", "--no-ff", "--no-commit", "feature"});
  std::string merge = repo.commit("Merge feature");
  REQUIRE(repo.git({"rev-parse", "HEAD^2"}).size() == 40);  // a real merge commit

  FileAuthorships files = authorship(repo, "migrations");
  REQUIRE(files.size() == 3);
  CHECK(commit_of(files, "0001_root.sql") == root);
  CHECK(commit_of(files, "0002_feature.sql") == feature);
  CHECK(commit_of(files, "0003_main.sql") == on_main);
  for (const auto& [name, added_by] : files) {
    CHECK(added_by.commit != merge);
  }
}

TEST_CASE("authorship: a file added in a merge itself is the merge's", "[git][history]") {
  TempDir dir;
  GitWorkTree repo(dir.path());
  repo.write("migrations/0001_root.sql", "-- migrate:up\n");
  repo.commit("Root");
  repo.git({"checkout", "--quiet", "-b", "feature"});
  repo.write("app/feature.txt", "branch\n");
  repo.commit("Branch work");
  repo.git({"checkout", "--quiet", "main"});
  repo.write("app/main.txt", "main\n");
  repo.commit("Main work");
  repo.git({"merge", "--quiet", "--no-ff", "--no-commit", "feature"});
  repo.write("migrations/0002_join.sql", "-- migrate:up\n");  // in neither parent
  std::string merge = repo.commit("Merge feature, with a migration");

  CHECK(commit_of(authorship(repo, "migrations"), "0002_join.sql") == merge);
}

TEST_CASE("authorship: a deleted and re-added file is the commit that added it again",
          "[git][history]") {
  TempDir dir;
  GitWorkTree repo(dir.path());
  repo.write("migrations/0001_a.sql", "-- migrate:up\nSELECT 1;\n");
  std::string added = repo.commit("Add a");
  repo.remove("migrations/0001_a.sql");
  repo.write("migrations/0002_b.sql", "-- migrate:up\n");
  repo.commit("Delete a, add b");
  repo.write("migrations/0001_a.sql", "-- migrate:up\nSELECT 1;\n");
  std::string again = repo.commit("Restore a");

  FileAuthorships files = authorship(repo, "migrations");
  // The newest addition: the file that exists now began there.
  CHECK(commit_of(files, "0001_a.sql") == again);
  CHECK(commit_of(files, "0001_a.sql") != added);
}

TEST_CASE("authorship: a renamed file is the commit that renamed it", "[git][history]") {
  TempDir dir;
  GitWorkTree repo(dir.path());
  repo.write("migrations/0001_a.sql", "-- migrate:up\n");
  repo.write("migrations/0002_b.sql", "-- migrate:up\nSELECT 2;\n");
  repo.commit("Add a and b");
  repo.git({"mv", "migrations/0002_b.sql", "migrations/0003_b.sql"});
  std::string renamed = repo.commit("Renumber b");

  FileAuthorships files = authorship(repo, "migrations");
  CHECK(commit_of(files, "0003_b.sql") == renamed);
  CHECK(files.count("0002_b.sql") == 0);
}

TEST_CASE("authorship: a nested folder, and the folder appearing late", "[git][history]") {
  TempDir dir;
  GitWorkTree repo(dir.path());
  repo.write("README", "no migrations yet\n");
  repo.commit("Start");
  CHECK(authorship(repo, "db/migrations").empty());  // not in HEAD yet
  repo.write("db/migrations/0001_a.sql", "-- migrate:up\n");
  std::string added = repo.commit("First migration");
  repo.write("db/other/0001_a.sql", "-- migrate:up\n");  // same name, another folder
  repo.commit("Same name elsewhere");

  FileAuthorships files = authorship(repo, "db/migrations");
  REQUIRE(files.size() == 1);
  CHECK(commit_of(files, "0001_a.sql") == added);
}

TEST_CASE("authorship: nothing for a repository without commits or uncommitted files",
          "[git][history]") {
  TempDir dir;
  GitWorkTree repo(dir.path());
  repo.write("migrations/0001_a.sql", "-- migrate:up\n");
  CHECK(authorship(repo, "migrations").empty());  // no commit at all
  repo.git({"add", "migrations/0001_a.sql"});
  CHECK(authorship(repo, "migrations").empty());  // staged is not committed
  std::string added = repo.commit("Add a");
  repo.write("migrations/0002_b.sql", "-- migrate:up\n");  // in the work tree only

  FileAuthorships files = authorship(repo, "migrations");
  REQUIRE(files.size() == 1);
  CHECK(commit_of(files, "0001_a.sql") == added);
}

TEST_CASE("authorship: a shallow clone's oldest commit added what it holds", "[git][history]") {
  TempDir dir;
  GitWorkTree origin(dir / "origin");
  origin.write("migrations/0001_a.sql", "-- migrate:up\n");
  origin.commit("Add a");
  origin.write("migrations/0002_b.sql", "-- migrate:up\n");
  origin.commit("Add b");
  origin.write("migrations/0003_c.sql", "-- migrate:up\n");
  std::string newest = origin.commit("Add c");
  GitWorkTree clone(dir / "clone");
  clone.git({"fetch", "--quiet", "--depth", "2", "file://" + origin.root().string(), "main"});
  clone.git({"checkout", "--quiet", "FETCH_HEAD"});
  std::string boundary = clone.git({"rev-parse", "HEAD^"});

  FileAuthorships files = authorship(clone, "migrations");
  // As `git log` shows a shallow history: its first commit adds everything it holds.
  CHECK(commit_of(files, "0001_a.sql") == boundary);
  CHECK(commit_of(files, "0002_b.sql") == boundary);
  CHECK(commit_of(files, "0003_c.sql") == newest);
}
