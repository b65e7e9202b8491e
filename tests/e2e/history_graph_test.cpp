// migrate-history --graph: the lanes drawn as git log --graph draws them.
#include <catch2/catch.hpp>

#include "support/project.hpp"

using namespace migrate::test;
using Catch::Contains;
using Catch::StartsWith;

namespace {

/// The output without its first line (which names the temporary folder).
std::string body(const ProcessResult& result) {
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  REQUIRE_THAT(result.out, Contains(", newest first; state in sqlite:"));
  return result.out.substr(result.out.find('\n') + 1);
}

void add(const Project& project, const std::string& stem, const std::string& title,
         const std::string& depends = "") {
  std::string header = "-- " + title;
  if (!depends.empty()) {
    header += "\n-- depends: " + depends;
  }
  project.add(stem + ".sql", migration_text("SELECT 1;", "SELECT 1;", header));
}

}  // namespace

TEST_CASE("history --graph: a linear set is one lane", "[e2e][history][graph]") {
  Project project;
  add(project, "0001_a", "Create a.");
  add(project, "0002_b", "Create b.");
  add(project, "0003_c", "Create c.");
  CHECK(body(project.run("migrate-history", {"--graph"})) ==
        "* pending   0003_c  Create c.\n"
        "* pending   0002_b  Create b.\n"
        "* pending   0001_a  Create a.\n");
}

TEST_CASE("history --graph: a merge of two branches", "[e2e][history][graph]") {
  Project project;
  add(project, "0001_root", "Root.");
  add(project, "0002_left", "Left.", "0001");
  add(project, "0003_right", "Right.", "0001");
  add(project, "0004_join", "Join the branches.", "0002 0003");
  CHECK(body(project.run("migrate-history", {"--graph"})) ==
        "*   pending   0004_join   Join the branches.\n"
        "|\\\n"
        "| * pending   0003_right  Right.\n"
        "* | pending   0002_left   Left.\n"
        "|/\n"
        "*   pending   0001_root   Root.\n");
}

TEST_CASE("history --graph: a three-way merge", "[e2e][history][graph]") {
  Project project;
  add(project, "0001_root", "Root.");
  add(project, "0002_a", "Branch a.", "0001");
  add(project, "0003_b", "Branch b.", "0001");
  add(project, "0004_c", "Branch c.", "0001");
  add(project, "0005_join", "Join all three.", "0002 0003 0004");
  CHECK(body(project.run("migrate-history", {"--graph"})) ==
        "*-.   pending   0005_join  Join all three.\n"
        "|\\ \\\n"
        "| | * pending   0004_c     Branch c.\n"
        "| * | pending   0003_b     Branch b.\n"
        "* | | pending   0002_a     Branch a.\n"
        "|/ /\n"
        "|/\n"
        "*     pending   0001_root  Root.\n");
}

TEST_CASE("history --graph: each line has the migration's state and when it was applied",
          "[e2e][history][graph]") {
  Project project;
  add(project, "0001_root", "Root.");
  add(project, "0002_left", "Left.", "0001");
  add(project, "0003_right", "Right.", "0001");
  REQUIRE(project.run("migrate-upgrade", {"0002"}).exit_code == 0);
  std::string text = body(project.run("migrate-history", {"--graph"}));
  CHECK_THAT(text, StartsWith("*   pending   0003_right  Right.\n"
                              "| * applied   0002_left   Left.   20"));
  CHECK_THAT(text, Contains(" ms)\n|/\n*   applied   0001_root   Root.   20"));
}

TEST_CASE("history --graph refuses --json", "[e2e][history][graph][bad-input]") {
  Project project;
  add(project, "0001_a", "Create a.");
  ProcessResult result = project.run("migrate-history", {"--graph", "--json"});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Contains("--json excludes --graph"));
  CHECK_THAT(result.out, Contains("\"exit_code\": 2"));  // --json: the error as JSON too
}

TEST_CASE("history --graph on an empty folder prints the header only", "[e2e][history][graph]") {
  Project project;
  ProcessResult result = project.run("migrate-history", {"--graph"});
  CHECK(result.exit_code == 0);
  CHECK(body(result).empty());
}
