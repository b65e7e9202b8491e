// migrate-current and migrate-history write their caches (.git/migrate/outlines/): kill -9 or
// Ctrl-C may land while they do. Whatever a killed run left, the next run answers exactly what
// a run without any cache answers, and a later write removes what the killed one left behind.
#include <signal.h>

#include <chrono>
#include <random>
#include <regex>
#include <thread>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "support/git_work_tree.hpp"
#include "support/project.hpp"

using namespace migrate::test;
using Catch::Contains;

namespace {

constexpr int kMigrations = 2000;  // a cache of some hundreds of KiB: its write takes a while
const RunOptions kTraced{.env = {{"MIGRATE_TRACE", "1"}}};

std::vector<std::filesystem::path> files_in(const std::filesystem::path& folder) {
  std::vector<std::filesystem::path> files;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
    files.push_back(entry.path());
  }
  return files;
}

}  // namespace

TEST_CASE("outline cache: runs killed while they write it leave nothing a later run trusts",
          "[e2e][outline_cache][interrupt]") {
  Project project;
  GitWorkTree git(project.root());
  for (int i = 1; i <= kMigrations; ++i) {
    project.add(fmt::format("{:05}_step.sql", i),
                migration_text(fmt::format("CREATE TABLE t{} (x INTEGER);", i),
                               fmt::format("DROP TABLE t{};", i)));
  }
  REQUIRE(
      project.run("migrate-upgrade", {"-q", "--fake", "--single-transaction", "01000"}).exit_code ==
      0);
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));  // stamps old enough to keep
  const std::filesystem::path cache = project.root() / ".git" / "migrate" / "outlines";
  // The answers without a cache, and how long a run that writes the cache takes.
  auto started = std::chrono::steady_clock::now();
  ProcessResult expected = project.run("migrate-current", {});
  auto cold = std::chrono::steady_clock::now() - started;
  REQUIRE(expected.exit_code == 0);
  CHECK_THAT(expected.out, Contains("pending   1000:"));
  ProcessResult expected_history = project.run("migrate-history", {"--json"});
  REQUIRE(expected_history.exit_code == 0);

  std::mt19937 random(std::random_device{}());
  std::uniform_int_distribution<long> moment(
      0, std::chrono::duration_cast<std::chrono::microseconds>(cold).count());
  int killed_at_work = 0;
  for (int run = 0; run < 24; ++run) {
    if (run % 3 == 0) {
      std::filesystem::remove_all(cache);  // a cold run: both cache files written
    }
    const int signal = run % 2 == 0 ? SIGKILL : SIGINT;
    RunningProcess process =
        project.start(run % 4 < 2 ? "migrate-current" : "migrate-history", {}, kTraced);
    std::this_thread::sleep_for(std::chrono::microseconds(moment(random)));
    process.kill(signal);
    ProcessResult killed = process.wait();
    killed_at_work += killed.exit_code == 128 + signal ? 1 : 0;
    INFO("run " << run << ", signal " << signal << ", exit " << killed.exit_code);
    ProcessResult after = project.run("migrate-current", {}, kTraced);
    CHECK(after.exit_code == 0);
    CHECK(after.out == expected.out);
    ProcessResult history = project.run("migrate-history", {"--json"});
    CHECK(history.out == expected_history.out);
  }
  CHECK(killed_at_work >= 4);  // enough of them landed while the run was at work
  // The next write of each file removes what killed runs left beside it (their temporaries,
  // kept here), and a warm run then answers from the cache.
  for (const std::filesystem::path& file : files_in(cache)) {
    if (file.filename().string().find(".tmp") == std::string::npos) {
      std::filesystem::remove(file);
    }
  }
  REQUIRE(project.run("migrate-current").exit_code == 0);
  for (const std::filesystem::path& file : files_in(cache)) {
    CHECK(file.filename().string().find(".tmp") == std::string::npos);
  }
  ProcessResult warm = project.run("migrate-current", {}, kTraced);
  CHECK(warm.out == expected.out);
  CHECK_THAT(warm.err, Contains(fmt::format("{} of them from the folder's snapshot", kMigrations)));
}
