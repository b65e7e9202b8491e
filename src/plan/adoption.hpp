#pragma once

#include <cstddef>
#include <optional>

#include "plan/plan.hpp"
#include "state/foreign_state.hpp"

namespace migrate {

class RevisionGraph;
struct DatabaseStatus;

/// Plans the adoption of a database another tool has been migrating: an `apply` step for every
/// migration here that the tool's state (`foreign`) says is applied and that has no row in
/// migrate's own table yet, in order, to be recorded without running (--fake) in one
/// transaction. Versions the tool applied that no file here has become notes, never silently
/// dropped. Pure: the graph, the status and the state are read before.
///
/// `up_to` serves the tools whose migrations are code with no file here (Alembic, Django): the
/// migration that brings the schema to where that tool's state says, recorded with its
/// ancestors. Throws PlanRefused when the tool's state is dirty or failed, or when such a tool's
/// state is adopted without `up_to`; UsageError for `up_to` with a tool whose records match
/// files here by themselves.
Plan plan_adoption(const RevisionGraph& graph, const DatabaseStatus& status,
                   const ForeignState& foreign, std::optional<std::size_t> up_to);

}  // namespace migrate
