#include <catch2/catch.hpp>

#include "git/git_dir.hpp"
#include "support/run_tool.hpp"
#include "support/scoped_variable.hpp"
#include "support/temp_dir.hpp"

using namespace migrate;
using migrate::test::ProcessResult;
using migrate::test::run_process;
using migrate::test::ScopedVariable;
using migrate::test::TempDir;
using migrate::test::write_text;

TEST_CASE("git_dir: .git found in the folder or above it", "[git]") {
  TempDir dir;
  std::filesystem::create_directories(dir / "repo" / ".git");
  std::filesystem::create_directories(dir / "repo" / "a" / "b");
  CHECK(find_git_dir(dir / "repo" / "a" / "b") == dir / "repo" / ".git");
  CHECK(find_git_dir(dir / "repo") == dir / "repo" / ".git");
  CHECK_FALSE(find_git_dir(dir.path()));
}

TEST_CASE("git_dir: a worktree's .git file points at its git folder", "[git]") {
  TempDir dir;
  std::filesystem::create_directories(dir / "main" / ".git" / "worktrees" / "w");
  std::filesystem::create_directories(dir / "w" / "sub");
  write_text(dir / "w" / ".git", "gitdir: ../main/.git/worktrees/w\n");
  CHECK(find_git_dir(dir / "w" / "sub") == dir / "w" / ".." / "main" / ".git" / "worktrees" / "w");
  write_text(dir / "w" / ".git", "not a gitdir line\n");
  CHECK_FALSE(find_git_dir(dir / "w" / "sub"));
}

TEST_CASE("git_dir: a cache file per canonical path, whatever the way there", "[git]") {
  TempDir dir;
  std::filesystem::create_directories(dir / "repo" / ".git");
  std::filesystem::create_directories(dir / "repo" / "migrations");
  std::filesystem::create_directories(dir / "repo" / "other");
  std::optional<std::filesystem::path> direct =
      repository_cache_file(dir / "repo" / "migrations", "outlines");
  REQUIRE(direct);
  CHECK(direct->parent_path() == dir / "repo" / ".git" / "migrate" / "outlines");
  CHECK(repository_cache_file(dir / "repo" / "other" / ".." / "migrations", "outlines") == direct);
  CHECK(repository_cache_file(dir / "repo" / "other", "outlines") != direct);
  CHECK(repository_cache_file(dir / "repo" / "migrations", "config")->parent_path().filename() ==
        "config");
  CHECK_FALSE(repository_cache_file(dir.path(), "outlines"));
}

TEST_CASE("git_dir: a cache file outside a repository is in the user's cache folder", "[git]") {
  TempDir dir;
  std::filesystem::create_directories(dir / "repo" / ".git");
  std::filesystem::create_directories(dir / "copy" / "other");
  ScopedVariable xdg("XDG_CACHE_HOME", (dir / "cache").string());
  // In a repository: the repository's, wherever the user's is.
  CHECK(cache_file(dir / "repo" / "migrate.conf", "config") ==
        repository_cache_file(dir / "repo" / "migrate.conf", "config"));
  std::optional<std::filesystem::path> outside =
      cache_file(dir / "copy" / "migrate.conf", "config");
  REQUIRE(outside);
  CHECK(outside->parent_path() == dir / "cache" / "migrate" / "config");
  CHECK(outside->filename().string().size() == 16);  // hex digits of its canonical path's hash
  CHECK(cache_file(dir / "copy" / "other" / ".." / "migrate.conf", "config") == outside);
  CHECK(cache_file(dir / "copy" / "other" / "migrate.conf", "config") != outside);
  SECTION("no cache folder known: no cache") {
    ScopedVariable no_xdg("XDG_CACHE_HOME", std::nullopt);
    ScopedVariable no_home("HOME", std::nullopt);
    CHECK_FALSE(cache_file(dir / "copy" / "migrate.conf", "config"));
    CHECK(cache_file(dir / "repo" / "migrate.conf", "config"));
  }
}

TEST_CASE("git_dir: outside a repository is said without git, where git would say so too",
          "[git]") {
  TempDir dir;
  std::filesystem::create_directories(dir / "plain" / "migrations");
  write_text(dir / "plain" / "migrations" / "HEAD", "0001_a\n");  // migrate's, not git's
  CHECK_FALSE(maybe_in_repository(dir / "plain" / "migrations"));
  CHECK_FALSE(maybe_in_repository(dir / "plain" / "not-yet-made"));

  // Each kind of .git git may take: a folder, a worktree's file, a link, even a broken one
  // (git decides, and says what is wrong).
  std::filesystem::create_directories(dir / "repo" / ".git");
  std::filesystem::create_directories(dir / "repo" / "a" / "b");
  CHECK(maybe_in_repository(dir / "repo" / "a" / "b"));
  write_text(dir / "worktree" / ".git", "gitdir: /nowhere\n");
  CHECK(maybe_in_repository(dir / "worktree"));
  std::filesystem::create_directories(dir / "linked");
  std::filesystem::create_symlink(dir / "nowhere", dir / "linked" / ".git");
  CHECK(maybe_in_repository(dir / "linked"));

  // A folder linked into a repository's work tree is in it, as git resolves links first.
  std::filesystem::create_directories(dir / "repo" / "db" / "migrations");
  std::filesystem::create_directories(dir / "deploy");
  std::filesystem::create_directory_symlink(dir / "repo" / "db" / "migrations",
                                            dir / "deploy" / "migrations");
  CHECK(maybe_in_repository(dir / "deploy" / "migrations"));

  // A bare repository, as git makes it, and a folder inside it.
  ProcessResult bare = run_process({"git", "init", "-q", "--bare", (dir / "bare.git").string()});
  REQUIRE(bare.exit_code == 0);
  CHECK(maybe_in_repository(dir / "bare.git"));
  CHECK(maybe_in_repository(dir / "bare.git" / "hooks"));
}
