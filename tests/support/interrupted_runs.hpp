#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "support/project.hpp"

namespace migrate::test {

// For the tests that interrupt migrate-upgrade (SIGKILL, Ctrl-C) at random moments: slow
// migrations to land in, the loop that interrupts runs until enough interruptions landed where
// they prove something (kill moments drawn from a timed run), and the check that the schema and
// the state table agree afterwards.

/// Work inside each migration's transaction: about 20-40 ms of SQLite, or 30 ms of PostgreSQL.
extern const char* const kSqliteSlowStatement;
extern const char* const kPostgresSlowStatement;

/// Migrations 0001…<count>_step.sql: each creates t<i>, spends a while in `slow_statement` (so an
/// interruption lands inside it, after its first write; `{0}` in it is the number <i>), then
/// fills t<i> with the row <i>. A half-applied one would show as a table without its row, or a
/// row without its table.
void add_slow_migrations(const Project& project, int count, const std::string& slow_statement);

/// The schema and the state table agree: t<i> exists, holding the row <i>, exactly when <i> is
/// applied (for each of `count` migrations).
void check_consistent(int count, const std::vector<std::string>& applied,
                      const std::vector<std::string>& tables,
                      const std::function<std::vector<std::string>(int)>& rows_of);

/// What a test needs of its interruptions before it has proved something, and how many it may
/// try: it interrupts again until enough landed, so a slow or loaded machine costs time, not a
/// failure. Only reaching the cap fails.
struct WantedInterruptions {
  /// Runs the signal ended while migrate ran its steps: kill -9 killed it (exit 128 + 9), Ctrl-C
  /// or SIGTERM stopped it cleanly (exit 1, "interrupted (…)"), after its first step began (its
  /// progress line shows), rather than after it finished or before its steps.
  int landed = 1;
  int hot_journals = 0;  ///< runs that left a hot journal behind (SQLite, kill -9)
  int cap = 100;         ///< runs tried at most
};

/// What one interrupted run left.
struct InterruptedRun {
  ProcessResult result;      ///< of the interrupted process
  bool hot_journal = false;  ///< SQLite: it left a hot journal behind
};

/// Interrupts runs with `signal` until `wanted` is reached, or its cap: `interrupt_one(run,
/// delay)` starts run number `run` (0, 1, …) in a fresh project, sends the signal after
/// `delay`, checks what the run left, and returns it. The delays are drawn from a window as long
/// as one `uninterrupted` run takes here (it must succeed), which narrows towards where runs are
/// at work: later after a run stopped before its first step, earlier after one that finished
/// before its signal. CHECKs that `wanted` was reached.
void interrupt_until(
    int signal, const WantedInterruptions& wanted,
    const std::function<ProcessResult()>& uninterrupted,
    const std::function<InterruptedRun(int, std::chrono::microseconds)>& interrupt_one);

}  // namespace migrate::test
