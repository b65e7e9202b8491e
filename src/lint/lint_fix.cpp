#include "lint/lint_fix.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <optional>
#include <tuple>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "db/dialect.hpp"
#include "lint/linter.hpp"
#include "lint/pg_names.hpp"
#include "migration/migration.hpp"
#include "util/text.hpp"

namespace migrate {

namespace {

constexpr std::string_view kInTransaction = "ban-concurrent-index-creation-in-transaction";

/// Whether a statement is a CONCURRENTLY operation, which cannot run inside a transaction.
bool concurrent(const PgNode& node) {
  if (node.is("IndexStmt") || node.is("DropStmt")) {
    return node.flag("concurrent");
  }
  return node.is("ReindexStmt") && node.has_option("params", "concurrently");
}

/// Whether a statement runs as well outside a transaction as inside one: a CONCURRENTLY
/// operation (which must) or a setting.
bool runs_alone(const LintStatement& statement) {
  const PgNode& node = *statement.node;
  if (node.is("VariableSetStmt")) {
    return !node.flag("is_local");  // SET LOCAL does nothing outside a transaction
  }
  return concurrent(node);
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

/// A change to the file's text, at a byte offset of the text as it was read.
struct Edit {
  std::size_t at = 0;
  std::size_t erase = 0;
  std::string insert;
};

/// Everything fix_migration decides for one file, built up statement by statement.
class FileFix {
 public:
  FileFix(const Dialect& dialect, const Migration& migration, std::string_view text,
          bool may_follow)
      : m_dialect(dialect),
        m_migration(migration),
        m_may_follow(may_follow),
        m_text(text),
        m_newline(text.find("\r\n") != std::string_view::npos ? "\r\n" : "\n") {
    if (migration.down && !migration.down->unread) {
      m_down = parse_section(dialect, {"", migration.down->sql, migration.down->first_line,
                                       migration.down->options.transaction});
    }
  }

  /// Where `statement` of the up section starts in the file; npos when it is not there.
  std::size_t up_offset(const LintStatement& statement) const {
    return offset_of(m_text, m_migration.up.sql, statement);
  }

  /// Whether statements may move to a new migration after this one.
  bool can_follow_up() const { return m_may_follow; }

  /// NOT VALID after the constraint of `statement` (at `at`), and its VALIDATE CONSTRAINT
  /// right after it, or in the follow-up when the statement runs in a transaction.
  void invalidate(const LintStatement& statement, std::size_t at, const PgNode& constraint) {
    const PgNode* table = statement.node->field("relation");
    std::string validate = fmt::format("ALTER TABLE {} VALIDATE CONSTRAINT {};",
                                       qualified(table->text("schemaname"), table->text("relname")),
                                       sql_name(m_dialect, constraint.text("conname")));
    std::size_t end = at + statement.sql.size();
    std::size_t semicolon = m_text.find_first_not_of(" \t\r\n", end);
    bool terminated = semicolon != std::string_view::npos && m_text[semicolon] == ';';
    if (statement.in_transaction) {
      m_edits.push_back({end, 0, terminated ? " NOT VALID" : " NOT VALID;"});
      follow_up().up.push_back(validate);
      m_validates = true;
    } else if (terminated) {
      m_edits.push_back({end, 0, " NOT VALID"});
      m_edits.push_back({semicolon + 1, 0, m_newline + validate});
    } else {  // the section's last statement, without its semicolon
      m_edits.push_back({end, 0, " NOT VALID;" + m_newline + validate});
    }
  }

  /// Moves `statement` (at `at`), a CONCURRENTLY operation, to the follow-up, and with it the
  /// down section's statement that undoes it. False, changing nothing, for an index without
  /// a name (its DROP could not name it).
  bool move_out(const LintStatement& statement, std::size_t at) {
    const PgNode& node = *statement.node;
    std::vector<std::string> undo;
    if (node.is("IndexStmt")) {
      if (node.text("idxname").empty()) {
        return false;
      }
      const PgNode* table = node.field("relation");
      take_down([&](const PgNode& down) {
        return down.is("DropStmt") && down.text("removeType") == "OBJECT_INDEX" &&
               down.list("objects").size() == 1 &&
               last_name(down.list("objects").front().list("items")) == node.text("idxname");
      });
      undo.push_back(fmt::format("DROP INDEX CONCURRENTLY IF EXISTS {};",
                                 qualified(table->text("schemaname"), node.text("idxname"))));
    } else if (node.is("DropStmt")) {
      for (const PgNode& object : node.list("objects")) {
        std::string_view name = last_name(object.list("items"));
        if (std::optional<std::string> create = take_down([&](const PgNode& down) {
              return down.is("IndexStmt") && down.text("idxname") == name;
            })) {
          undo.push_back(*create);
        }
      }
    }
    m_edits.push_back(erasure(m_text, at, statement.sql.size()));
    FollowUp& moved = follow_up();
    moved.up.push_back(fmt::format("{};", statement.sql));
    moved.transaction = false;
    for (const std::string& statement_sql : undo) {
      moved.down.insert(moved.down.begin(), statement_sql);
      moved.down_transaction =
          moved.down_transaction && statement_sql.find("CONCURRENTLY") == std::string::npos;
    }
    m_concurrently = true;
    return true;
  }

  /// The up marker gets `transaction:false`. False when the file has no marker line.
  bool leave_transaction() {
    std::optional<Line> marker = up_marker(m_text);
    if (!marker) {
      return false;
    }
    std::size_t option = marker->text.find("transaction:true");
    if (option != std::string_view::npos) {
      m_edits.push_back({marker->offset + option, std::string_view("transaction:true").size(),
                         "transaction:false"});
    } else {
      m_edits.push_back(
          {marker->offset + trim_right(marker->text).size(), 0, " transaction:false"});
    }
    m_marker_line = marker->number;
    return true;
  }

  int marker_line() const { return m_marker_line; }

  /// The text with every edit made, and the follow-up said in full.
  std::pair<std::string, std::optional<FollowUp>> finish() {
    take_emptied_lines();
    std::sort(m_edits.begin(), m_edits.end(),
              [](const Edit& a, const Edit& b) { return a.at > b.at; });
    std::string text(m_text);
    for (const Edit& edit : m_edits) {  // from the end: each leaves the offsets before it
      text.replace(edit.at, edit.erase, edit.insert);
    }
    if (m_follow_up) {
      m_follow_up->what = m_concurrently && m_validates ? "concurrently_and_validate"
                          : m_concurrently              ? "concurrently"
                                                        : "validate";
    }
    return {std::move(text), std::move(m_follow_up)};
  }

 private:
  FollowUp& follow_up() {
    if (!m_follow_up) {
      m_follow_up.emplace();
    }
    return *m_follow_up;
  }

  std::string qualified(std::string_view schema, std::string_view name) const {
    return (schema.empty() ? "" : sql_name(m_dialect, schema) + ".") + sql_name(m_dialect, name);
  }

  /// Where erasures together leave nothing but white space on a line, the whole line goes
  /// (two statements that shared it both moved).
  void take_emptied_lines() {
    std::map<std::size_t, std::vector<Edit*>> by_line;  // erasures by their line's start
    for (Edit& edit : m_edits) {
      if (edit.insert.empty() && edit.erase > 0) {
        std::size_t newline = m_text.rfind('\n', edit.at == 0 ? 0 : edit.at - 1);
        by_line[newline == std::string_view::npos || edit.at == 0 ? 0 : newline + 1].push_back(
            &edit);
      }
    }
    for (auto& [start, erasures] : by_line) {
      std::size_t end = m_text.find('\n', start);
      end = end == std::string_view::npos ? m_text.size() : end + 1;
      std::string rest(m_text.substr(start, end - start));
      for (const Edit* edit : erasures) {  // blank out what the erasures take
        std::size_t from = std::max(edit->at, start) - start;
        std::size_t to = std::min(edit->at + edit->erase, end) - start;
        std::fill(rest.begin() + static_cast<std::ptrdiff_t>(from),
                  rest.begin() + static_cast<std::ptrdiff_t>(to), ' ');
      }
      if (erasures.size() > 1 && trim(rest).empty()) {
        erasures.front()->at = start;
        erasures.front()->erase = end - start;
        for (std::size_t i = 1; i < erasures.size(); ++i) {
          erasures[i]->erase = 0;  // inside the first's now
        }
      }
    }
  }

  /// Removes from the down section its first statement that `matches`, returning its text;
  /// nullopt when none does (or it is not where the section says).
  template <typename Match>
  std::optional<std::string> take_down(Match matches) {
    if (!m_down) {
      return std::nullopt;
    }
    for (const LintStatement& statement : m_down->statements) {
      if (!matches(*statement.node)) {
        continue;
      }
      std::size_t at = offset_of(m_text, m_migration.down->sql, statement);
      if (at == std::string_view::npos) {
        return std::nullopt;
      }
      m_edits.push_back(erasure(m_text, at, statement.sql.size()));
      return fmt::format("{};", statement.sql);
    }
    return std::nullopt;
  }

  /// The edit that removes a statement (at `at`, `length` bytes) and its semicolon from
  /// `text`: with its whole line when nothing else is on it.
  static Edit erasure(std::string_view text, std::size_t at, std::size_t length) {
    std::size_t end = at + length;
    std::size_t semicolon = text.find_first_not_of(" \t\r\n", end);
    if (semicolon != std::string_view::npos && text[semicolon] == ';') {
      end = semicolon + 1;
    }
    std::size_t line_start = text.rfind('\n', at == 0 ? 0 : at - 1);
    line_start = line_start == std::string_view::npos || at == 0 ? 0 : line_start + 1;
    std::size_t rest = text.find_first_not_of(" \t\r", end);
    bool alone_before =
        text.substr(line_start, at - line_start).find_first_not_of(" \t") == std::string_view::npos;
    bool alone_after = rest == std::string_view::npos || text[rest] == '\n';
    if (alone_before && alone_after) {
      return {line_start, (rest == std::string_view::npos ? text.size() : rest + 1) - line_start,
              ""};
    }
    return {at, end - at, ""};
  }

  const Dialect& m_dialect;
  const Migration& m_migration;
  bool m_may_follow = false;
  std::string_view m_text;
  std::string m_newline;
  std::unique_ptr<ParsedSection> m_down;
  std::vector<Edit> m_edits;
  std::optional<FollowUp> m_follow_up;
  bool m_concurrently = false;
  bool m_validates = false;
  int m_marker_line = 0;
};

/// NOT VALID on the constraint `statement` adds, and its VALIDATE after it.
void invalidate(const LintStatement& statement, FileFix& file, LintFix& fix) {
  const PgNode* constraint = invalidatable(*statement.node);
  std::size_t at = file.up_offset(statement);
  if (constraint == nullptr || at == std::string_view::npos ||
      (statement.in_transaction && !file.can_follow_up())) {
    fix.not_done.push_back(fmt::format(
        "line {}: add the constraint NOT VALID, then VALIDATE CONSTRAINT it in a transaction "
        "of its own (a later migration, or a transaction:false section); --fix does that only "
        "for a named FOREIGN KEY or CHECK, the statement's only change{}",
        statement.line,
        file.can_follow_up() ? ""
                             : ", in a transaction:false section (in a dbmate folder, which has "
                               "no `-- depends:`, a new migration can follow only the last)"));
    return;
  }
  file.invalidate(statement, at, *constraint);
  fix.done.push_back(
      fmt::format("line {}: NOT VALID, then VALIDATE CONSTRAINT {} {}", statement.line,
                  constraint->text("conname"),
                  statement.in_transaction ? "in a new migration after this one" : "on its own"));
}

/// `statement`, a CONCURRENTLY operation in a transaction, moved to the new migration.
void move_concurrent(const LintStatement& statement, FileFix& file, LintFix& fix) {
  std::size_t at = file.up_offset(statement);
  if (file.can_follow_up() && at != std::string_view::npos && file.move_out(statement, at)) {
    fix.done.push_back(fmt::format(
        "line {}: moved to a new migration after this one, whose up section runs outside a "
        "transaction, as CONCURRENTLY must",
        statement.line));
    return;
  }
  fix.not_done.push_back(fmt::format(
      "line {}: CONCURRENTLY shares its section with statements that need the transaction; "
      "move it into a migration of its own whose up marker is `-- migrate:up "
      "transaction:false`{}",
      statement.line,
      file.can_follow_up() ? " (--fix moves only a named index: name it)"
                           : " (in a dbmate folder, which has no `-- depends:`, --fix adds a "
                             "new migration only after the last)"));
}

LintFix& finished(LintFix& fix, FileFix& file) {
  std::tie(fix.text, fix.follow_up) = file.finish();
  return fix;
}

}  // namespace

LintFix fix_migration(const Dialect& dialect, const Migration& migration, std::string_view text,
                      const std::vector<Finding>& findings, bool may_follow) {
  LintFix fix{std::string(text), {}, {}, std::nullopt};
  if (migration.format != MigrationFormat::migrate && migration.format != MigrationFormat::dbmate) {
    return fix;  // no `-- migrate:up` marker to give options to
  }
  std::unique_ptr<ParsedSection> parsed = parse_section(
      dialect, {"", migration.up.sql, migration.up.first_line, migration.up.options.transaction});
  if (!parsed) {
    return fix;
  }
  FileFix file(dialect, migration, text, may_follow);
  const std::vector<LintStatement>& statements = parsed->statements;
  auto in_transaction = [&](const LintStatement& statement) {
    return concurrent(*statement.node) && has_finding(findings, kInTransaction, statement.line);
  };
  // CONCURRENTLY in a transactional section: the section leaves the transaction when nothing
  // else in it needs one, else each such statement leaves the section.
  if (migration.up.options.transaction &&
      std::any_of(statements.begin(), statements.end(), in_transaction) &&
      std::all_of(statements.begin(), statements.end(), runs_alone) && file.leave_transaction()) {
    fix.done.push_back(
        fmt::format("line {}: the up section runs outside a transaction (`transaction:false`), "
                    "as CONCURRENTLY must",
                    file.marker_line()));
    return finished(fix, file);
  }
  for (const LintStatement& statement : statements) {
    if (in_transaction(statement)) {
      move_concurrent(statement, file, fix);
    } else if (statement.node->is("AlterTableStmt") &&
               (has_finding(findings, "constraint-missing-not-valid", statement.line) ||
                has_finding(findings, "adding-foreign-key-constraint", statement.line))) {
      invalidate(statement, file, fix);
    }
  }
  return finished(fix, file);
}

Migration follow_up_migration(const Migration& of, const FollowUp& follow_up, MigrationId id) {
  Migration migration;
  migration.id = std::move(id);
  migration.slug = of.slug.empty() ? follow_up.what : of.slug + "_" + follow_up.what;
  migration.doc = {fmt::format("Split from {} by migrate-lint --fix.", of.stem()), ""};
  if (!follow_up.transaction) {
    migration.doc.insert(
        migration.doc.end(),
        {"CONCURRENTLY cannot run inside a transaction: each statement here", "runs on its own."});
  }
  if (follow_up.what != "concurrently") {
    migration.doc.insert(migration.doc.end(),
                         {"VALIDATE CONSTRAINT scans the table; in a transaction of its own it",
                          "holds a lock that lets reads and writes go on, not the one that",
                          "added the constraint."});
  }
  migration.depends = std::vector<MigrationRef>{{of.id, of.stem(), 0}};
  migration.up.sql = fmt::format("{}", fmt::join(follow_up.up, "\n"));
  migration.up.options.transaction = follow_up.transaction;
  Section down;
  down.options.transaction = follow_up.down_transaction;
  down.sql = follow_up.down.empty()
                 ? "-- Nothing to undo: validating changes no definition.\nSELECT 1;"
                 : fmt::format("{}", fmt::join(follow_up.down, "\n"));
  migration.down = std::move(down);
  return migration;
}

}  // namespace migrate
