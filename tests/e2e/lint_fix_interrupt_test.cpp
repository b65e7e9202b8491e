// migrate-lint --fix rewrites migrations and adds new ones, all together or not at all. Killed
// (kill -9) or stopped (Ctrl-C) at any moment, the folder is afterwards either as it was or
// fully fixed, never between, as the next command sees it: a kill in the middle of the renames
// leaves the transaction's journal, and that command puts the folder back first.
#include <catch2/catch.hpp>

#include <signal.h>

#include <chrono>
#include <map>
#include <random>
#include <thread>

#include <fmt/format.h>

#include "support/git_work_tree.hpp"
#include "support/run_tool.hpp"
#include "support/temp_dir.hpp"

using namespace migrate::test;
namespace fs = std::filesystem;
using Files = std::map<std::string, std::string>;

namespace {

constexpr int kMigrations = 40;

/// A PostgreSQL project whose branch brings kMigrations migrations, each creating a table and
/// indexing a released one CONCURRENTLY in its transaction: --fix moves every index to a new
/// migration, re-points every next migration, and rewrites migrations/HEAD.
struct Branch {
  TempDir dir;
  GitWorkTree tree{dir / "repo"};

  Branch() {
    tree.write("migrate.conf", "[migrate]\n\tdatabase = postgres://localhost/app\n");
    tree.write("migrations/0001_users.sql",
               "-- Users.\n-- migrate:up\nCREATE TABLE users (id bigint PRIMARY KEY, a int);\n"
               "-- migrate:down\nDROP TABLE users;\n");
    tree.write("migrations/HEAD", "0001_users\n");
    tree.commit("released");
    tree.git({"update-ref", "refs/remotes/origin/main", "HEAD"});
    for (int i = 2; i <= kMigrations + 1; ++i) {
      tree.write(fmt::format("migrations/{:04}_step.sql", i),
                 fmt::format("-- Step {0}.\n-- migrate:up\nCREATE TABLE t{0} (id bigint);\n"
                             "CREATE INDEX CONCURRENTLY users_a_{0} ON users (a);\n"
                             "-- migrate:down\nDROP INDEX users_a_{0};\nDROP TABLE t{0};\n",
                             i));
    }
    tree.write("migrations/HEAD", fmt::format("{:04}_step\n", kMigrations + 1));
  }

  /// The folder's files a user sees (not hidden), by name, with their text.
  Files files() const {
    Files files;
    for (const fs::directory_entry& entry : fs::directory_iterator(tree.root() / "migrations")) {
      std::string name = entry.path().filename().string();
      if (!name.starts_with(".")) {
        files[name] = read_text(entry.path());
      }
    }
    return files;
  }
  ProcessResult fix() const {
    return run_tool("migrate-lint", {"--fix", "--statement-timeout", "1m"}, {.cwd = tree.root()});
  }
};

/// The files where `seen` differs from `expected`, for a failure's message.
std::string differences(const Files& seen, const Files& expected) {
  std::string out;
  for (const auto& [name, text] : seen) {
    auto it = expected.find(name);
    if (it == expected.end()) {
      out += "extra " + name + "\n";
    } else if (it->second != text) {
      out += "changed " + name + ":\n" + text + "\n";
    }
  }
  for (const auto& [name, text] : expected) {
    out += seen.contains(name) ? "" : "missing " + name + "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("lint fix interrupt: killed or stopped at any moment, the folder is before or after",
          "[e2e][lint][interrupt]") {
  Branch reference;
  const Files before = reference.files();
  auto start = std::chrono::steady_clock::now();
  ProcessResult uninterrupted = reference.fix();
  auto run_time = std::chrono::steady_clock::now() - start;
  INFO(uninterrupted.out << uninterrupted.err);
  REQUIRE(uninterrupted.exit_code == 0);
  const Files after = reference.files();
  REQUIRE(after.size() == before.size() + kMigrations);

  std::mt19937 random(std::random_device{}());
  std::uniform_int_distribution<long> moment(
      0, std::chrono::duration_cast<std::chrono::microseconds>(run_time).count());
  int as_before = 0;
  int as_after = 0;
  for (int signal : {SIGKILL, SIGINT}) {
    for (int run = 0; run < (signal == SIGKILL ? 16 : 8); ++run) {
      Branch branch;
      RunningProcess running = start_tool("migrate-lint", {"--fix", "--statement-timeout", "1m"},
                                          {.cwd = branch.tree.root()});
      std::this_thread::sleep_for(std::chrono::microseconds(moment(random)));
      running.kill(signal);
      ProcessResult interrupted = running.wait();
      INFO("signal " << signal << ", run " << run << ", exit " << interrupted.exit_code << "\n"
                     << interrupted.err);
      // The next command reads the folder whole: as it was, or fixed.
      ProcessResult graph = run_tool("migrate-graph", {}, {.cwd = branch.tree.root()});
      INFO(graph.err);
      CHECK(graph.exit_code == 0);
      CHECK_FALSE(fs::exists(branch.tree.root() / "migrations" / ".migrate-transaction"));
      Files seen = branch.files();
      INFO("from before:\n"
           << differences(seen, before) << "from after:\n"
           << differences(seen, after));
      CHECK((seen == before || seen == after));
      as_before += seen == before ? 1 : 0;
      as_after += seen == after ? 1 : 0;
      // And --fix finishes the job as if nothing had happened.
      ProcessResult again = branch.fix();
      INFO(again.out << again.err);
      CHECK(again.exit_code == 0);
      CHECK(branch.files() == after);
    }
  }
  INFO(as_before << " runs left the folder as it was, " << as_after << " fixed");
  CHECK(as_before + as_after == 24);
}
