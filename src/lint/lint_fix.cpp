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
#include "lint/index_statements.hpp"
#include "lint/linter.hpp"
#include "lint/pg_names.hpp"
#include "lint/rules_index.hpp"
#include "lint/text_edits.hpp"
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
  return concurrent_operation(node);
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

/// The statement's text as the new migration holds it: its own line endings are the file's,
/// which write_migration writes as "\n".
std::string moved_text(std::string_view sql) {
  std::string text;
  for (const Line& line : split_lines(sql)) {
    text += std::string(trim_right(line.text)) + "\n";
  }
  text = std::string(trim_right(text));
  // After a comment that ends the text, the semicolon goes on a line of its own: at the end
  // of the comment's line it would be part of the comment.
  std::string_view last_line = std::string_view(text).substr(text.rfind('\n') + 1);
  bool after_comment = last_line.find("--") != std::string_view::npos || text.ends_with("*/");
  return text + (after_comment ? "\n;" : ";");
}

/// A plain CREATE INDEX, or DROP INDEX of one index, that the rules want CONCURRENTLY (on a
/// table that exists before this migration).
bool wants_concurrently(const LintStatement& statement, const std::vector<Finding>& findings) {
  const PgNode& node = *statement.node;
  if (node.is("IndexStmt") && !node.flag("concurrent")) {
    return std::any_of(findings.begin(), findings.end(), [&](const Finding& finding) {
      return finding.rule->name == "require-concurrent-index-creation" &&
             finding.line == statement.line && !finding.detail.starts_with(kPartitionedIndex);
    });
  }
  // (DROP INDEX CONCURRENTLY drops one index, and without CASCADE.)
  return node.is("DropStmt") && node.text("removeType") == "OBJECT_INDEX" &&
         !node.flag("concurrent") && node.list("objects").size() == 1 &&
         node.text("behavior") != "DROP_CASCADE" &&
         has_finding(findings, "require-concurrent-index-deletion", statement.line);
}

/// Everything fix_migration decides for one file, built up statement by statement.
class FileFix {
 public:
  FileFix(const Dialect& dialect, const Migration& migration, std::string_view text,
          bool may_follow)
      : m_dialect(dialect),
        m_migration(migration),
        m_may_follow(may_follow),
        m_text(text),
        m_edits(text),
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

