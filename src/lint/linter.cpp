#include "lint/linter.hpp"

#include <algorithm>

#include "db/dialect.hpp"
#include "db/statement.hpp"
#include "lint/rule_family.hpp"
#include "lint/sqlite_linter.hpp"
#include "util/error.hpp"
#include "util/sql_text.hpp"

namespace migrate {

namespace {

/// The file line of byte `offset` of a section that starts at `first_line`.
int line_at(std::string_view sql, std::size_t offset, int first_line) {
  offset = std::min(offset, sql.size());
  return first_line + static_cast<int>(std::count(sql.begin(), sql.begin() + offset, '\n'));
}

/// Whether a statement starts or ends a transaction (savepoints stay inside one), as
/// Dialect::controls_transaction decides for the runner.
bool controls_transaction(const PgNode& node) {
  if (!node.is("TransactionStmt")) {
    return false;
  }
  std::string_view kind = node.text("kind");
  return kind != "TRANS_STMT_SAVEPOINT" && kind != "TRANS_STMT_RELEASE" &&
         kind != "TRANS_STMT_ROLLBACK_TO";
}

/// The statements of a parsed section, with their text, line and transaction state.
std::vector<LintStatement> statements_of(const PgNode& tree, const LintSection& section) {
  std::vector<LintStatement> statements;
  // A section with its own BEGIN/COMMIT runs as written, without migrate's transaction
  // (Executor::runs_outside_transaction): only its own blocks are transactions then.
  const std::vector<PgNode>& entries = tree.list("stmts");
  const bool runner_transaction =
      section.transaction && std::none_of(entries.begin(), entries.end(), [](const PgNode& e) {
        const PgNode* node = e.field("stmt");
        return node != nullptr && controls_transaction(*node);
      });
  bool in_block = false;  // a BEGIN in the section opened a transaction
  for (const PgNode& entry : entries) {
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
    LintStatement statement{node, text, line_at(section.sql, location + blank, section.first_line),
                            runner_transaction || in_block};
    if (node->is("TransactionStmt")) {
      std::string_view kind = node->text("kind");
      if (kind == "TRANS_STMT_BEGIN" || kind == "TRANS_STMT_START") {
        in_block = true;
      } else if (kind == "TRANS_STMT_COMMIT" || kind == "TRANS_STMT_ROLLBACK" ||
                 kind == "TRANS_STMT_PREPARE") {
        in_block = false;
      }
    }
    statements.push_back(statement);
  }
  return statements;
}

/// The table a statement creates, if it creates one.
const PgNode* created_table(const PgNode& node) {
  if (node.is("CreateStmt")) {
    return node.field("relation");
  }
  if (node.is("CreateTableAsStmt")) {
    const PgNode* into = node.field("into");
    return into ? into->field("rel") : nullptr;
  }
  return nullptr;
}

}  // namespace

std::vector<Finding> lint_section(const Dialect& dialect, const LintSection& section,
                                  LintContext& context) {
  std::optional<std::string> json;
  try {
    json = dialect.parse_tree(section.sql);
  } catch (const StatementError& e) {
    int line = line_at(section.sql, e.offset().value_or(0), section.first_line);
    throw ParseError(section.file, line,
                     std::string(e.what()) +
                         " (the linter reads it with "
                         "PostgreSQL's own parser)");
  }
  if (!json) {
    return section.database ? lint_sqlite_section(*section.database, section, context)
                            : std::vector<Finding>{};
  }
  PgNode tree = parse_pg_node_json(*json);
  std::vector<LintStatement> statements = statements_of(tree, section);
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
    if (const PgNode* table = created_table(*statements[i].node)) {
      context.new_tables.insert(std::string(table->text("relname")));
    }
  }
  context.section = nullptr;
  return findings;
}

}  // namespace migrate
