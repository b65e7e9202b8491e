// Under a limit on the data segment (`ulimit -d`, as in some CI runners and shared hosts),
// the read commands still work: malloc's heaps then grow in its default steps
// (util/malloc_tuning), where steps of megabytes made writable ahead of use would count in
// full against the limit and fail the command.
#include <chrono>
#include <string>
#include <thread>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "support/project.hpp"

using namespace migrate::test;
using Catch::Contains;

namespace {

/// `tool args…` in the project, run by a shell that first limits the data segment to `kib`.
ProcessResult run_limited(const Project& project, int kib, std::string_view tool,
                          const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"/bin/sh", "-c",
                                   fmt::format("ulimit -d {} && exec \"$0\" \"$@\"", kib),
                                   tool_path(tool).string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, {.cwd = project.root()});
}

}  // namespace

TEST_CASE("memory limit: current and history work with the data segment limited to 60 MB",
          "[e2e][memory_limit]") {
  Project project;
  // Enough migrations that the folder is read on several threads (each with a heap of its own).
  for (int i = 1; i <= 300; ++i) {
    project.add(fmt::format("{:04}_create_t{}.sql", i, i),
                migration_text(fmt::format("CREATE TABLE t{} (x INTEGER);", i),
                               fmt::format("DROP TABLE t{};", i)));
  }
  REQUIRE(project.run("migrate-upgrade", {"0200"}).exit_code == 0);
  // Twice: the first run reads the files and writes the outline cache, the second decodes it
  // (files younger than two seconds are not remembered: ReadStart::racy).
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  for (int round = 0; round < 2; ++round) {
    INFO("round " << round);
    ProcessResult current = run_limited(project, 60 * 1024, "migrate-current", {});
    INFO(current.err);
    CHECK(current.exit_code == 0);
    CHECK_THAT(current.out, Contains("0200_create_t200"));
    CHECK_THAT(current.out, Contains("pending   100:"));
    ProcessResult history = run_limited(project, 60 * 1024, "migrate-history", {"--json"});
    INFO(history.err);
    CHECK(history.exit_code == 0);
    CHECK_THAT(history.out, Contains("0300"));
  }
}
