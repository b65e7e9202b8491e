#include "lint/lint_fix.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

#include <fmt/format.h>

#include "db/dialect.hpp"
#include "lint/linter.hpp"
#include "migration/migration.hpp"
#include "util/text.hpp"

namespace migrate {

namespace {

constexpr std::string_view kInTransaction = "ban-concurrent-index-creation-in-transaction";

/// Whether a statement runs as well outside a transaction as inside one: a CONCURRENTLY
/// operation (which must) or a setting.
bool runs_alone(const LintStatement& statement) {
  const PgNode& node = *statement.node;
  if (node.is("VariableSetStmt")) {
    return !node.flag("is_local");  // SET LOCAL does nothing outside a transaction
  }
  if (node.is("IndexStmt") || node.is("DropStmt")) {
    return node.flag("concurrent");
  }
  return node.is("ReindexStmt") && node.has_option("params", "concurrently");
}

/// `name` as SQL names it: bare when PostgreSQL would fold it to itself, else quoted.
std::string sql_name(const Dialect& dialect, std::string_view name) {
  bool bare =
      !name.empty() && (std::islower(static_cast<unsigned char>(name[0])) || name[0] == '_') &&
      std::all_of(name.begin(), name.end(),
                  [](unsigned char c) { return std::islower(c) || std::isdigit(c) || c == '_'; });
  return bare ? std::string(name) : dialect.quote_identifier(name);
}

/// The up section's marker line in `text`; nullopt when there is none.
std::optional<Line> up_marker(std::string_view text) {
  for (const Line& line : split_lines(text)) {
    if (trim(line.text).starts_with("-- migrate:up")) {
      return line;
    }
  }
  return std::nullopt;
}

/// The byte offset in `text` (the file) of `statement`, from its line and its column in the
/// section (whose lines are the file's); npos when the file does not hold its text there.
std::size_t offset_of(std::string_view text, std::string_view section,
                      const LintStatement& statement) {
  std::size_t line_start = section.rfind('\n', statement.offset == 0 ? 0 : statement.offset - 1);
  std::size_t column = line_start == std::string_view::npos || statement.offset == 0
                           ? statement.offset
                           : statement.offset - line_start - 1;
  for (const Line& line : split_lines(text)) {
    if (line.number == statement.line) {
      std::size_t at = line.offset + column;
      return text.compare(at, statement.sql.size(), statement.sql) == 0 ? at
                                                                        : std::string_view::npos;
    }
  }
  return std::string_view::npos;
}

bool has_finding(const std::vector<Finding>& findings, std::string_view rule, int line) {
  return std::any_of(findings.begin(), findings.end(), [&](const Finding& finding) {
    return finding.rule->name == rule && finding.line == line;
  });
}

/// The constraint an ALTER TABLE adds without NOT VALID that NOT VALID applies to (a FOREIGN
/// KEY or a CHECK, named: VALIDATE needs the name), when it is the statement's only command.
const PgNode* invalidatable(const PgNode& alter) {
  const std::vector<PgNode>& commands = alter.list("cmds");
  if (!alter.is("AlterTableStmt") || commands.size() != 1 ||
      commands.front().text("subtype") != "AT_AddConstraint") {
    return nullptr;
  }
  const PgNode* constraint = commands.front().field("def");
  if (constraint == nullptr || constraint->flag("skip_validation") ||
      constraint->text("conname").empty()) {
    return nullptr;
  }
  std::string_view type = constraint->text("contype");
  return type == "CONSTR_FOREIGN" || type == "CONSTR_CHECK" ? constraint : nullptr;
}

}  // namespace

LintFix fix_migration(const Dialect& dialect, const Migration& migration, std::string_view text,
                      const std::vector<Finding>& findings) {
  LintFix fix{std::string(text), {}, {}};
  if (migration.format != MigrationFormat::migrate && migration.format != MigrationFormat::dbmate) {
    return fix;  // no `-- migrate:up` marker to give options to
  }
  std::unique_ptr<ParsedSection> parsed = parse_section(
      dialect, {"", migration.up.sql, migration.up.first_line, migration.up.options.transaction});
  if (!parsed) {
    return fix;
  }
  const std::vector<LintStatement>& statements = parsed->statements;
  // NOT VALID first, from the end: each edit leaves the offsets before it as they were.
  for (auto it = statements.rbegin(); it != statements.rend(); ++it) {
    const LintStatement& statement = *it;
    bool flagged = statement.node->is("AlterTableStmt") &&
                   (has_finding(findings, "constraint-missing-not-valid", statement.line) ||
                    has_finding(findings, "adding-foreign-key-constraint", statement.line));
    if (!flagged) {
      continue;
    }
    const PgNode* constraint = invalidatable(*statement.node);
    if (constraint == nullptr || statement.in_transaction) {
      fix.not_done.push_back(fmt::format(
          "line {}: add the constraint NOT VALID, then VALIDATE CONSTRAINT it in a transaction "
          "of its own (a later migration, or a transaction:false section); --fix does that "
          "only for a named constraint in a transaction:false section",
          statement.line));
      continue;
    }
    std::size_t at = offset_of(fix.text, migration.up.sql, statement);
    if (at == std::string_view::npos) {
      fix.not_done.push_back(fmt::format(
          "line {}: the statement is not where its section says in the file; add NOT VALID and "
          "VALIDATE CONSTRAINT by hand",
          statement.line));
      continue;
    }
    std::size_t end = at + statement.sql.size();
    std::size_t semicolon = fix.text.find(';', end);
    const PgNode* table = statement.node->field("relation");
    std::string validate = fmt::format(
        "{}ALTER TABLE {}{} VALIDATE CONSTRAINT {};",
        fix.text.find("\r\n") != std::string::npos ? "\r\n" : "\n",  // the file's line ending
        table->text("schemaname").empty() ? "" : sql_name(dialect, table->text("schemaname")) + ".",
        sql_name(dialect, table->text("relname")), sql_name(dialect, constraint->text("conname")));
    if (semicolon == std::string::npos || semicolon != fix.text.find_first_not_of(" \t\r\n", end)) {
      fix.text.insert(end, " NOT VALID;" + validate);  // no semicolon: the last statement
    } else {
      fix.text.insert(semicolon + 1, validate);
      fix.text.insert(end, " NOT VALID");
    }
    fix.done.push_back(fmt::format("line {}: NOT VALID, then VALIDATE CONSTRAINT {} on its own",
                                   statement.line, constraint->text("conname")));
  }
  // CONCURRENTLY in a transactional section: the section leaves the transaction if it can.
  std::vector<int> in_transaction;
  for (const LintStatement& statement : statements) {
    if (has_finding(findings, kInTransaction, statement.line)) {
      in_transaction.push_back(statement.line);
    }
  }
  if (in_transaction.empty() || !migration.up.options.transaction) {
    return fix;
  }
  bool alone = std::all_of(statements.begin(), statements.end(), runs_alone);
  std::optional<Line> marker = up_marker(fix.text);
  if (!alone || !marker) {
    for (int line : in_transaction) {
      fix.not_done.push_back(fmt::format(
          "line {}: CONCURRENTLY shares its section with statements that need the transaction; "
          "move it into a migration of its own whose up marker is `-- migrate:up "
          "transaction:false`",
          line));
    }
    return fix;
  }
  std::size_t option = marker->text.find("transaction:true");
  if (option != std::string_view::npos) {
    fix.text.replace(marker->offset + option, std::string_view("transaction:true").size(),
                     "transaction:false");
  } else {
    fix.text.insert(marker->offset + trim_right(marker->text).size(), " transaction:false");
  }
  fix.done.push_back(
      fmt::format("line {}: the up section runs outside a transaction (`transaction:false`), as "
                  "CONCURRENTLY must",
                  marker->number));
  return fix;
}

}  // namespace migrate
