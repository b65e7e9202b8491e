// How migrate runs a section decides these rules (run/executor.cpp): a section runs in one
// transaction of migrate's with its state row, unless it is transaction:false (statement by
// statement, each recorded as done after it commits) or holds its own BEGIN/COMMIT (then it
// runs as written). LintStatement::in_transaction says which statements that leaves inside a
// transaction.
#include "lint/rules_transaction.hpp"

#include <algorithm>
#include <array>
#include <set>

#include <fmt/format.h>

#include "lint/pg_names.hpp"
#include "lint/rerunnable.hpp"
#include "lint/strong_lock.hpp"
#include "lint/transaction_control.hpp"

namespace migrate {

namespace {

enum Rule : std::size_t {
  kNesting,
  kUncommitted,
  kRobust,
  kLockTimeout,
  kStatementTimeout,
  kEnumValue,
};

constexpr std::array<RuleInfo, 6> kRules = {{
    {"transaction-nesting", Severity::warning,
     "BEGIN, COMMIT or ROLLBACK where the transaction is already decided",
     "migrate runs a section in one transaction together with the row that records it. A "
     "section with its own BEGIN, COMMIT or ROLLBACK runs as written instead: what runs outside "
     "its blocks commits statement by statement, a failure part-way leaves it half applied and "
     "not recorded, and a ROLLBACK undoes work that is then recorded as applied. In a "
     "transaction:false section, PostgreSQL ignores a BEGIN inside an open transaction (the "
     "first COMMIT ends both), and a COMMIT with none open commits nothing.",
     "Let migrate own the transaction: remove BEGIN/COMMIT from the section, which already runs "
     "in one. Where statements need transactions of their own, balance them in a "
     "transaction:false section:\n"
     "-- migrate:up transaction:false\n"
     "BEGIN;\n"
     "UPDATE accounts SET plan = 'free' WHERE plan IS NULL AND id < 100000;\n"
     "COMMIT;"},
    {"ban-uncommitted-transaction", Severity::warning,
     "BEGIN with no COMMIT or ROLLBACK after it in the section",
     "The section ends inside its transaction: its locks stay held until migrate's write of "
     "the state row, whose COMMIT then commits the rest of the section with it. Run as a --sql "
     "script, the statements after it join the transaction; run by another tool, the session "
     "ends and rolls it all back.",
     "End every transaction in the section that opened it:\n"
     "-- migrate:up transaction:false\n"
     "BEGIN;\n"
     "UPDATE accounts SET plan = 'free' WHERE plan IS NULL;\n"
     "COMMIT;"},
    {"prefer-robust-stmts", Severity::warning,
     "a statement that fails when its transaction:false section runs it again",
     "A transaction:false section runs statement by statement, and migrate records each as "
     "done once it committed. A resume starts at the first statement not recorded, which after "
     "a crash or a lost connection may be one that did commit; a down section, and a section "
     "with its own BEGIN/COMMIT, start again from the top. A statement that cannot run twice "
     "fails that resume, and the section stays half applied until someone repairs it by hand.",
     "Make every statement re-runnable, or keep in the transaction:false section only what "
     "cannot run in a transaction and move the rest to a migration of its own:\n"
     "-- migrate:up transaction:false\n"
     "SET lock_timeout = '2s';\n"
     "ALTER TABLE users ADD COLUMN IF NOT EXISTS billing_email text;\n"
     "ALTER TABLE users DROP CONSTRAINT IF EXISTS users_billing_email_check,\n"
     "  ADD CONSTRAINT users_billing_email_check CHECK (billing_email LIKE '%@%') NOT VALID;\n"
     "CREATE INDEX CONCURRENTLY IF NOT EXISTS users_billing_email_idx ON users (billing_email);\n"
     "-- IF NOT EXISTS also skips the INVALID index a failed CREATE INDEX CONCURRENTLY leaves:\n"
     "-- after such a failure, DROP INDEX CONCURRENTLY it before resuming."},
    {"require-lock-timeout", Severity::error,
     "a lock that blocks writes to an existing table, with no lock_timeout",
     "While the statement waits for its lock, behind a long query or an idle open "
     "transaction, every query on the table queues behind it: the table is down for as long as "
     "the wait lasts, though the change itself may take milliseconds.",
     "Let migrate set it in every migration's transaction (`--migration-lock-timeout 2s`), or "
     "set it in the section before the statement, and run the migration again when it times "
     "out. --migration-lock-timeout does not reach a transaction:false section or one with its "
     "own BEGIN/COMMIT: SET it there.\n"
     "-- migrate:up\n"
     "SET LOCAL lock_timeout = '2s';\n"
     "ALTER TABLE users ADD COLUMN billing_email text;"},
    {"require-statement-timeout", Severity::warning,
     "a lock that blocks writes to an existing table, with no statement_timeout",
     "Nothing bounds how long the statement holds its lock: a slower plan, a bigger table or a "
     "scan nobody expected keeps the table's reads and writes waiting until it ends.",
     "Let migrate set it for every statement (`--statement-timeout 30s`), or set it in the "
     "section before the statement:\n"
     "-- migrate:up\n"
     "SET LOCAL statement_timeout = '30s';\n"
     "ALTER TABLE users ADD COLUMN verified boolean NOT NULL DEFAULT false;"},
    {"enum-value-used-in-same-transaction", Severity::error,
     "an enum value used in the transaction that added it: PostgreSQL refuses it",
     "PostgreSQL cannot use a value ALTER TYPE … ADD VALUE added until that transaction "
     "commits (unless the type itself is new in it): the statement fails with \"unsafe use of "
     "new value\", and the migration with it.",
     "Add the value in a migration (or a transaction:false section) of its own, and use it in "
     "the next:\n"
     "-- migrate:up transaction:false\n"
     "ALTER TYPE post_status ADD VALUE IF NOT EXISTS 'archived';\n"
     "-- the next migration:\n"
     "UPDATE posts SET status = 'archived' WHERE archived_at IS NOT NULL;"},
}};

std::string_view control_word(const PgNode& node) {
  std::string_view kind = node.text("kind");
  if (kind == "TRANS_STMT_ROLLBACK") {
    return "ROLLBACK";
  }
  if (kind == "TRANS_STMT_PREPARE") {
    return "PREPARE TRANSACTION";
  }
  return transaction_control(node) == TransactionControl::begin ? "BEGIN" : "COMMIT";
}

const std::vector<LintStatement>& section_of(const LintContext& context) {
  static const std::vector<LintStatement> kNone;
  return context.section ? *context.section : kNone;
}

/// Whether the section runs in migrate's own transaction: not transaction:false, no BEGIN/COMMIT.
bool in_runner_transaction(const LintContext& context) {
  const std::vector<LintStatement>& section = section_of(context);
  return context.transaction &&
         std::none_of(section.begin(), section.end(), [](const LintStatement& statement) {
           return transaction_control(*statement.node) != TransactionControl::none;
         });
}

void check_nesting(const LintStatement& statement, const LintContext& context,
                   std::vector<Finding>& findings) {
  const TransactionControl control = transaction_control(*statement.node);
  std::string_view word = control_word(*statement.node);
  std::span<const LintStatement> before = context.before();
  const bool first = std::none_of(before.begin(), before.end(), [](const LintStatement& earlier) {
    return transaction_control(*earlier.node) != TransactionControl::none;
  });
  if (context.transaction && first) {  // said once: it changes how the whole section runs
    report(findings, kRules[kNesting], statement,
           fmt::format("{} in a section migrate would run in its transaction: it runs the whole "
                       "section as written instead, without it",
                       word));
  } else if (control == TransactionControl::begin && statement.in_transaction) {
    report(findings, kRules[kNesting], statement,
           "BEGIN inside the transaction an earlier BEGIN opened: PostgreSQL ignores it, and the "
           "first COMMIT ends both");
  } else if (control == TransactionControl::end && !statement.in_transaction) {
    report(findings, kRules[kNesting], statement,
           fmt::format("{} with no transaction open: each statement outside a BEGIN block "
                       "commits on its own",
                       word));
  }
}

void check_uncommitted(const LintStatement& statement, const LintContext& context,
                       std::vector<Finding>& findings) {
  if (statement.in_transaction) {
    return;  // a BEGIN inside a transaction opens none (transaction-nesting says so)
  }
  const std::vector<LintStatement>& section = section_of(context);
  for (std::size_t i = context.index + 1; i < section.size(); ++i) {
    if (transaction_control(*section[i].node) == TransactionControl::end) {
      return;
    }
  }
  report(findings, kRules[kUncommitted], statement);
}

/// Settings and transaction control change nothing a resume could trip over.
bool changes_database(const PgNode& node) {
  return !node.is("TransactionStmt") && !node.is("VariableSetStmt") && !node.is("VariableShowStmt");
}

/// How many times a failure can leave part of the section done: each statement that changes
/// the database, a BEGIN…COMMIT block counted once.
std::size_t units_of_work(const std::vector<LintStatement>& section) {
  std::size_t units = 0;
  bool block_counted = false;
  for (const LintStatement& statement : section) {
    if (!statement.in_transaction) {
      block_counted = false;  // outside a block, or its BEGIN
    }
    if (!changes_database(*statement.node) || (statement.in_transaction && block_counted)) {
      continue;
    }
    ++units;
    block_counted = statement.in_transaction;
  }
  return units;
}

void check_robust(const LintStatement& statement, const LintContext& context,
                  std::vector<Finding>& findings) {
  if (in_runner_transaction(context)) {
    return;  // a failure rolls the section back: it runs again from a clean start
  }
  std::optional<std::string> why = not_rerunnable(*statement.node);
  if (why && units_of_work(section_of(context)) > 1) {
    report(findings, kRules[kRobust], statement,
           fmt::format("{}: {} may run it again", *why,
                       context.transaction
                           ? "a rerun of this section, which its own BEGIN/COMMIT runs as "
                             "written, from the top,"
                           : "a resume of this transaction:false section"));
  }
}

/// Whether a timeout's value leaves it on: not 0 in any unit ('0', '0s', '0ms').
bool enables(std::string_view value) {
  std::string_view number = value.substr(0, value.find_first_not_of("0123456789."));
  return !number.empty() && number.find_first_not_of("0.") != std::string_view::npos;
}

/// What a statement does to setting `name`: nullopt when nothing; otherwise whether it leaves
/// it on, and whether only for its transaction (SET LOCAL, set_config(…, true)).
struct SettingChange {
  bool on = false;
  bool local = false;
};

std::optional<SettingChange> setting_change(const PgNode& node, std::string_view name) {
  if (node.is("VariableSetStmt")) {
    std::string_view kind = node.text("kind");
    if (kind == "VAR_RESET_ALL") {
      return SettingChange{};
    }
    if (node.text("name") != name) {
      return std::nullopt;
    }
    const std::vector<PgNode>& args = node.list("args");
    return SettingChange{kind == "VAR_SET_VALUE" && !args.empty() && enables(args[0].as_text()),
                         node.flag("is_local")};
  }
  if (!node.is("SelectStmt")) {
    return std::nullopt;
  }
  for (const PgNode* call : node.find_all("FuncCall")) {  // SELECT set_config(name, value, local)
    const std::vector<PgNode>& function = call->list("funcname");
    const std::vector<PgNode>& args = call->list("args");
    if (!function.empty() && function.back().as_text() == "set_config" && args.size() == 3 &&
        args[0].as_text() == name) {
      const PgNode* local = args[2].field("boolval");
      return SettingChange{enables(args[1].as_text()), local != nullptr && local->flag("boolval")};
    }
  }
  return std::nullopt;
}

/// Whether a non-zero `name` (lock_timeout, statement_timeout) is in force at `statement`, the
/// one after `before` in its section: SET in the session, or SET LOCAL in its transaction, and
/// not turned off since.
bool timeout_in_force(std::string_view name, std::span<const LintStatement> before,
                      const LintStatement& statement) {
  bool same_transaction = statement.in_transaction;
  for (auto earlier = before.rbegin(); earlier != before.rend(); ++earlier) {
    same_transaction = same_transaction && earlier->in_transaction;
    std::optional<SettingChange> change = setting_change(*earlier->node, name);
    // A local setting ended with its transaction (and outside one never took).
    if (change && (!change->local || same_transaction)) {
      return change->on;
    }
  }
  return false;
}

/// Said once per section and setting: at the first statement that locks an existing table
/// while the timeout is not in force.
bool first_without(std::string_view name, const LintStatement& statement,
                   const LintContext& context) {
  std::span<const LintStatement> before = context.before();
  if (timeout_in_force(name, before, statement)) {
    return false;
  }
  for (std::size_t i = 0; i < before.size(); ++i) {
    if (strong_lock_on_existing_table(*before[i].node, context) &&
        !timeout_in_force(name, before.first(i), before[i])) {
      return false;
    }
  }
  return true;
}

std::string_view article(std::string_view mode) {
  return mode.starts_with("S") ? "a" : "an";
}

void check_timeouts(const LintStatement& statement, const LintContext& context,
                    std::vector<Finding>& findings) {
  // --migration-lock-timeout is a SET LOCAL in migrate's transaction; --statement-timeout is
  // the session's, for every statement.
  const bool lock_wanted = !(context.runner_lock_timeout && in_runner_transaction(context));
  const bool statement_wanted = !context.runner_statement_timeout;
  if (!lock_wanted && !statement_wanted) {
    return;
  }
  std::optional<StrongLock> lock = strong_lock_on_existing_table(*statement.node, context);
  if (!lock) {
    return;
  }
  if (lock_wanted && first_without("lock_timeout", statement, context)) {
    report(findings, kRules[kLockTimeout], statement,
           fmt::format("{} {} lock on {} with no lock_timeout: while it waits, every query on "
                       "the table waits behind it",
                       article(lock->mode), lock->mode, lock->table));
  }
  if (statement_wanted && first_without("statement_timeout", statement, context)) {
    report(findings, kRules[kStatementTimeout], statement,
           fmt::format("{} {} lock on {} with no statement_timeout: nothing bounds how long it "
                       "is held",
                       article(lock->mode), lock->mode, lock->table));
  }
}

/// The string literals of `node` equal to `value`, but for those cast to another type than
/// `type` ('archived'::text is no use of the enum).
/// How a statement uses an enum's value: a literal cast to the type is surely it; an equal
/// literal with no cast to another type may be (PostgreSQL infers the enum from the column it
/// meets, which the linter does not see).
enum class ValueUse { none, maybe, surely };

ValueUse uses_value(const PgNode& node, std::string_view value, std::string_view type) {
  std::set<const PgNode*> other_type;
  std::set<const PgNode*> this_type;
  for (const PgNode* cast : node.find_all("TypeCast")) {
    const PgNode* type_name = cast->field("typeName");
    if (type_name != nullptr) {
      bool same = last_name(type_name->list("names")) == type;
      (same ? this_type : other_type).insert(cast->field("arg"));
    }
  }
  ValueUse use = ValueUse::none;
  for (const PgNode* literal : node.find_all("A_Const")) {
    if (literal->field("sval") != nullptr && literal->as_text() == value &&
        !other_type.contains(literal)) {
      if (this_type.contains(literal)) {
        return ValueUse::surely;
      }
      use = ValueUse::maybe;
    }
  }
  return use;
}

void check_enum_value_use(const LintStatement& statement, const LintContext& context,
                          std::vector<Finding>& findings) {
  if (!statement.in_transaction) {
    return;
  }
  std::span<const LintStatement> before = context.before();
  std::vector<const PgNode*> added;  // ADD VALUE in this statement's transaction
  std::set<std::string_view> new_types;
  for (auto earlier = before.rbegin(); earlier != before.rend() && earlier->in_transaction;
       ++earlier) {
    const PgNode& node = *earlier->node;
    if (node.is("AlterEnumStmt") && node.text("oldVal").empty() && node.field("newVal")) {
      added.push_back(&node);
    } else if (node.is("CreateEnumStmt")) {
      new_types.insert(last_name(node.list("typeName")));
    }
  }
  for (const PgNode* add : added) {
    std::string_view type = last_name(add->list("typeName"));
    std::string_view value = add->text("newVal");
    ValueUse use =
        new_types.contains(type) ? ValueUse::none : uses_value(*statement.node, value, type);
    if (use != ValueUse::none) {
      report(findings, kRules[kEnumValue], statement,
             fmt::format(
                 "'{}' was added to type {} earlier in this transaction: {}PostgreSQL "
                 "refuses to use it before the commit",
                 value, type,
                 use == ValueUse::maybe ? fmt::format("if this '{}' is a {}, ", value, type) : ""));
    }
  }
}

void check(const LintStatement& statement, const LintContext& context,
           std::vector<Finding>& findings) {
  const PgNode& node = *statement.node;
  if (transaction_control(node) != TransactionControl::none) {
    check_nesting(statement, context, findings);
    if (transaction_control(node) == TransactionControl::begin) {
      check_uncommitted(statement, context, findings);
    }
    return;
  }
  check_robust(statement, context, findings);
  check_timeouts(statement, context, findings);
  check_enum_value_use(statement, context, findings);
}

}  // namespace

const RuleFamily& transaction_rules() {
  static const RuleFamily kFamily{"transaction", kRules, check};
  return kFamily;
}

}  // namespace migrate
