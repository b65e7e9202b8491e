// Every tool explains itself: --help exits 0 with its usage and the exit codes; a bad flag is
// a usage error (exit 2), never one of CLI11's own codes.
#include <catch2/catch.hpp>

#include "support/run_tool.hpp"

using namespace migrate::test;

namespace {

const char* const kTools[] = {"migrate-create",  "migrate-upgrade",  "migrate-downgrade",
                              "migrate-current", "migrate-history",  "migrate-merge",
                              "migrate-squash",  "migrate-graph",    "migrate-hooks",
                              "migrate-check",   "migrate-renumber", "migrate-web",
                              "migrate-redo",    "migrate-adopt",    "migrate-dump",
                              "migrate-diff",    "migrate-verify",   "migrate-lint"};

}  // namespace

TEST_CASE("every tool: --help prints usage and the exit codes", "[e2e][help]") {
  for (const char* tool : kTools) {
    INFO(tool);
    ProcessResult result = run_tool(tool, {"--help"});
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.out, Catch::Contains("Usage:"));
    CHECK_THAT(result.out, Catch::Contains("Exit codes: 0 success"));
    CHECK_THAT(result.out, Catch::Contains("--database"));
  }
}

TEST_CASE("every tool: an unknown flag is exit 2 with a pointer to --help", "[e2e][help]") {
  for (const char* tool : kTools) {
    INFO(tool);
    ProcessResult result = run_tool(tool, {"--no-such-flag"});
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Catch::Contains("--no-such-flag"));
    CHECK_THAT(result.err, Catch::Contains("--help"));
  }
}

TEST_CASE("every tool: --version", "[e2e][help]") {
  for (const char* tool : kTools) {
    ProcessResult result = run_tool(tool, {"--version"});
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.out, Catch::StartsWith(tool));
  }
}

TEST_CASE("every duration flag: a bad value gets our message, exit 2", "[e2e][help]") {
  for (const char* value : {"-5", "abc", "5h", "1e99"}) {
    INFO(value);
    ProcessResult result = run_tool("migrate-upgrade", {"--lock-timeout", value});
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Catch::Contains(std::string("--lock-timeout: '") + value +
                                           "' is not a duration: write 60s, 500ms, 2m, or a "
                                           "number of seconds"));
    CHECK(result.err.size() < 300);
  }
  ProcessResult help = run_tool("migrate-upgrade", {"--help"});
  CHECK_THAT(help.out, Catch::Contains("--lock-timeout DURATION "));
}
