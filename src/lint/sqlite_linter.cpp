#include "lint/sqlite_linter.hpp"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "db/connection.hpp"
#include "db/dialect.hpp"
#include "db/statement.hpp"
#include "db/statement_trace.hpp"
#include "lint/rules_sqlite.hpp"
#include "lint/sqlite_catalog.hpp"
#include "util/error.hpp"
#include "util/sql_text.hpp"

namespace migrate {

namespace {

using Kind = StatementTrace::Action::Kind;
using Broken = std::map<std::string, std::string>;

/// What one statement did, as SQLite and its catalog tell.
struct Step {
  int line = 1;
  bool in_transaction = false;
  bool foreign_keys_on = false;
  std::vector<StatementTrace::Action> actions;  ///< heard while preparing it
  std::optional<std::string> refused;           ///< SQLite's message
  std::string altered;                          ///< the table an ALTER TABLE changed
  std::string dropped_column;                   ///< DROP COLUMN's column
  std::string dropped_table;                    ///< DROP TABLE's table (not TEMP), as created
  bool dropped_new = false;                     ///< it was new (LintContext::new_tables)
  std::vector<SqliteReference> references;      ///< to the dropped table or column, before
  std::optional<std::pair<std::string, std::string>> renamed_table;   ///< from, to
  std::optional<std::pair<std::string, std::string>> renamed_column;  ///< from, to
  std::string add_column_refusal;  ///< SQLite's message for the added column on a table with rows
  /// Probed after a statement that can break a view or trigger: DROP COLUMN, a rename, DROP
  /// TABLE (not ADD COLUMN, the usual ALTER: it breaks nothing).
  std::optional<Broken> broken_after;
};

int line_at(std::string_view sql, std::size_t offset, int first_line) {
  offset = std::min(offset, sql.size());
  return first_line + static_cast<int>(std::count(sql.begin(), sql.begin() + offset, '\n'));
}

/// SQLite's message when it refuses `column`, as the catalog describes it, on a table with a
/// row (a TEMP table of the linter's own); empty when it takes it. Only what the catalog says
/// goes into the probe: its type, NOT NULL and default expression, as stored.
std::string refusal_with_rows(Connection& database, const SqliteColumn& column) {
  const Dialect& dialect = database.dialect();
  const std::string probe = "temp.migrate_lint_probe";
  database.execute("CREATE TEMP TABLE migrate_lint_probe (x)");
  database.execute("INSERT INTO " + probe + " VALUES (1)");
  std::string definition = dialect.quote_identifier(column.name) + " " + column.type;
  if (column.not_null) {
    definition += " NOT NULL";
  }
  if (column.has_default) {
    definition += " DEFAULT " + column.default_sql;
  }
  std::optional<StatementTrace> added =
      trace_statement(database, "ALTER TABLE " + probe + " ADD COLUMN " + definition, true);
  database.execute("DROP TABLE " + probe);
  return added && added->error ? *added->error : std::string();
}

/// The column `after` has that `before` has not, when that is all that changed.
std::optional<SqliteColumn> added_column(const std::vector<SqliteColumn>& before,
                                         const std::vector<SqliteColumn>& after) {
  if (after.size() != before.size() + 1) {
    return std::nullopt;
  }
  return after.back();
}

/// The column renamed between `before` and `after`, when that is what changed.
std::optional<std::pair<std::string, std::string>> renamed_column(
    const std::vector<SqliteColumn>& before, const std::vector<SqliteColumn>& after) {
  if (after.size() != before.size()) {
    return std::nullopt;
  }
  for (std::size_t i = 0; i < after.size(); ++i) {
    if (after[i].name != before[i].name) {
      return std::pair(before[i].name, after[i].name);
    }
  }
  return std::nullopt;
}

/// What the ALTER TABLE of `step` did, read from the catalog before (`tables`, `columns`) and
/// after it ran.
void read_alter(Connection& database, Step& step, const std::map<std::string, std::string>& tables,
                const std::vector<SqliteColumn>& columns, LintContext& context) {
  std::map<std::string, std::string> after = sqlite_tables(database);
  std::string altered = lower_name(step.altered);
  if (!after.contains(altered)) {
    for (const auto& [lower, name] : after) {
      if (!tables.contains(lower)) {
        step.renamed_table = std::pair(step.altered, name);
        if (context.is_new_table("", altered)) {
          context.add_new_table("", lower);
        }
      }
    }
    return;
  }
  if (!step.dropped_column.empty()) {
    return;
  }
  std::vector<SqliteColumn> now = sqlite_columns(database, step.altered);
  step.renamed_column = renamed_column(columns, now);
  std::optional<SqliteColumn> added = added_column(columns, now);
  if (added && !added->hidden && !context.is_new_table("", altered)) {
    step.add_column_refusal = refusal_with_rows(database, *added);
  }
}

/// Whether SQLite's message for a statement it would not prepare is its parser's (the text is
/// the only sign: both are SQLITE_ERROR), rather than the schema's ("no such table").
bool sqlite_syntax_error(std::string_view message) {
  return message.ends_with(": syntax error") || message == "incomplete input" ||
         message.starts_with("unrecognized token:");
}

/// Runs `statement` on `database`, learning what it does. `before`: the views and triggers
/// broken before the section's first ALTER or DROP TABLE, probed then (a section without one
/// is not probed at all: nothing else it can do breaks them).
Step observe(Connection& database, const Statement& statement, const LintSection& section,
             LintContext& context, std::optional<Broken>& before) {
  Step step;
  step.line =
      line_at(section.sql, statement.offset + blank_sql_prefix(statement.sql), section.first_line);
  step.in_transaction = database.in_transaction();
  step.foreign_keys_on = sqlite_foreign_keys_on(database);
  std::optional<StatementTrace> prepared = trace_statement(database, statement.sql, false);
  if (!prepared) {
    return step;
  }
  step.actions = prepared->actions;
  if (prepared->error && sqlite_syntax_error(*prepared->error)) {
    // Not a finding about the schema but input no SQLite reads, as PostgreSQL's parser
    // refuses it on that side: the same exit (2), at its line.
    throw ParseError(section.file, step.line,
                     *prepared->error + " (the linter reads it with SQLite's own parser)");
  }
  if (prepared->error) {
    step.refused = prepared->error;
    return step;
  }
  // The catalog is read only around what changes tables: most statements (INSERT, CREATE
  // INDEX, CREATE VIEW…) need none of it.
  bool changes_tables = std::any_of(step.actions.begin(), step.actions.end(), [](const auto& a) {
    return a.kind == Kind::create_table || a.kind == Kind::drop_table ||
           a.kind == Kind::alter_table;
  });
  std::map<std::string, std::string> tables;
  if (changes_tables) {
    tables = sqlite_tables(database);
  }
  std::vector<SqliteColumn> columns;
  for (const StatementTrace::Action& action : step.actions) {
    if (action.kind == Kind::alter_table && step.altered.empty()) {
      step.altered = action.arg2;
      step.dropped_column = action.arg3;
      columns = sqlite_columns(database, step.altered);
      if (!step.dropped_column.empty()) {
        for (const SqliteReference& reference : sqlite_references_to(database, step.altered)) {
          if (lower_name(reference.to) == lower_name(step.dropped_column)) {
            step.references.push_back(reference);
          }
        }
      }
    } else if (action.kind == Kind::drop_table && !action.temporary &&
               tables.contains(lower_name(action.arg1))) {
      step.dropped_table = tables.at(lower_name(action.arg1));
      step.dropped_new = context.is_new_table("", lower_name(action.arg1));
      step.references = sqlite_references_to(database, step.dropped_table);
    }
  }
  if (!before && (!step.altered.empty() || !step.dropped_table.empty())) {
    before = sqlite_broken_dependents(database);
  }
  std::optional<StatementTrace> ran = trace_statement(database, statement.sql, true);
  if (ran && ran->error) {
    step.refused = ran->error;
    return step;
  }
  for (const StatementTrace::Action& action : step.actions) {
    if (action.kind == Kind::create_table && !action.temporary &&
        !tables.contains(lower_name(action.arg1))) {
      context.add_new_table("", lower_name(action.arg1));
    }
  }
  if (!step.altered.empty()) {
    read_alter(database, step, tables, columns, context);
  }
  if (!step.dropped_column.empty() || step.renamed_table || step.renamed_column ||
      !step.dropped_table.empty()) {
    step.broken_after = sqlite_broken_dependents(database);
  }
  return step;
}

/// The section's statements run as the runner runs them, each observed.
std::vector<Step> run_section(Connection& database, const LintSection& section,
                              LintContext& context, std::optional<Broken>& broken_before) {
  const Dialect& dialect = database.dialect();
  std::vector<Statement> statements = dialect.split(section.sql);
  const bool own = std::any_of(statements.begin(), statements.end(), [&](const Statement& s) {
    return dialect.controls_transaction(s.sql);
  });
  const bool transactional = section.transaction && !own;
  const ForeignKeySwitch* foreign_keys = dialect.foreign_key_switch();
  const bool switch_off = transactional && !section.foreign_keys && foreign_keys != nullptr;
  const bool restore = switch_off && sqlite_foreign_keys_on(database);
  if (switch_off) {
    database.execute(foreign_keys->set(false));
  }
  if (transactional) {
    database.begin();
  }
  std::vector<Step> steps;
  for (const Statement& statement : statements) {
    steps.push_back(observe(database, statement, section, context, broken_before));
  }
  if (database.in_transaction()) {
    try {
      database.commit();
    } catch (const StatementError& e) {  // a deferred foreign key: the section's last word
      database.rollback();
      Step commit;
      commit.line = steps.empty() ? section.first_line : steps.back().line;
      commit.refused = std::string("at COMMIT: ") + e.what();
      steps.push_back(commit);
    }
  }
  if (restore) {
    database.execute(foreign_keys->set(true));
  }
  // What the section left in the session (a PRAGMA foreign_keys = OFF outside a transaction)
  // need not hold for the next migration, which may well run in another upgrade: each starts
  // from migrate's own settings, as a new connection would.
  for (const std::string& setting : dialect.session_settings()) {
    database.execute(setting);
  }
  return steps;
}

Finding finding(SqliteRule rule, const LintSection& section, int line, std::string detail) {
  const RuleInfo& info = sqlite_rule(rule);
  return {&info, info.severity, section.file, line, std::move(detail)};
}

std::string describe(const std::vector<SqliteReference>& references) {
  std::string text;
  for (const SqliteReference& reference : references) {
    text += fmt::format("{}{}.{} (ON DELETE {})", text.empty() ? "" : ", ", reference.table,
                        reference.from, reference.on_delete);
  }
  return text;
}

/// The rules that read one statement alone.
void judge_step(const Step& step, const std::vector<Step>& steps, const LintSection& section,
                std::vector<Finding>& findings) {
  if (step.refused) {
    findings.push_back(step.dropped_column.empty()
                           ? finding(SqliteRule::refused, section, step.line,
                                     fmt::format("SQLite refuses it here: {}", *step.refused))
                           : finding(SqliteRule::drop_column_in_use, section, step.line,
                                     fmt::format("SQLite refuses to drop {}.{}: {}", step.altered,
                                                 step.dropped_column, *step.refused)));
    return;
  }
  for (const StatementTrace::Action& action : step.actions) {
    if (action.kind == Kind::pragma && lower_name(action.arg1) == "foreign_keys" &&
        !action.arg2.empty() && step.in_transaction) {
      findings.push_back(finding(SqliteRule::foreign_keys_in_transaction, section, step.line,
                                 fmt::format("PRAGMA foreign_keys = {} inside the section's "
                                             "transaction does nothing",
                                             action.arg2)));
    }
  }
  if (!step.dropped_column.empty() && !step.references.empty()) {
    findings.push_back(
        finding(SqliteRule::drop_column_in_use, section, step.line,
                fmt::format("{}.{} is what {} references: its foreign key is left broken",
                            step.altered, step.dropped_column, describe(step.references))));
  }
  if (!step.add_column_refusal.empty()) {
    findings.push_back(finding(
        SqliteRule::add_column_needs_empty_table, section, step.line,
        fmt::format("ADD COLUMN on {}, not new here and so maybe not empty: SQLite refuses it "
                    "once the table has rows: {}",
                    step.altered, step.add_column_refusal)));
  }
  if (!step.dropped_table.empty() && step.foreign_keys_on && !step.dropped_new &&
      !step.references.empty()) {
    std::string lower = lower_name(step.dropped_table);
    bool rebuilt = std::any_of(steps.begin(), steps.end(), [&](const Step& other) {
      return other.renamed_table && lower_name(other.renamed_table->second) == lower;
    });
    if (rebuilt) {
      findings.push_back(finding(
          SqliteRule::rebuild_with_foreign_keys, section, step.line,
          fmt::format("DROP TABLE {} in a rebuild, with foreign keys on: deleting its rows first "
                      "reaches {}",
                      step.dropped_table, describe(step.references))));
    }
  }
}

/// The views and triggers broken at the end of the section that were not at its start, each
/// put down to the statement after which it broke for good.
void judge_dependents(const std::vector<Step>& steps, const Broken& before,
                      const LintSection& section, std::vector<Finding>& findings) {
  const Broken* last = nullptr;
  for (const Step& step : steps) {
    last = step.broken_after ? &*step.broken_after : last;
  }
  if (last == nullptr) {
    return;
  }
  for (const auto& [object, message] : *last) {
    if (before.contains(object)) {
      continue;
    }
    std::size_t from = steps.size();
    for (std::size_t i = steps.size(); i-- > 0;) {
      if (!steps[i].broken_after) {
        continue;
      }
      if (!steps[i].broken_after->contains(object)) {
        break;
      }
      from = i;
    }
    const Step& step = steps[from];
    if (!step.dropped_column.empty()) {
      findings.push_back(finding(SqliteRule::drop_column_in_use, section, step.line,
                                 fmt::format("after dropping {}.{}, {} no longer compiles: {}",
                                             step.altered, step.dropped_column, object, message)));
    } else if (step.renamed_table || step.renamed_column) {
      findings.push_back(finding(
          SqliteRule::rename_breaks_dependents, section, step.line,
          fmt::format("after renaming {} to {}, {} no longer compiles: {}",
                      step.renamed_table ? step.renamed_table->first : step.renamed_column->first,
                      step.renamed_table ? step.renamed_table->second : step.renamed_column->second,
                      object, message)));
    } else if (!step.dropped_table.empty()) {
      for (std::size_t r = 0; r < from; ++r) {
        const auto& renamed = steps[r].renamed_table;
        if (renamed && lower_name(renamed->second) == lower_name(step.dropped_table)) {
          findings.push_back(finding(
              SqliteRule::rename_breaks_dependents, section, steps[r].line,
              fmt::format("renaming {} to {} took {} along, and {} is dropped at line {}: {}",
                          renamed->first, renamed->second, object, renamed->second, step.line,
                          message)));
          break;
        }
      }
    }
  }
}

}  // namespace

std::vector<Finding> lint_sqlite_section(Connection& database, const LintSection& section,
                                         LintContext& context) {
  std::optional<Broken> before;
  std::vector<Step> steps = run_section(database, section, context, before);
  std::vector<Finding> findings;
  for (const Step& step : steps) {
    judge_step(step, steps, section, findings);
  }
  if (before) {
    judge_dependents(steps, *before, section, findings);
  }
  std::stable_sort(findings.begin(), findings.end(),
                   [](const Finding& a, const Finding& b) { return a.line < b.line; });
  return findings;
}

}  // namespace migrate
