#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "db/connection.hpp"
#include "db/database_url.hpp"
#include "db/open_database.hpp"
#include "plan/database_status.hpp"
#include "state/applied_migration.hpp"
#include "target/target_read.hpp"

namespace migrate {

class RevisionGraph;
class StopRequest;
struct Target;

/// A target's database as a read found it: where it is, the connection (null when the
/// database does not exist yet: nothing is applied there), and its status against the graph.
struct TargetStatus {
  DatabaseUrl url;
  std::unique_ptr<Connection> connection;
  DatabaseStatus status;
};

/// The target's URL, parsed (relative sqlite: paths resolved). Throws ConfigError with the
/// target's `problem` when it has one, and the parser's errors for a bad URL.
DatabaseUrl target_url(const Target& target);

/// What read_target_status reads before it needs the graph: the database and its state
/// table's rows (no connection and no rows where the database does not exist yet).
struct TargetRows {
  DatabaseUrl url;
  std::unique_ptr<Connection> connection;
  std::vector<AppliedMigration> rows;
};

/// Opens the target's database read-only (whatever `options` says; they set the timeouts) and
/// reads its state table (without the rows' down SQL: AppliedMigration::down_sql is empty). A
/// database that does not exist yet is not created: it has nothing applied. Throws what
/// opening and reading throw. A request on `stop` cancels the read (a wait for a lock
/// included), which then throws.
TargetRows read_target_rows(const Target& target, ConnectOptions options,
                            StopRequest* stop = nullptr);

/// The rows reconciled with `graph` (a Flyway folder's placeholders read through the
/// connection).
TargetStatus reconcile_target(const Target& target, TargetRows read, const RevisionGraph& graph);

/// read_target_rows, then reconcile_target.
TargetStatus read_target_status(const Target& target, const RevisionGraph& graph,
                                ConnectOptions options);

/// `target`'s database through read_target_status (read-only, with `options`' timeouts), or why
/// it could not be read. Never throws for the database's sake, and names redacted URLs only.
TargetRead read_target(const Target& target, const RevisionGraph& graph,
                       const ConnectOptions& options);

}  // namespace migrate
