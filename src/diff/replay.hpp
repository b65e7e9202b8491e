#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "graph/revision_graph.hpp"
#include "graph/revision_spec.hpp"
#include "schema/schema_model.hpp"
#include "schema/schema_read_options.hpp"

namespace migrate {

class Connection;
class Dialect;
class DevDatabase;
class DevDatabases;
struct Plan;

/// Applies the migrations of `graph` up to `target` to a development database, as `migrate
/// upgrade` would (every section's options honoured), silently, recording them in
/// kDevStateTable. Throws what an upgrade throws (MigrationFailed naming the file and line).
void replay_migrations(Connection& connection, const RevisionGraph& graph,
                       const RevisionSpec& target);

/// A new development database from `dev` with the migrations of `graph` replayed up to
/// `target`, as replay_migrations does on an empty one. With a snapshot kept
/// (DevDatabases::keep_replays_in) that holds the replay's first steps, it starts from there,
/// and the replay is kept as the snapshot. Throws what replay_migrations throws.
std::unique_ptr<DevDatabase> replayed_database(DevDatabases& dev, const RevisionGraph& graph,
                                               const RevisionSpec& target);

/// The schema a development database holds once replay_migrations has run to each of
/// `targets` in turn (none: the empty schema) on an empty one from `dev`, read leaving out
/// `options`' tables and kDevStateTable. Throws what replay_migrations throws.
SchemaModel replayed_schema(DevDatabases& dev, const RevisionGraph& graph,
                            const std::vector<RevisionSpec>& targets, SchemaReadOptions options);

/// Runs `plan`, made against the rows of kDevStateTable, on a development database where that
/// table exists (replay_migrations creates it), as the executor runs an upgrade or downgrade,
/// silently. Throws what the executor throws.
void run_dev_plan(Connection& connection, const Plan& plan);

/// Development databases walked along a graph for what runs each migration itself (the SQLite
/// linter runs a migration's up section on one to learn what it does): before(i) is a database
/// holding the migrations i depends on, its ancestors, and nothing else. The caller then runs i
/// there, unrecorded: the next before(j) goes on on the same database when i and what it held
/// are exactly j's ancestors (a line of migrations replays once), else starts again from a
/// replay (replayed_database). Throws what replay_migrations throws.
class ReplayWalk {
 public:
  ReplayWalk(DevDatabases& dev, const RevisionGraph& graph);
  ReplayWalk(const ReplayWalk&) = delete;
  ReplayWalk& operator=(const ReplayWalk&) = delete;
  ~ReplayWalk();

  Connection& before(std::size_t index);

 private:
  DevDatabases& m_dev;
  const RevisionGraph& m_graph;
  std::unique_ptr<DevDatabase> m_database;
  std::vector<bool> m_holds;  ///< by graph index: what m_database holds once i has run
};

/// The databases a linter whose engine has no parse tree needs (SQLite's rules run each
/// migration on one holding its ancestors: LintRequest::database_before), walked along `graph`
/// on development databases from `dev`, or from in-memory ones of its own when `dev` is null,
/// whose replays start from and are kept in `snapshot` when one is named (keep_replays_in: a
/// long history is then replayed once, not on every commit). Where `dialect` has a parse
/// tree, none: lookup() is empty.
class LintDatabases {
 public:
  LintDatabases(const Dialect& dialect, std::string engine, const RevisionGraph& graph,
                DevDatabases* dev = nullptr, const std::filesystem::path& snapshot = {});
  LintDatabases(const LintDatabases&) = delete;
  LintDatabases& operator=(const LintDatabases&) = delete;
  ~LintDatabases();

  /// before(i) of the walk; an empty function where none is needed. Valid while this lives.
  std::function<Connection&(std::size_t)> lookup();

 private:
  std::unique_ptr<DevDatabases> m_own;
  std::unique_ptr<ReplayWalk> m_walk;
};

/// Reverts every migration replay_migrations applied, newest first, as `migrate downgrade
/// base` would.
void revert_migrations(Connection& connection, const RevisionGraph& graph);

}  // namespace migrate
