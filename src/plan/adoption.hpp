#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "migration/flyway_checksum.hpp"
#include "plan/plan.hpp"
#include "state/foreign_state.hpp"

namespace migrate {

class RevisionGraph;
struct DatabaseStatus;

/// What the user and the database say besides the other tool's state.
struct AdoptionRequest {
  /// For the tools whose migrations are code with no file here (Alembic, Django): the migration
  /// that brings the schema to where that tool's state says; recorded with its ancestors.
  std::optional<std::size_t> up_to;
  /// `base`: none of this folder's migrations was applied by the other tool (its table belongs
  /// to another application sharing the database). Nothing is recorded.
  bool none = false;
  /// migrate's own state table exists already: migrate has been running this database (or it
  /// was adopted), so its own rows are the truth and the other tool's are history.
  bool state_table_exists = false;
  /// Flyway: per repeatable (RevisionGraph::repeatables), the checksums Flyway takes as its
  /// file's on this database (flyway_repeatable_checksums).
  std::vector<FlywayRepeatableChecksums> flyway_checksums;
};

/// Plans the adoption of a database another tool has been migrating: an `apply` step for every
/// migration here that the tool's state (`foreign`) says is applied and that has no row in
/// migrate's own table yet, in order, to be recorded without running (--fake) in one
/// transaction. Versions the tool applied that no file here has become notes, never silently
/// dropped. Flyway's repeatables are judged as Flyway judges them: one whose latest run there
/// recorded one of `request.flyway_checksums` is recorded too (after the versions), with the
/// checksum an upgrade would record; the others stay due, and a note says why. Pure: the graph,
/// the status and the state are read before.
///
/// Throws PlanRefused when the tool's state is dirty or failed; when an Alembic or Django state
/// is adopted without `up_to`; and when migrate's own table exists and the tool's state would
/// add rows to it (what migrate reverted since would come back as applied). UsageError for
/// `up_to` with a tool whose records match files here by themselves.
Plan plan_adoption(const RevisionGraph& graph, const DatabaseStatus& status,
                   const ForeignState& foreign, const AdoptionRequest& request);

}  // namespace migrate
