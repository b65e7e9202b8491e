#include <catch2/catch.hpp>

#include "git/git_dir.hpp"
#include "support/temp_dir.hpp"

using namespace migrate;
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