  /// A setting of the section (SET, not SET LOCAL): the new migration starts with those that
  /// come before the last statement it takes, so that they run under the same timeouts.
  void setting(const LintStatement& statement) {
    m_settings.emplace_back(statement.line, moved_text(statement.sql));
  }

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
    // After a comment that ends the statement's text, on a line of its own: at the end of
    // the comment's line it would be part of the comment.
    std::string_view last_line = statement.sql.substr(statement.sql.rfind('\n') + 1);
    bool after_comment =
        last_line.find("--") != std::string_view::npos || statement.sql.ends_with("*/");
    std::string not_valid = (after_comment ? m_newline : std::string(" ")) + "NOT VALID";
    if (statement.in_transaction) {
      m_edits.insert(end, terminated ? not_valid : not_valid + ";");
      follow_up().up.push_back(validate);
      m_validates = true;
      m_last_taken = statement.line;
    } else if (terminated) {
      m_edits.insert(end, not_valid);
      m_edits.insert(semicolon + 1, m_newline + validate);
    } else {  // the section's last statement, without its semicolon
      m_edits.insert(end, not_valid + ";" + m_newline + validate);
    }
  }

  /// Why `statement`, a CONCURRENTLY operation, cannot move to the follow-up with the down
  /// section's statement that undoes it; nullopt when it can.
  std::optional<std::string> why_not_movable(const LintStatement& statement) const {
    const PgNode& node = *statement.node;
    if (node.is("IndexStmt") && node.text("idxname").empty()) {
      return "--fix moves only a named index: name it";
    }
    std::vector<IndexName> names =
        node.is("IndexStmt") ? std::vector<IndexName>{created_index(node)} : dropped_indexes(node);
    for (const IndexName& name : names) {
      if (!m_down) {
        break;
      }
      for (const LintStatement& down : m_down->statements) {
        std::vector<IndexName> dropped = dropped_indexes(*down.node);
        bool names_it = std::any_of(dropped.begin(), dropped.end(),
                                    [&](const IndexName& other) { return name.same(other); });
        if (names_it && dropped.size() > 1) {
          return fmt::format(
              "the down section's DROP INDEX at line {} names {} with other indexes: give it a "
              "DROP of its own",
              down.line, name.name);
        }
      }
    }
    return std::nullopt;
  }

  /// CONCURRENTLY written into `statement` (at `at`) where it stays, at `keyword`
  /// (concurrently_at).
  void add_concurrently(const LintStatement& statement, std::size_t at, std::size_t keyword) {
    m_edits.insert(at + keyword, " CONCURRENTLY");
    erase_settled_hazard(statement.line);
  }

  /// Moves `statement` (at `at`), a CONCURRENTLY operation that can move (why_not_movable),
  /// to the follow-up, and with it the down section's statement that undoes it; with
  /// CONCURRENTLY written in at `keyword` when it had none.
  void move_out(const LintStatement& statement, std::size_t at,
                std::optional<std::size_t> keyword) {
    const PgNode& node = *statement.node;
    FollowUp& moved = follow_up();
    auto undo_with = [&moved](std::string sql, bool concurrently) {
      moved.down.insert(moved.down.begin(), std::move(sql));
      moved.down_transaction = moved.down_transaction && !concurrently;
    };
    if (node.is("IndexStmt")) {
      IndexName index = created_index(node);
      std::optional<DownStatement> drop = take_down([&](const PgNode& down) {
        std::vector<IndexName> dropped = dropped_indexes(down);
        return dropped.size() == 1 && index.same(dropped.front());
      });
      if (drop && drop->node->text("behavior") == "DROP_CASCADE") {
        undo_with(drop->text, concurrent_operation(*drop->node));  // as written: CASCADE matters
      } else {
        undo_with(fmt::format("DROP INDEX CONCURRENTLY IF EXISTS {};",
                              qualified(index.schema, index.name)),
                  true);
      }
    } else {
      for (const IndexName& index : dropped_indexes(node)) {
        if (std::optional<DownStatement> create = take_down([&](const PgNode& down) {
              return down.is("IndexStmt") && index.same(created_index(down));
            })) {
          undo_with(create->text, concurrent_operation(*create->node));
        } else {
          m_not_recreated = true;
        }
      }
    }
    m_edits.erase_statement(at, statement.sql.size());
    erase_settled_hazard(statement.line);
    moved.up.push_back(moved_text(with_concurrently(statement.sql, keyword)));
    moved.transaction = false;
    m_moved.push_back(concurrent_kind(node));
    m_last_taken = statement.line;
  }

  /// The up marker gets `transaction:false`. False when the file has no marker line.
  bool leave_transaction() {
    std::optional<Line> marker = up_marker(m_text);
    if (!marker) {
      return false;
    }
    std::size_t option = marker->text.find("transaction:true");
    if (option != std::string_view::npos) {
      m_edits.replace(marker->offset + option, std::string_view("transaction:true").size(),
                      "transaction:false");
    } else {
      m_edits.insert(marker->offset + trim_right(marker->text).size(), " transaction:false");
    }
    m_marker_line = marker->number;
    return true;
  }

  int marker_line() const { return m_marker_line; }

  /// The text with every edit made, and the follow-up said in full.
  std::pair<std::string, std::optional<FollowUp>> finish() {
    if (m_follow_up) {
      std::vector<std::string> settings;
      for (const auto& [line, sql] : m_settings) {
        if (line < m_last_taken) {
          settings.push_back(sql);
        }
      }
      m_follow_up->up.insert(m_follow_up->up.begin(), settings.begin(), settings.end());
      if (m_follow_up->down.empty()) {
        m_follow_up->down.push_back(nothing_to_undo());
      }
      std::vector<std::string> parts = m_moved;
      if (m_validates) {
        parts.push_back("validate");
      }
      std::sort(parts.begin(), parts.end());
      parts.erase(std::unique(parts.begin(), parts.end()), parts.end());
      m_follow_up->what = fmt::format("{}", fmt::join(parts, "_and_"));
      m_follow_up->validates = m_validates;
    }
    return {m_edits.applied(), std::move(m_follow_up)};
  }

 private:
  struct DownStatement {
    std::string text;
    const PgNode* node;
  };

  /// "concurrently" for an index built or dropped so, "reindex" for a REINDEX: the new
  /// migration's slug says what it holds.
  static std::string concurrent_kind(const PgNode& node) {
    return node.is("ReindexStmt") ? "reindex" : "concurrently";
  }

  FollowUp& follow_up() {
    if (!m_follow_up) {
      m_follow_up.emplace();
    }
    return *m_follow_up;
  }

  std::string qualified(std::string_view schema, std::string_view name) const {
    return (schema.empty() ? "" : sql_name(m_dialect, schema) + ".") + sql_name(m_dialect, name);
  }

  /// The down section of a follow-up that undoes nothing: a no-op, saying why (a blank one
  /// would make it irreversible).
  std::string nothing_to_undo() const {
    std::vector<std::string> why;
    if (m_validates) {
      why.emplace_back("-- validating a constraint changes no definition");
    }
    if (std::find(m_moved.begin(), m_moved.end(), "reindex") != m_moved.end()) {
      why.emplace_back("-- rebuilding an index changes none");
    }
    if (m_not_recreated) {
      why.emplace_back(
          fmt::format("-- the index dropped here, {}'s down section did not "
                      "recreate either",
                      m_migration.stem()));
    }
    return fmt::format("-- Nothing to undo:\n{}.\nSELECT 1;", fmt::join(why, ";\n"));
  }

  /// The hazard migrate-create wrote on the lines right above a statement that now leaves the
  /// transaction for CONCURRENTLY (`-- hazard: locks-table: CREATE INDEX …`) goes: it is
  /// settled, and would stay behind, above nothing.
  void erase_settled_hazard(int line) {
    std::vector<Line> lines = split_lines(m_text);
    for (int above = line - 1; above >= 1; --above) {
      const Line& comment = lines[static_cast<std::size_t>(above - 1)];
      if (!trim(comment.text).starts_with("-- hazard: locks-table: CREATE INDEX")) {
        return;
      }
      std::size_t end = m_text.find('\n', comment.offset);
      end = end == std::string_view::npos ? m_text.size() : end + 1;  // with its line ending
      m_edits.replace(comment.offset, end - comment.offset, "");
    }
  }

  /// Removes from the down section its first statement that `matches`, returning it; nullopt
  /// when none does (or it is not where the section says).
  template <typename Match>
  std::optional<DownStatement> take_down(Match matches) {
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
      m_edits.erase_statement(at, statement.sql.size());
      return DownStatement{moved_text(statement.sql), statement.node};
    }
    return std::nullopt;
  }

  const Dialect& m_dialect;
  const Migration& m_migration;
  bool m_may_follow = false;
  std::string_view m_text;
  TextEdits m_edits;
  std::string m_newline;
  std::unique_ptr<ParsedSection> m_down;
  std::optional<FollowUp> m_follow_up;
  std::vector<std::pair<int, std::string>> m_settings;  ///< the section's SETs, by line
  int m_last_taken = 0;              ///< the line of the last statement the follow-up takes
  bool m_not_recreated = false;      ///< a moved DROP INDEX whose index the down did not recreate
  std::vector<std::string> m_moved;  ///< concurrent_kind of each statement moved
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

