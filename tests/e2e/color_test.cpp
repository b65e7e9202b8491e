// Colour only on a terminal, and never with --no-color or NO_COLOR. `script` (util-linux)
// gives the tool a real pseudo-terminal.
#include <catch2/catch.hpp>

#include "support/project.hpp"

using namespace migrate::test;
using Catch::Contains;

namespace {

ProcessResult on_terminal(const Project& project, const std::string& command,
                          std::map<std::string, std::string> env = {}) {
  return run_process(
      {"script", "-qec", tool_path("migrate-current").string() + command, "/dev/null"},
      {.cwd = project.root(), .env = std::move(env)});
}

}  // namespace

TEST_CASE("colour: on a terminal by default, off with --no-color and NO_COLOR", "[e2e][color]") {
  Project project;
  project.add("0001_a.sql", migration_text("SELECT 1;", "SELECT 1;"));
  ProcessResult colored = on_terminal(project, "");
  INFO("script(1) needs a pseudo-terminal (/dev/pts): " << colored.err);
  REQUIRE(colored.exit_code == 0);
  CHECK_THAT(colored.out, Contains("\x1b["));
  CHECK_THAT(on_terminal(project, " --no-color").out, !Contains("\x1b["));
  CHECK_THAT(on_terminal(project, "", {{"NO_COLOR", "1"}}).out, !Contains("\x1b["));
  // Not a terminal (a pipe or a file): plain text.
  CHECK_THAT(project.run("migrate-current").out, !Contains("\x1b["));
}

TEST_CASE("terminal: control characters in titles, docs, SQL and errors are shown escaped",
          "[e2e][color]") {
  Project project;
  // A title that would retitle the terminal window, and SQL with a carriage return.
  project.add("0001_a.sql",
              "-- Evil \x1b]0;pwned\x07 title\n-- migrate:up\nCREATE TABLE a (x);\n"
              "-- migrate:down\nDROP TABLE a;\n");
  for (const std::string& flags : {std::string(" --no-color"), std::string("")}) {
    INFO(flags);
    ProcessResult history = on_terminal(project, flags);
    CHECK_THAT(history.out, !Contains("\x1b]"));
    CHECK_THAT(history.out, !Contains("\x07"));
  }
  ProcessResult upgrade = project.run("migrate-upgrade");
  REQUIRE(upgrade.exit_code == 0);
  CHECK_THAT(upgrade.out, Contains("Evil \\x1b]0;pwned\\x07 title"));
  ProcessResult history = project.run("migrate-history", {"-v"});
  CHECK_THAT(history.out, Contains("Evil \\x1b]0;pwned\\x07 title"));
  CHECK_THAT(history.out, !Contains("\x1b"));
  // An error quoting the file's text.
  project.add("0002_b.sql", "-- B\nSELECT 1;\x1b]0;x\x07\n-- migrate:up\nSELECT 1;\n");
  ProcessResult error = project.run("migrate-current");
  CHECK(error.exit_code == 2);
  CHECK_THAT(error.err, !Contains("\x1b"));
  CHECK_THAT(error.err, Contains("\\x1b]0;x\\x07"));
  // JSON is for programs: the title is there, JSON-escaped, exactly.
  std::filesystem::remove(project.migrations() / "0002_b.sql");
  CHECK_THAT(project.run("migrate-history", {"--json"}).out,
             Contains("Evil \\u001b]0;pwned\\u0007 title"));
}
