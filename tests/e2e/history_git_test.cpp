// migrate-history -v and --json: the commit that added each migration's file.
#include <fmt/format.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/git_work_tree.hpp"
#include "support/project.hpp"

using namespace migrate::test;
using Catch::Contains;

namespace {

/// A project whose first two migrations are committed by two authors, and a third is not.
struct CommittedProject {
  Project project;
  GitWorkTree repo{project.root()};
  std::string users, posts;

  CommittedProject() {
    project.add("0001_users.sql",
                migration_text("CREATE TABLE users (id INTEGER);", "", "-- Create users."));
    users = repo.commit(
        "Add the users table\n\nThe body is not shown.",
        {.name = "Ann Example", .email = "ann@example.com", .date = "2026-11-21T14:23:05+01:00"});
    project.add("0002_posts.sql",
                migration_text("CREATE TABLE posts (id INTEGER);", "", "-- Create posts."));
    posts = repo.commit(
        "Add posts",
        {.name = "Bob Example", .email = "bob@example.com", .date = "2026-11-22T08:00:00Z"});
    project.add("0003_tags.sql",
                migration_text("CREATE TABLE tags (id INTEGER);", "", "-- Create tags."));
  }

  std::string short_id(const std::string& commit) const {
    return repo.git({"rev-parse", "--short", commit});
  }
};

}  // namespace

TEST_CASE("history -v shows the commit that added each migration", "[e2e][git][history]") {
  CommittedProject p;
  ProcessResult result = p.project.run("migrate-history", {"-v"});
  CHECK(result.exit_code == 0);
  CHECK(result.err.empty());
  CHECK_THAT(result.out,
             Contains(fmt::format("added     {} by Ann Example, 2026-11-21T13:23:05Z: Add the "
                                  "users table\n",
                                  p.short_id(p.users))));
  CHECK_THAT(result.out,
             Contains(fmt::format("added     {} by Bob Example, 2026-11-22T08:00:00Z: Add posts\n",
                                  p.short_id(p.posts))));
  CHECK_THAT(result.out, Contains("added     not committed yet"));
  CHECK(result.out.find("The body is not shown") == std::string::npos);
}

TEST_CASE("history without -v does not look at git", "[e2e][git][history]") {
  CommittedProject p;
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{}, std::vector<std::string>{"--graph"}}) {
    ProcessResult result = p.project.run("migrate-history", args);
    CHECK(result.exit_code == 0);
    CHECK(result.out.find("Ann Example") == std::string::npos);
  }
}

TEST_CASE("history --json has each migration's adding commit, null when not committed",
          "[e2e][git][history]") {
  CommittedProject p;
  ProcessResult result = p.project.run("migrate-history", {"--json"});
  REQUIRE(result.exit_code == 0);
  nlohmann::json json = nlohmann::json::parse(result.out);
  REQUIRE(json["migrations"].size() == 3);
  const nlohmann::json& users = json["migrations"][0]["commit"];
  CHECK(users["id"] == p.users);
  CHECK(users["short_id"] == p.short_id(p.users));
  CHECK(users["author"] == "Ann Example");
  CHECK(users["email"] == "ann@example.com");
  CHECK(users["date"] == "2026-11-21T13:23:05Z");
  CHECK(users["summary"] == "Add the users table");
  CHECK(json["migrations"][1]["commit"]["id"] == p.posts);
  CHECK(json["migrations"][2]["commit"].is_null());
}

TEST_CASE("history finds the folder from a subfolder and with --dir", "[e2e][git][history]") {
  CommittedProject p;
  std::filesystem::create_directories(p.project.root() / "app");
  ProcessResult result = p.project.run("migrate-history", {"--json", "--dir", "../migrations"},
                                       {.cwd = p.project.root() / "app"});
  REQUIRE(result.exit_code == 0);
  nlohmann::json json = nlohmann::json::parse(result.out);
  CHECK(json["migrations"][0]["commit"]["id"] == p.users);
}

TEST_CASE("history outside a git repository has no commits and still works",
          "[e2e][git][history]") {
  Project project;
  project.add("0001_users.sql", migration_text("CREATE TABLE users (id INTEGER);", ""));
  ProcessResult verbose = project.run("migrate-history", {"-v"});
  CHECK(verbose.exit_code == 0);
  CHECK(verbose.err.empty());
  CHECK_THAT(verbose.out, Contains("0001_users (head)"));
  CHECK(verbose.out.find("added") == std::string::npos);
  ProcessResult json_result = project.run("migrate-history", {"--json"});
  REQUIRE(json_result.exit_code == 0);
  nlohmann::json json = nlohmann::json::parse(json_result.out);
  CHECK(json["migrations"][0]["commit"].is_null());
}

TEST_CASE("history in a repository without commits shows them as not committed",
          "[e2e][git][history]") {
  Project project;
  GitWorkTree repo(project.root());
  project.add("0001_users.sql", migration_text("CREATE TABLE users (id INTEGER);", ""));
  ProcessResult result = project.run("migrate-history", {"-v"});
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Contains("added     not committed yet"));
}

TEST_CASE("history -v with an unreadable git history warns and lists the migrations",
          "[e2e][git][history]") {
  CommittedProject p;
  // The first commit's version of the folder is lost (a loose object, as the CLI wrote it).
  std::string tree = p.repo.git({"rev-parse", p.users + ":migrations"});
  std::filesystem::remove(p.project.root() / ".git" / "objects" / tree.substr(0, 2) /
                          tree.substr(2));
  ProcessResult result = p.project.run("migrate-history", {"-v"});
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.err,
             Contains("warning: who added the migrations is not shown: git:") && Contains(tree));
  CHECK_THAT(result.out, Contains("0003_tags (head)"));
  CHECK(result.out.find("added") == std::string::npos);
}