/// `statement`, a CONCURRENTLY operation in a transaction, moved to the new migration, unless
/// there is a reason it cannot (`blocked`).
void move_concurrent(const LintStatement& statement, const std::optional<std::string>& blocked,
                     std::optional<std::size_t> keyword, FileFix& file, LintFix& fix) {
  if (!blocked) {
    file.move_out(statement, file.up_offset(statement), keyword);
    fix.done.push_back(fmt::format(
        "line {}: moved to a new migration after this one, whose up section runs outside a "
        "transaction, as CONCURRENTLY must",
        statement.line));
    return;
  }
  fix.not_done.push_back(fmt::format(
      "line {}: CONCURRENTLY shares its section with statements that need the transaction; "
      "move it into a migration of its own whose up marker is `-- migrate:up "
      "transaction:false` ({})",
      statement.line, *blocked));
}

/// CONCURRENTLY written into a plain CREATE/DROP INDEX that stays where it is (its section
/// runs outside a transaction), at `keyword`; said when the statement's text hides where.
void concurrently_in_place(const LintStatement& statement, std::optional<std::size_t> keyword,
                           FileFix& file, LintFix& fix) {
  std::size_t at = file.up_offset(statement);
  if (!keyword || at == std::string_view::npos) {
    fix.not_done.push_back(
        fmt::format("line {}: write CONCURRENTLY after INDEX (--fix finds the keywords only "
                    "without a comment between them)",
                    statement.line));
    return;
  }
  file.add_concurrently(statement, at, *keyword);
  fix.done.push_back(fmt::format("line {}: CONCURRENTLY, which lets writes go on", statement.line));
}

