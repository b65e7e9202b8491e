#include "lint/rules_index.hpp"

#include <array>

#include <fmt/format.h>

namespace migrate {

namespace {

enum Rule : std::size_t {
  kCreate,
  kDrop,
  kInTransaction,
  kReindex,
  kDetach,
  kPg14,
  kTooManyColumns,
};

constexpr std::array<RuleInfo, 7> kRules = {{
    {"require-concurrent-index-creation", Severity::error,
     "CREATE INDEX without CONCURRENTLY on an existing table",
     "A plain CREATE INDEX blocks every write to the table until the index is built: minutes "
     "on a large table, with the application's writes queued behind it.",
     "Build it without blocking writes, in a section of its own outside a transaction:\n"
     "-- migrate:up transaction:false\n"
     "CREATE INDEX CONCURRENTLY IF NOT EXISTS users_email_idx ON users (email);"},
    {"require-concurrent-index-deletion", Severity::error, "DROP INDEX without CONCURRENTLY",
     "A plain DROP INDEX takes an ACCESS EXCLUSIVE lock on the table: reads and writes wait "
     "until it is done, and everything queued behind a long query waits too.",
     "-- migrate:up transaction:false\n"
     "DROP INDEX CONCURRENTLY IF EXISTS users_email_idx;"},
    {"ban-concurrent-index-creation-in-transaction", Severity::error,
     "CONCURRENTLY inside a transaction: PostgreSQL refuses it",
     "CREATE INDEX CONCURRENTLY (and DROP INDEX, REINDEX CONCURRENTLY) cannot run inside a "
     "transaction block; the migration fails when it runs.",
     "Put it in a section of its own with `transaction:false` (migrate then runs each statement "
     "on its own), and make it safe to run again:\n"
     "-- migrate:up transaction:false\n"
     "CREATE INDEX CONCURRENTLY IF NOT EXISTS users_email_idx ON users (email);"},
    {"require-concurrent-reindex", Severity::error, "REINDEX without CONCURRENTLY",
     "A plain REINDEX blocks writes to the table and reads that would use the index until it "
     "is done.",
     "-- migrate:up transaction:false\n"
     "REINDEX INDEX CONCURRENTLY users_email_idx;"},
    {"require-concurrent-partition-detach", Severity::error,
     "DETACH PARTITION without CONCURRENTLY",
     "Detaching a partition takes an ACCESS EXCLUSIVE lock on the parent table: reads and "
     "writes wait until it is done.",
     "From PostgreSQL 14, outside a transaction (not with a DEFAULT partition):\n"
     "-- migrate:up transaction:false\n"
     "ALTER TABLE events DETACH PARTITION events_2024 CONCURRENTLY;\n"
     "-- if it is interrupted: ALTER TABLE events DETACH PARTITION events_2024 FINALIZE;"},
    {"concurrent-index-pg14-corruption", Severity::error,
     "CONCURRENTLY on PostgreSQL 14.0 to 14.3 can corrupt the index",
     "A bug in PostgreSQL 14.0-14.3 (fixed in 14.4) makes CREATE INDEX CONCURRENTLY and REINDEX "
     "CONCURRENTLY miss rows that were updated while they ran: the index silently lacks them.",
     "Upgrade the server to 14.4 or later first. Otherwise build the index without "
     "CONCURRENTLY in a maintenance window, and REINDEX (without CONCURRENTLY) every index "
     "built concurrently on 14.0-14.3."},
    {"index-too-many-columns", Severity::warning, "a non-unique index over more than three columns",
     "A non-unique index on four or more columns rarely helps queries more than one on the few "
     "that narrow the rows down most, and every write pays for all of them.",
     "Index the columns that select the fewest rows first, and stop at three:\n"
     "-- migrate:up transaction:false\n"
     "CREATE INDEX CONCURRENTLY orders_account_created_idx ON orders (account_id, created_at);"},
}};

/// Whether a REINDEX statement has CONCURRENTLY (both spellings give a "concurrently" option).
bool reindex_concurrently(const PgNode& reindex) {
  return reindex.has_option("params", "concurrently");
}

/// Whether `version` (server_version_num) has PostgreSQL 14's CONCURRENTLY bug.
bool corrupting_version(int version) {
  return version >= 140000 && version < 140004;
}

void check_create_index(const LintStatement& statement, const LintContext& context,
                        std::vector<Finding>& findings) {
  const PgNode& index = *statement.node;
  const PgNode* table = index.field("relation");
  std::string name = table ? table_name(*table) : std::string("?");
  if (index.flag("concurrent")) {
    if (statement.in_transaction) {
      report(findings, kRules[kInTransaction], statement,
             fmt::format("CREATE INDEX CONCURRENTLY on {} in a section that runs in a "
                         "transaction: PostgreSQL refuses it",
                         name));
    }
    if (corrupting_version(context.server_version)) {
      report(findings, kRules[kPg14], statement);
    }
  } else if (table && !context.is_new_table(*table) && table->flag("inh")) {
    // (ON ONLY a partitioned table: the parent's index alone, made at once and invalid until
    // each partition's is attached; PostgreSQL has no CONCURRENTLY for it.)
    report_on_table(
        findings, kRules[kCreate], statement, *table,
        context.is_partitioned(*table)
            ? fmt::format("{}{} blocks writes to each partition while its index is built, and "
                          "PostgreSQL has no CONCURRENTLY for it: create the index ON ONLY {}, "
                          "build each partition's CONCURRENTLY, then ALTER INDEX … ATTACH "
                          "PARTITION each",
                          kPartitionedIndex, name, name)
            : fmt::format("CREATE INDEX on {} without CONCURRENTLY blocks its writes", name));
  }
  if (!index.flag("unique") && index.list("indexParams").size() > 3) {
    report(findings, kRules[kTooManyColumns], statement,
           fmt::format("a non-unique index on {} over {} columns", name,
                       index.list("indexParams").size()));
  }
}

void check_drop_index(const LintStatement& statement, std::vector<Finding>& findings) {
  const PgNode& drop = *statement.node;
  if (drop.text("removeType") != "OBJECT_INDEX") {
    return;
  }
  if (!drop.flag("concurrent")) {
    report(findings, kRules[kDrop], statement);
  } else if (statement.in_transaction) {
    report(findings, kRules[kInTransaction], statement,
           "DROP INDEX CONCURRENTLY in a section that runs in a transaction: PostgreSQL refuses "
           "it");
  }
}

void check_reindex(const LintStatement& statement, const LintContext& context,
                   std::vector<Finding>& findings) {
  const PgNode& reindex = *statement.node;
  if (!reindex_concurrently(reindex)) {
    if (reindex.text("kind") != "REINDEX_OBJECT_SYSTEM") {  // which cannot be concurrent
      report(findings, kRules[kReindex], statement);
    }
    return;
  }
  if (statement.in_transaction) {
    report(findings, kRules[kInTransaction], statement,
           "REINDEX CONCURRENTLY in a section that runs in a transaction: PostgreSQL refuses it");
  }
  if (corrupting_version(context.server_version)) {
    report(findings, kRules[kPg14], statement);
  }
}

void check_detach(const LintStatement& statement, std::vector<Finding>& findings) {
  for (const PgNode& command : statement.node->list("cmds")) {
    if (command.text("subtype") != "AT_DetachPartition") {
      continue;
    }
    const PgNode* partition = command.field("def");
    if (partition == nullptr || !partition->flag("concurrent")) {
      report(findings, kRules[kDetach], statement);
    } else if (statement.in_transaction) {
      report(findings, kRules[kInTransaction], statement,
             "DETACH PARTITION CONCURRENTLY in a section that runs in a transaction: "
             "PostgreSQL refuses it");
    }
  }
}

void check(const LintStatement& statement, const LintContext& context,
           std::vector<Finding>& findings) {
  const PgNode& node = *statement.node;
  if (node.is("IndexStmt")) {
    check_create_index(statement, context, findings);
  } else if (node.is("DropStmt")) {
    check_drop_index(statement, findings);
  } else if (node.is("ReindexStmt")) {
    check_reindex(statement, context, findings);
  } else if (node.is("AlterTableStmt")) {
    check_detach(statement, findings);
  }
}

}  // namespace

const RuleFamily& index_rules() {
  static const RuleFamily kFamily{"index", kRules, check};
  return kFamily;
}

}  // namespace migrate
