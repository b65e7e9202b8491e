#include "verify/stairway.hpp"

#include <algorithm>
#include <exception>
#include <memory>
#include <optional>
#include <thread>

#include <fmt/format.h>

#include "db/connection.hpp"
#include "diff/dev_database.hpp"
#include "schema/schema_migration.hpp"
#include "util/error.hpp"
#include "verify/migration_steps.hpp"
#include "verify/verify_report.hpp"

namespace migrate {

namespace {

constexpr std::size_t kMaxRuns = 4;  ///< runs of the stairway side by side, at most
constexpr std::size_t kMinRun = 16;  ///< migrations a run needs to be worth its own database

/// What went wrong with one migration's stairway: sentences for the message, lines for details.
struct Findings {
  std::vector<std::string> problems;
  std::vector<std::string> details;

  void add(std::string problem, const std::vector<std::string>& lines) {
    problems.push_back(std::move(problem));
    details.insert(details.end(), lines.begin(), lines.end());
  }
};

/// A schema the stairway compares with later: its fingerprint where the engine has one (its
/// model read only when a comparison needs it: a fingerprint that differs), else its model.
struct SchemaState {
  std::size_t steps = 0;  ///< the steps applied when it was seen: how to see it again
  std::optional<std::string> print;
  std::optional<SchemaModel> model;
};

class Stairway {
 public:
  Stairway(const MigrationSteps& steps, VerifyReport& report) : m_steps(steps), m_report(report) {}

  /// Walks the steps `walked` (indices into the steps, in order).
  void walk(const std::vector<std::size_t>& walked) {
    m_database = m_steps.open();
    for (std::size_t i : walked) {
      const Migration& m = *m_steps.steps()[i].migration;
      if (!m_blocked.empty()) {
        m_report.add(VerifyStep::stairway, m.stem(), CheckStatus::skipped, m.file.string(),
                     fmt::format("not tried: {}", m_blocked));
        continue;
      }
      try {
        check(i, m);
      } catch (const Error& e) {  // a schema that cannot be read: no comparison is possible
        m_report
            .add(VerifyStep::stairway, m.stem(), CheckStatus::failed, m.file.string(),
                 "its schema cannot be compared")
            .details.emplace_back(e.what());
        m_blocked = fmt::format("the schema at {} cannot be compared", m.stem());
      }
    }
  }

 private:
  Connection& connection() { return m_database->connection(); }

  /// Applies the steps up to `i` (not included) that are not applied yet; false when one fails.
  bool catch_up(std::size_t i) {
    if (m_applied >= i) {
      return true;
    }
    try {
      m_steps.apply(connection(), m_applied, i);
    } catch (const Error&) {
      m_blocked = "a migration before it fails to apply (see the upgrade step)";
      return false;
    }
    m_applied = i;
    m_parent.reset();
    return true;
  }

  /// The schema the database holds now, after `steps` steps.
  SchemaState capture(std::size_t steps) {
    SchemaState state{steps, m_steps.fingerprint(connection()), std::nullopt};
    if (!state.print) {
      state.model = m_steps.snapshot(connection());
    }
    return state;
  }

  /// What the schema the database holds now still lacks to be `expected`'s; empty when it is.
  std::vector<std::string> residue(SchemaState& expected) {
    std::optional<std::string> print = m_steps.fingerprint(connection());
    if (print && expected.print && *print == *expected.print) {
      return {};
    }
    SchemaModel now = m_steps.snapshot(connection());
    if (!expected.model) {
      expected.model = m_steps.schema_after(expected.steps);
    }
    return schema_residue(now, *expected.model);
  }

  void check(std::size_t i, const Migration& m) {
    std::string file = m.file.string();
    if (!catch_up(i)) {
      m_report.add(VerifyStep::stairway, m.stem(), CheckStatus::skipped, file,
                   fmt::format("not tried: {}", m_blocked));
      return;
    }
    if (!m_parent) {
      m_parent = capture(i);
    }
    if (m.up.blank()) {  // a merge: nothing runs either way
      SchemaState parent = std::move(*m_parent);
      catch_up(i + 1);
      parent.steps = i + 1;
      m_parent = std::move(parent);
      m_report.add(VerifyStep::stairway, m.stem(), CheckStatus::passed, file,
                   "its up section runs nothing (a merge)");
      return;
    }
    try {
      m_steps.apply(connection(), i, i + 1);
    } catch (const Error& e) {
      m_report.add(VerifyStep::stairway, m.stem(), CheckStatus::failed, file, "its up fails")
          .details.emplace_back(e.what());
      m_blocked = fmt::format("the up of {} fails before it", m.stem());
      return;
    }
    m_applied = i + 1;
    SchemaState first = capture(i + 1);
    if (!m.reversible()) {
      m_report.add(VerifyStep::stairway, m.stem(), CheckStatus::skipped, file,
                   m.down ? "its down section is empty: irreversible, so it is not tried"
                          : "no down section: irreversible, so it is not tried");
      m_parent = std::move(first);
      return;
    }
    Findings findings = down_and_up_again(i, m, first);
    if (findings.problems.empty()) {
      m_report.add(VerifyStep::stairway, m.stem(), CheckStatus::passed, file,
                   "down gives back the schema before it, up again the same schema");
    } else {
      VerifyCheck& check = m_report.add(VerifyStep::stairway, m.stem(), CheckStatus::failed, file,
                                        fmt::format("{}", fmt::join(findings.problems, "; ")));
      check.details = std::move(findings.details);
      // What the failure left (a table the down forgot, half an up) must not reach the next
      // migrations' checks: the history is built again, clean, up to this one.
      rebuild(i + 1);
    }
    m_parent = std::move(first);
  }

