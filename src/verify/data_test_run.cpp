#include "verify/data_test_run.hpp"

#include <memory>

#include <fmt/format.h>

#include "db/connection.hpp"
#include "diff/dev_database.hpp"
#include "graph/revision_graph.hpp"
#include "util/error.hpp"
#include "util/text.hpp"
#include "verify/data_test.hpp"
#include "verify/migration_steps.hpp"
#include "verify/verify_report.hpp"

namespace migrate {

namespace {

std::string rows_text(const std::vector<std::vector<std::string>>& rows) {
  if (rows.empty()) {
    return "no row";
  }
  std::vector<std::string> lines;
  for (const auto& row : rows) {
    lines.push_back(data_test_row_text(row));
  }
  return fmt::format("{} row{}: {}", rows.size(), rows.size() == 1 ? "" : "s",
                     fmt::join(lines, "; "));
}

/// A data test run on one development database; what does not hold goes into `failures`.
class DataTestRun {
 public:
  DataTestRun(const DataTest& test, Connection& connection)
      : m_test(test), m_connection(connection) {}

  /// Runs a part's blocks. `only_checks`: only the statements an expectation checks (the before
  /// part again, after the down). False when a statement with no expectation failed: what
  /// follows would only fail for its sake.
  bool run(const std::vector<DataTestBlock>& blocks, bool only_checks, std::string_view when) {
    for (const DataTestBlock& block : blocks) {
      if (!run_block(block, only_checks, when)) {
        return false;
      }
    }
    return true;
  }

  void fail(std::string text) { m_failures.push_back(std::move(text)); }
  const std::vector<std::string>& failures() const { return m_failures; }

 private:
  std::string at(int line) const { return fmt::format("{}:{}", m_test.file.string(), line); }

  bool run_block(const DataTestBlock& block, bool only_checks, std::string_view when) {
    if (only_checks && !block.expect) {
      return true;
    }
    std::vector<Statement> statements;
    try {
      statements = m_connection.dialect().split(block.sql);
    } catch (const StatementError& e) {
      fail(fmt::format("{}: {}",
                       at(block.first_line + line_at(block.sql, e.offset().value_or(0)) - 1),
                       e.what()));
      return false;
    }
    std::size_t checked =
        block.expect && !statements.empty() ? statements.size() - 1 : statements.size();
    for (std::size_t i = only_checks ? checked : 0; i < checked; ++i) {
      try {
        m_connection.execute(statements[i].sql);
      } catch (const DbError& e) {
        fail(fmt::format("{}: {} ({}): {}",
                         at(block.first_line + line_at(block.sql, statements[i].offset) - 1),
                         "a statement fails", when, e.what()));
        return false;
      }
    }
    if (checked < statements.size()) {
      check(statements[checked].sql, *block.expect, when);
    }
    return true;
  }

  void check(const std::string& sql, const DataTestExpectation& expect, std::string_view when) {
    if (expect.kind == DataTestExpectation::Kind::error) {
      try {
        m_connection.execute(sql);
      } catch (const DbError& e) {
        if (ascii_lower(e.what()).find(ascii_lower(expect.error)) == std::string::npos) {
          fail(fmt::format("{}: ({}) expected an error containing \"{}\", got: {}", at(expect.line),
                           when, expect.error, e.what()));
        }
        return;
      }
      fail(fmt::format("{}: ({}) expected an error containing \"{}\", but the statement succeeded",
                       at(expect.line), when, expect.error));
      return;
    }
    std::vector<std::vector<std::string>> got;
    try {
      for (const SqlRow& row : m_connection.query(sql)) {
        std::vector<std::string> values;
        for (const std::optional<std::string>& value : row) {
          values.push_back(value.value_or("NULL"));
        }
        got.push_back(std::move(values));
      }
    } catch (const DbError& e) {
      fail(fmt::format("{}: ({}) the query fails: {}", at(expect.line), when, e.what()));
      return;
    }
    if (got != expect.rows) {
      fail(fmt::format("{}: ({}) expected {}; got {}", at(expect.line), when,
                       rows_text(expect.rows), rows_text(got)));
    }
  }

  const DataTest& m_test;
  Connection& m_connection;
  std::vector<std::string> m_failures;
};

/// The migration a test names by its id or its stem.
const Migration* named_migration(const RevisionGraph& graph, const std::string& name) {
  for (const Migration& m : graph.migrations()) {
    if (m.id.text() == name || m.stem() == name) {
      return &m;
    }
  }
  return nullptr;
}

void run_test(const RevisionGraph& graph, const MigrationSteps& steps, const DataTest& test,
              VerifyReport& report) {
  std::string file = test.file.string();
  const Migration* m = named_migration(graph, test.name);
  if (m == nullptr) {
    report.add(VerifyStep::data, test.name, CheckStatus::failed, file,
               fmt::format("{} names no migration: a data test's file is named after the id or "
                           "the file stem of the migration it tests",
                           file));
    return;
  }
  std::optional<std::size_t> step = steps.step_of(*m);
  if (!step) {
    std::optional<std::size_t> squash = graph.replaced_by(*graph.find(m->id));
    report.add(VerifyStep::data, test.name, CheckStatus::failed, file,
               fmt::format("{} is never run on a new database: {} runs instead. Test that one",
                           m->stem(), squash ? graph.at(*squash).stem() : "another migration"));
    return;
  }
  std::unique_ptr<DevDatabase> database = steps.open();
  Connection& connection = database->connection();
  try {
    steps.apply(connection, 0, *step);
  } catch (const Error&) {
    report.add(VerifyStep::data, test.name, CheckStatus::skipped, file,
               "not run: a migration before it fails to apply (see the upgrade step)");
    return;
  }
  DataTestRun run(test, connection);
  bool reached_end = false;
  if (run.run(test.before, false, "before " + m->stem())) {
    try {
      steps.apply(connection, *step, *step + 1);
      reached_end = run.run(test.after, false, "after its up");
    } catch (const Error& e) {
      run.fail(
          fmt::format("the up of {} fails on the before part's rows: {}", m->stem(), e.what()));
    }
  }
  if (reached_end && m->reversible() && !m->up.blank()) {
    try {
      steps.revert(connection, *m);
      run.run(test.before, true, "after its down");
    } catch (const Error& e) {
      run.fail(fmt::format("the down of {} fails on the test's rows: {}", m->stem(), e.what()));
    }
  }
  if (run.failures().empty()) {
    report.add(VerifyStep::data, test.name, CheckStatus::passed, file,
               fmt::format("{}: every expectation holds", m->stem()));
    return;
  }
  std::size_t count = run.failures().size();
  VerifyCheck& check = report.add(VerifyStep::data, test.name, CheckStatus::failed, file,
                                  fmt::format("the data test of {} does not pass ({} problem{})",
                                              m->stem(), count, count == 1 ? "" : "s"));
  check.details = run.failures();
}

}  // namespace

void run_data_tests(const RevisionGraph& graph, const MigrationSteps& steps,
                    const std::vector<DataTest>& tests, VerifyReport& report) {
  for (const DataTest& test : tests) {
    run_test(graph, steps, test, report);
  }
}

}  // namespace migrate
