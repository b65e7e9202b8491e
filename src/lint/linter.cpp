#include "lint/linter.hpp"

#include <algorithm>

#include "db/dialect.hpp"
#include "db/statement.hpp"
#include "lint/rule_family.hpp"
#include "lint/sqlite_linter.hpp"
#include "lint/transaction_control.hpp"
#include "util/error.hpp"
#include "util/sql_text.hpp"
#include "util/text.hpp"

namespace migrate {

namespace {

/// The file line of byte `offset` of a section that starts at `first_line`.
int line_at(std::string_view sql, std::size_t offset, int first_line) {
  offset = std::min(offset, sql.size());
  return first_line + static_cast<int>(std::count(sql.begin(), sql.begin() + offset, '\n'));
}

/// The statements of a parsed section, with their text, line and transaction state.
std::vector<LintStatement> statements_of(const Dialect& dialect, const PgNode& tree,
                                         const LintSection& section) {
  std::vector<LintStatement> statements;
  for (const PgNode& entry : tree.list("stmts")) {
    const PgNode* node = entry.field("stmt");
    if (node == nullptr) {
      continue;
    }
    auto location = static_cast<std::size_t>(entry.number("stmt_location"));
    auto length = static_cast<std::size_t>(entry.number("stmt_len"));
    std::string_view text = section.sql.substr(std::min(location, section.sql.size()));
    if (length != 0) {
      text = text.substr(0, length);
    }
    std::size_t blank = blank_sql_prefix(text, true);
    text.remove_prefix(blank);
    statements.push_back({node, text, line_at(section.sql, location + blank, section.first_line),
                          location + blank, false});
  }
  // A section with its own BEGIN/COMMIT runs as written, without migrate's transaction (the
  // runner asks the dialect the same question): only its own blocks are transactions then.
  const bool runner_transaction =
      section.transaction &&
      std::none_of(statements.begin(), statements.end(), [&](const LintStatement& statement) {
        return dialect.controls_transaction(statement.sql);
      });
  bool in_block = false;  // a BEGIN in the section opened a transaction
  for (LintStatement& statement : statements) {
    statement.in_transaction = runner_transaction || in_block;
    TransactionControl control = transaction_control(*statement.node);
    in_block =
        control == TransactionControl::none ? in_block : control == TransactionControl::begin;
  }
  return statements;
}

/// The table a statement creates, if it creates one: not with IF NOT EXISTS, which may find
/// one that deployed code uses.
const PgNode* created_table(const PgNode& node) {
  if (node.is("CreateStmt")) {
    return node.flag("if_not_exists") ? nullptr : node.field("relation");
  }
  if (node.is("CreateTableAsStmt")) {
    const PgNode* into = node.field("into");
    return into && !node.flag("if_not_exists") ? into->field("rel") : nullptr;
  }
  if (node.is("SelectStmt")) {  // SELECT … INTO t: CREATE TABLE t AS, spelt the old way
    const PgNode* into = node.field("intoClause");
    return into ? into->field("rel") : nullptr;
  }
  return nullptr;
}

/// Records in `context` the new table a statement makes: one it creates, or a new one it
/// renames (still new under its new name).
void note_new_table(const PgNode& node, LintContext& context) {
  if (const PgNode* table = created_table(node)) {
    context.add_new_table(table->text("schemaname"), table->text("relname"));
  }
  const PgNode* relation = node.field("relation");
  if (node.is("RenameStmt") && node.text("renameType") == "OBJECT_TABLE" && relation &&
      context.is_new_table(*relation)) {
    context.add_new_table(relation->text("schemaname"), node.text("newname"));
  }
}

}  // namespace

std::unique_ptr<ParsedSection> parse_section(const Dialect& dialect, const LintSection& section) {
  if (std::size_t bad = invalid_utf8_at(section.sql); bad != std::string_view::npos) {
    throw ParseError(section.file, line_at(section.sql, bad, section.first_line),
                     "this line holds bytes that are not UTF-8: the linter reads migrations "
                     "as PostgreSQL's parser does, in UTF-8. Save the file as UTF-8");
  }
  std::optional<std::string> json;
  try {
    json = dialect.parse_tree(section.sql);
  } catch (const StatementError& e) {
    int line = line_at(section.sql, e.offset().value_or(0), section.first_line);
    throw ParseError(section.file, line,
                     std::string(e.what()) + " (the linter reads it with PostgreSQL's own parser)");
  }
  if (!json) {
    return nullptr;
  }
  auto parsed = std::make_unique<ParsedSection>();
  parsed->tree = parse_pg_node_json(*json);
  parsed->statements = statements_of(dialect, parsed->tree, section);
  return parsed;
}

void note_partitioned_tables(const Dialect& dialect, const LintSection& section,
                             LintContext& context) {
  // Most migrations are not parsed at all; every earlier one is looked at on each lint, so
  // without copying its text.
  if (!contains_ignoring_case(section.sql, "partition")) {
    return;
  }
  try {
    if (std::unique_ptr<ParsedSection> parsed = parse_section(dialect, section)) {
      for (const LintStatement& statement : parsed->statements) {
        context.note_partitioned(*statement.node);
      }
    }
  } catch (const ParseError&) {
    // Its own lint reports it; its tables stay unknown here.
  }
}

std::vector<Finding> lint_section(const Dialect& dialect, const LintSection& section,
                                  LintContext& context) {
  std::unique_ptr<ParsedSection> parsed = parse_section(dialect, section);
  if (!parsed) {  // no parse tree: SQLite's rules ask the database itself
    return section.database ? lint_sqlite_section(*section.database, section, context)
                            : std::vector<Finding>{};
  }
  std::vector<LintStatement>& statements = parsed->statements;
  std::vector<Finding> findings;
  context.section = &statements;
  context.transaction = section.transaction;
  for (std::size_t i = 0; i < statements.size(); ++i) {
    context.index = i;
    for (const RuleFamily& family : rule_families()) {
      std::size_t first = findings.size();
      family.check(statements[i], context, findings);
      for (std::size_t f = first; f < findings.size(); ++f) {
        findings[f].file = section.file;
      }
    }
    note_new_table(*statements[i].node, context);
    context.note_partitioned(*statements[i].node);
  }
  context.section = nullptr;
  return findings;
}

}  // namespace migrate