  Findings down_and_up_again(std::size_t i, const Migration& m, SchemaState& first) {
    Findings findings;
    try {
      m_steps.revert(connection(), m);
    } catch (const Error& e) {
      findings.add("its down fails", {e.what()});
      return findings;
    }
    std::vector<std::string> left = residue(*m_parent);
    if (!left.empty()) {
      findings.add("its down does not give back the schema before its up", left);
    }
    try {
      m_steps.apply(connection(), i, i + 1);
    } catch (const Error& e) {
      findings.add("its up fails when run twice (again, after its down)", {e.what()});
      return findings;
    }
    std::vector<std::string> again = residue(first);
    if (!again.empty()) {
      std::vector<std::string> lines;
      for (const std::string& line : again) {
        lines.push_back("up again: " + line);
      }
      findings.add("its up, run again after its down, gives another schema than the first time",
                   lines);
    }
    return findings;
  }

  /// A new development database with the steps up to `count` (not included) applied.
  void rebuild(std::size_t count) {
    m_database = m_steps.open();
    m_applied = 0;
    catch_up(count);
  }

  const MigrationSteps& m_steps;
  VerifyReport& m_report;
  std::unique_ptr<DevDatabase> m_database;
  std::size_t m_applied = 0;            ///< the steps applied to the database, in order
  std::optional<SchemaState> m_parent;  ///< its schema, when seen since the last step
  std::string m_blocked;  ///< why the migrations still to walk cannot be: a first up failed
};

/// The walked steps cut into `count` runs of about the same cost: a step costs what reading the
/// schema there does, which grows with the steps before it.
std::vector<std::vector<std::size_t>> segments(const std::vector<std::size_t>& walked,
                                               std::size_t total, std::size_t count) {
  auto cost = [total](std::size_t step) { return step + total / 4 + 1; };
  std::size_t sum = 0;
  for (std::size_t step : walked) {
    sum += cost(step);
  }
  std::vector<std::vector<std::size_t>> runs(1);
  std::size_t done = 0;
  for (std::size_t step : walked) {
    if (done * count >= sum * runs.size() && runs.size() < count) {
      runs.emplace_back();
    }
    runs.back().push_back(step);
    done += cost(step);
  }
  return runs;
}

}  // namespace

void walk_stairway(const MigrationSteps& steps, const std::function<bool(const Migration&)>& walked,
                   VerifyReport& report) {
  std::vector<std::size_t> chosen;
  for (std::size_t i = 0; i < steps.steps().size(); ++i) {
    const PlanStep& step = steps.steps()[i];
    if (step.kind == PlanStep::Kind::apply && !step.migration->repeatable &&
        walked(*step.migration)) {
      chosen.push_back(i);  // the others are applied on the way, unchecked
    }
  }
  // Runs of the stairway side by side, each on a database of its own that first catches up
  // with the steps before its run: a schema read is most of the work, and the server (or
  // SQLite, in this process) reads two databases at once as fast as one.
  std::size_t count = std::min<std::size_t>(
      {std::max(1u, std::thread::hardware_concurrency()), kMaxRuns, chosen.size() / kMinRun + 1});
  std::vector<std::vector<std::size_t>> runs = segments(chosen, steps.steps().size(), count);
  std::vector<VerifyReport> parts(runs.size());
  std::vector<std::exception_ptr> failures(runs.size());
  std::vector<std::thread> threads;
  for (std::size_t r = 0; r < runs.size(); ++r) {
    auto run = [&, r] {
      try {
        Stairway(steps, parts[r]).walk(runs[r]);
      } catch (...) {  // a development database that cannot be made: the run's end
        failures[r] = std::current_exception();
      }
    };
    if (r + 1 < runs.size()) {
      threads.emplace_back(run);
    } else {
      run();
    }
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  for (const std::exception_ptr& failure : failures) {
    if (failure) {
      std::rethrow_exception(failure);
    }
  }
  for (VerifyReport& part : parts) {
    for (VerifyCheck& check : part.checks) {
      report.checks.push_back(std::move(check));
    }
  }
}

}  // namespace migrate
