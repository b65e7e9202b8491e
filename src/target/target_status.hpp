#pragma once

#include <memory>
#include <optional>
#include <string>

#include "db/connection.hpp"
#include "db/database_url.hpp"
#include "db/open_database.hpp"
#include "plan/database_status.hpp"
#include "target/target_read.hpp"

namespace migrate {

class RevisionGraph;
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

/// Opens the target's database read-only (whatever `options` says; they set the timeouts),
/// reads its state table (without the rows' down SQL: AppliedMigration::down_sql is empty) and
/// reconciles the rows with `graph`. A database that does not exist
/// yet is not created: it has nothing applied. Throws what opening and reading throw.
TargetStatus read_target_status(const Target& target, const RevisionGraph& graph,
                                ConnectOptions options);

/// `target`'s database through read_target_status (read-only, with `options`' timeouts), or why
/// it could not be read. Never throws for the database's sake, and names redacted URLs only.
TargetRead read_target(const Target& target, const RevisionGraph& graph,
                       const ConnectOptions& options);

}  // namespace migrate
