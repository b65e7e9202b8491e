#include "run/sql_script.hpp"

#include <fmt/format.h>

#include "db/connection.hpp"
#include "migration/migration_parser.hpp"
#include "plan/plan.hpp"
#include "state/state_table.hpp"
#include "util/clock.hpp"
#include "util/text.hpp"

namespace migrate {

namespace {

void add_statement(std::string& out, std::string_view sql) {
  sql = trim(sql);
  while (sql.ends_with(";")) {
    sql = trim_right(sql.substr(0, sql.size() - 1));
  }
  out += sql;
  // A last statement without its semicolon may end in a `--` comment: the semicolon goes on a
  // line of its own, or the comment would swallow it and join the next statement to this one.
  std::size_t last_line = sql.find_last_of("\r\n");
  bool comment =
      sql.find("--", last_line == std::string_view::npos ? 0 : last_line) != std::string_view::npos;
  out += comment ? "\n;\n" : ";\n";
}

void add_statements(std::string& out, const std::vector<Statement>& statements, std::size_t from) {
  for (std::size_t i = from; i < statements.size(); ++i) {
    add_statement(out, statements[i].sql);
  }
}

/// One step: its section (unless faked) and its state-table statement, in a transaction when
/// the section runs in one.
void add_step(std::string& out, const PlanStep& step, const std::vector<Statement>& statements,
              const Connection& connection, const StateTable& state, const Clock& clock,
              const ExecutionOptions& options) {
  out += fmt::format("\n-- {} {}: {}\n", step_verb(step), step.stem, step.title);
  if (step.kind == PlanStep::Kind::rekey) {
    out +=
        connection.dialect().inline_parameters(state.rekey_command(step.old_id, step.id)) + ";\n";
    return;
  }
  if (step.kind == PlanStep::Kind::record) {
    const char* begin = options.single_transaction ? "" : "BEGIN;\n";
    out += begin;
    out += connection.dialect().inline_parameters(state.insert_command(
               applied_row(step, options, format_utc_timestamp(clock.now()), 0))) +
           ";\n";
    for (const MigrationId& original : step.replaced) {
      out += connection.dialect().inline_parameters(state.delete_command(original)) + ";\n";
    }
    out += options.single_transaction ? "" : "COMMIT;\n";
    return;
  }
  const SectionOptions& section_options = step.section.options;
  const bool own = !options.fake && manages_own_transaction(connection, statements);
  bool transactional = section_options.transaction && step.kind != PlanStep::Kind::resume && !own &&
                       !options.single_transaction;
  const ForeignKeySwitch* foreign_keys = connection.dialect().foreign_key_switch();
  bool foreign_keys_off = !section_options.foreign_keys && foreign_keys != nullptr;
  if (foreign_keys_off && transactional) {
    out += foreign_keys->set(false) + ";\n";
  }
  if (transactional) {
    out += "BEGIN;\n";
  }
  if (!options.fake) {
    auto from = static_cast<std::size_t>(step.resume_from);
    bool lost = false;  // the executor notes it; a script reader sees the statements
    for (std::size_t i : session_replay(connection, statements, from, lost)) {
      // A resumed section's next statements expect the SETs that ran before the stop.
      out += fmt::format("-- statement {} again: it set the session the rest expects\n", i + 1);
      add_statement(out, statements[i].sql);
    }
    add_statements(out, statements, from);
    if (changes_session(connection, statements)) {  // as the executor does: its SETs end here
      for (const std::string& reset : connection.session_reset()) {
        out += reset + ";\n";
      }
    }
  }
  if (foreign_keys_off && transactional) {
    out += foreign_keys->check_query() + ";  -- must return no rows\n";
  }
  if (step.kind == PlanStep::Kind::revert) {
    out += connection.dialect().inline_parameters(state.delete_command(step.id)) + ";\n";
  } else if (step.kind == PlanStep::Kind::resume) {
    int total = static_cast<int>(statements.size());
    out += connection.dialect().inline_parameters(
               state.progress_command(step.id, total, total, 0, step.migration->checksum)) +
           ";\n";
  } else {
    AppliedMigration row = applied_row(step, options, format_utc_timestamp(clock.now()), 0);
    if (!options.fake && !section_options.transaction && !own) {
      // Run step by step, the executor records its progress: here, all of it at the end.
      row.statements_done = row.statements_total = static_cast<int>(statements.size());
    }
    if (step.migration->repeatable) {  // its row from an earlier run, if any, gives way
      out += connection.dialect().inline_parameters(state.delete_command(step.id)) + ";\n";
    }
    out += connection.dialect().inline_parameters(state.insert_command(row)) + ";\n";
  }
  if (transactional) {
    out += "COMMIT;\n";
  }
  if (foreign_keys_off && transactional) {
    out += foreign_keys->set(true) + ";\n";
  }
}

}  // namespace

std::string render_sql_script(const Plan& plan, const Connection& connection,
                              const StateTable& state, const Clock& clock,
                              const ExecutionOptions& options) {
  std::vector<std::vector<Statement>> statements = split_plan(plan, connection);
  if (options.single_transaction) {
    check_single_transaction(plan, statements, connection, options.fake);  // as a run would
  }
  std::string out =
      fmt::format("-- migrate --sql: {} step{} for {}, written {}. Nothing was run.\n",
                  plan.steps.size(), plan.steps.size() == 1 ? "" : "s", connection.display_name(),
                  format_utc_timestamp(clock.now()));
  for (const std::string& note : plan.notes) {
    out += fmt::format("-- note: {}\n", note);
  }
  for (const std::string& setting : connection.session_settings()) {
    out += setting + ";\n";
  }
  out += "\n" + state.create_command().sql + ";\n";
  if (options.single_transaction) {
    out += "BEGIN;\n";
  }
  for (std::size_t i = 0; i < plan.steps.size(); ++i) {
    add_step(out, plan.steps[i], statements[i], connection, state, clock, options);
  }
  if (options.single_transaction) {
    out += "COMMIT;\n";
  }
  return out;
}

}  // namespace migrate
