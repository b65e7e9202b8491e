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
