#pragma once

#include <chrono>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "support/project.hpp"

namespace migrate::test {

// For the tests that interrupt migrate-upgrade (SIGKILL, Ctrl-C) at random moments: slow
// migrations to land in, kill moments drawn from a timed run, and the check that the schema and
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

/// How long one uninterrupted `run` takes here, now (it must succeed). Interruptions are drawn
/// from within this window rather than a fixed range, so that on a fast or a loaded machine
/// alike most of them land while migrate is still running.
std::chrono::milliseconds time_one_run(const std::function<ProcessResult()>& run);

/// Whether `signal` ended a run while migrate worked, rather than after it finished or before
/// it started writing: SIGKILL killed it (128 + 9); Ctrl-C or SIGTERM stopped it cleanly (exit 1,
/// "interrupted (…)").
bool landed_mid_run(const ProcessResult& result, int signal);

/// A moment within the first 90% of a run that takes `run_time`.
std::chrono::milliseconds random_delay(std::mt19937& random, std::chrono::milliseconds run_time);

}  // namespace migrate::test
