#include "support/interrupted_runs.hpp"

#include <catch2/catch.hpp>

#include <signal.h>

#include <algorithm>
#include <random>

#include <fmt/format.h>

namespace migrate::test {

const char* const kSqliteSlowStatement =
    "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c "
    "WHERE n < 150000) SELECT count(*) FROM c;";
const char* const kPostgresSlowStatement = "SELECT pg_sleep(0.03);";

void add_slow_migrations(const Project& project, int count, const std::string& slow_statement) {
  for (int i = 1; i <= count; ++i) {
    project.add(fmt::format("{:04}_step.sql", i),
                migration_text(fmt::format("CREATE TABLE t{0} (x integer);\n{1}\n"
                                           "INSERT INTO t{0} VALUES ({0});",
                                           i, fmt::format(fmt::runtime(slow_statement), i)),
                               fmt::format("DROP TABLE t{};", i)));
  }
}

void check_consistent(int count, const std::vector<std::string>& applied,
                      const std::vector<std::string>& tables,
                      const std::function<std::vector<std::string>(int)>& rows_of) {
  for (int i = 1; i <= count; ++i) {
    std::string id = fmt::format("{:04}", i);
    std::string table = fmt::format("t{}", i);
    bool recorded = std::find(applied.begin(), applied.end(), id) != applied.end();
    bool created = std::find(tables.begin(), tables.end(), table) != tables.end();
    INFO("migration " << id);
    CHECK(recorded == created);
    if (created) {
      CHECK(rows_of(i) == std::vector<std::string>{std::to_string(i)});
    }
  }
}

namespace {

/// WantedInterruptions::landed. The run had begun its first step: its progress line (stdout,
/// flushed as each step starts, "  apply 0001_step …") shows; a signal before that, while the
/// tool started up or planned, proves nothing about a write it interrupts.
bool landed_mid_run(const ProcessResult& result, int signal) {
  if (result.out.find("\n  ") == std::string::npos) {
    return false;
  }
  if (signal == SIGKILL) {
    return result.exit_code == 128 + SIGKILL;
  }
  return result.exit_code == 1 && result.err.find(": error: interrupted (") != std::string::npos;
}

/// The run ended before its first step began: the signal came while migrate started up or
/// planned.
bool before_first_step(const ProcessResult& result) {
  return result.exit_code != 0 && result.out.find("\n  ") == std::string::npos;
}

using Delay = std::chrono::microseconds;

/// How long one uninterrupted `run` takes here, now (it must succeed).
Delay time_one_run(const std::function<ProcessResult()>& run) {
  auto start = std::chrono::steady_clock::now();
  ProcessResult result = run();
  auto elapsed = std::chrono::steady_clock::now() - start;
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  return std::chrono::duration_cast<Delay>(elapsed);
}

/// Where the signal moments are drawn from. It starts as the whole of a timed run and narrows
/// on what each run shows: a run stopped before its first step moves the start later, a run
/// that finished first moves the end earlier. A command that spends most of its time starting
/// up (reading 1,000 files) and a few milliseconds writing is thus still hit while it writes.
/// Timings jitter, so a window that closes is opened again around where it closed.
class DelayWindow {
 public:
  explicit DelayWindow(Delay run_time) : end_(run_time) {}

  Delay draw(std::mt19937& random) const {
    return Delay(std::uniform_int_distribution<Delay::rep>(start_.count(), end_.count())(random));
  }

  void learn(const ProcessResult& result, Delay delay) {
    if (result.exit_code == 0) {
      end_ = delay;
    } else if (before_first_step(result)) {
      start_ = delay;
    }
    if (end_ - start_ < kNarrowest) {
      Delay middle = (start_ + end_) / 2;
      start_ = std::max(Delay(0), middle - kNarrowest);
      end_ = middle + kNarrowest;
    }
  }

 private:
  static constexpr Delay kNarrowest = std::chrono::milliseconds(2);
  Delay start_{0};
  Delay end_;
};

}  // namespace

void interrupt_until(
    int signal, const WantedInterruptions& wanted,
    const std::function<ProcessResult()>& uninterrupted,
    const std::function<InterruptedRun(int, std::chrono::microseconds)>& interrupt_one) {
  // Moments drawn from a timed run rather than a fixed range: on a fast or a loaded machine
  // alike, most interruptions land while migrate is still running.
  DelayWindow window(time_one_run(uninterrupted));
  std::mt19937 random(std::random_device{}());
  int runs = 0;
  int landed = 0;
  int journals = 0;
  while ((landed < wanted.landed || journals < wanted.hot_journals) && runs < wanted.cap) {
    Delay delay = window.draw(random);
    InterruptedRun run = interrupt_one(runs, delay);
    ++runs;
    landed += landed_mid_run(run.result, signal) ? 1 : 0;
    journals += run.hot_journal ? 1 : 0;
    window.learn(run.result, delay);
  }
  INFO(runs << " runs interrupted: " << landed << " while migrate ran, " << journals
            << " leaving a hot journal");
  CHECK(landed >= wanted.landed);
  CHECK(journals >= wanted.hot_journals);
}

}  // namespace migrate::test