/// A setting for the session (not SET LOCAL, which a transaction:false section would drop).
bool session_setting(const LintStatement& statement) {
  return statement.node->is("VariableSetStmt") && !statement.node->flag("is_local");
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
  // By statement: where CONCURRENTLY goes in a plain CREATE/DROP INDEX on a table that exists
  // (where --fix can tell), and whether the statement must leave the section's transaction
  // (CONCURRENTLY already in it, or written now).
  std::vector<std::optional<std::size_t>> keyword(statements.size());
  std::vector<bool> leaves(statements.size());
  bool alone = true;  // nothing else in the section needs its transaction
  for (std::size_t i = 0; i < statements.size(); ++i) {
    const LintStatement& statement = statements[i];
    if (wants_concurrently(statement, findings)) {
      keyword[i] = concurrently_at(statement.sql);
    }
    leaves[i] = (concurrent_operation(*statement.node) &&
                 has_finding(findings, kInTransaction, statement.line)) ||
                (keyword[i] && statement.in_transaction);
    alone = alone && (runs_alone(statement) || keyword[i]);
  }
  // The section leaves the transaction when nothing else in it needs one, else each such
  // statement leaves the section.
  if (migration.up.options.transaction &&
      std::find(leaves.begin(), leaves.end(), true) != leaves.end() && alone &&
      file.leave_transaction()) {
    fix.done.push_back(
        fmt::format("line {}: the up section runs outside a transaction (`transaction:false`), "
                    "as CONCURRENTLY must",
                    file.marker_line()));
    for (std::size_t i = 0; i < statements.size(); ++i) {
      if (keyword[i]) {
        concurrently_in_place(statements[i], keyword[i], file, fix);
      }
    }
    return finished(fix, file);
  }
  // The new migration runs after all that stays, so only the section's last statements may
  // move (settings aside): moved from the middle, one would run after statements written to
  // run after it (an ADD CONSTRAINT … USING INDEX of the index it builds).
  std::vector<std::optional<std::string>> blocked(statements.size());
  std::optional<int> staying;  // the line of the first statement after this one that stays
  for (std::size_t i = statements.size(); i-- > 0;) {
    const LintStatement& statement = statements[i];
    if (!leaves[i]) {
      staying = session_setting(statement) ? staying : statement.line;
      continue;
    }
    if (!file.can_follow_up()) {
      blocked[i] =
          "in a dbmate folder, which has no `-- depends:`, --fix adds a new migration "
          "only after the last";
    } else if (file.up_offset(statement) == std::string_view::npos) {
      blocked[i] = "the statement is not where its section says in the file";
    } else if (std::optional<std::string> why = file.why_not_movable(statement)) {
      blocked[i] = why;
    } else if (staying) {
      blocked[i] = fmt::format(
          "line {} after it stays, and would then run before it: put it last in the section",
          *staying);
    }
    staying = blocked[i] ? statement.line : staying;
  }
  for (std::size_t i = 0; i < statements.size(); ++i) {
    const LintStatement& statement = statements[i];
    if (leaves[i]) {
      move_concurrent(statement, blocked[i], keyword[i], file, fix);
    } else if (wants_concurrently(statement, findings)) {
      concurrently_in_place(statement, keyword[i], file, fix);
    } else if (session_setting(statement)) {
      file.setting(statement);
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
  if (follow_up.validates) {
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
  down.sql = fmt::format("{}", fmt::join(follow_up.down, "\n"));
  migration.down = std::move(down);
  return migration;
}

}  // namespace migrate
