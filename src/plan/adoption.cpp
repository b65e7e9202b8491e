#include "plan/adoption.hpp"

#include <fmt/format.h>

#include "graph/revision_graph.hpp"
#include "plan/database_status.hpp"
#include "plan/planner.hpp"
#include "util/error.hpp"

namespace migrate {

namespace {

/// "dbmate's schema_migrations".
std::string source(const ForeignState& foreign) {
  return fmt::format("{}'s {}", foreign_tool_name(foreign.tool), foreign.table);
}

/// Per migration, why the tool's state says it is applied; empty for the others. Records that
/// match no migration go to `not_here`.
std::vector<std::string> matched_by_version(const RevisionGraph& graph, const ForeignState& foreign,
                                            std::vector<std::string>& not_here) {
  std::vector<std::string> why(graph.size());
  for (const std::string& version : foreign.applied) {
    std::optional<MigrationId> id = MigrationId::from_digits(version);
    std::optional<std::size_t> m = id ? graph.find(*id) : std::nullopt;
    if (!m) {
      not_here.push_back(version);
      continue;
    }
    why[*m] = fmt::format("{} records version {}", source(foreign), version);
  }
  if (foreign.applied_up_to) {
    std::optional<MigrationId> up_to = MigrationId::from_digits(*foreign.applied_up_to);
    if (!up_to || !graph.find(*up_to)) {
      not_here.push_back(*foreign.applied_up_to);
    }
    for (std::size_t m = 0; up_to && m < graph.size(); ++m) {
      if (why[m].empty() && graph.at(m).id <= *up_to) {
        why[m] = fmt::format("{} is at version {}", source(foreign), *foreign.applied_up_to);
      }
    }
  }
  return why;
}

std::vector<std::string> matched_by_name(const RevisionGraph& graph, const ForeignState& foreign,
                                         std::vector<std::string>& not_here) {
  std::vector<std::string> why(graph.size());
  for (const std::string& name : foreign.applied) {
    bool found = false;
    for (std::size_t m = 0; m < graph.size(); ++m) {
      if (graph.at(m).slug == name) {
        why[m] = fmt::format("{} records the change {}", source(foreign), name);
        found = true;
      }
    }
    if (!found) {
      not_here.push_back(name);
    }
  }
  return why;
}

std::vector<std::string> matched_up_to(const RevisionGraph& graph, const ForeignState& foreign,
                                       std::size_t up_to) {
  std::vector<std::string> why(graph.size());
  std::vector<bool> ancestors = graph.closure(std::span(&up_to, 1));
  for (std::size_t m = 0; m < graph.size(); ++m) {
    if (ancestors[m]) {
      why[m] = fmt::format("up to {}, named as where {} is ({})", graph.at(up_to).stem(),
                           source(foreign), fmt::join(foreign.applied, ", "));
    }
  }
  return why;
}

}  // namespace

Plan plan_adoption(const RevisionGraph& graph, const DatabaseStatus& status,
                   const ForeignState& foreign, std::optional<std::size_t> up_to) {
  if (!foreign.blocked.empty()) {
    throw PlanRefused(foreign.blocked + ". Nothing was recorded");
  }
  const std::string_view tool = foreign_tool_name(foreign.tool);
  std::vector<std::string> not_here;
  std::vector<std::string> why;
  switch (foreign.match()) {
    case ForeignMatch::none:
      if (foreign.applied.empty()) {
        if (up_to) {
          throw PlanRefused(
              fmt::format("{} records nothing applied, so there is nothing to adopt up to {}",
                          source(foreign), graph.at(*up_to).stem()));
        }
        break;
      }
      if (!up_to) {
        throw PlanRefused(fmt::format(
            "{} says this database is at {}. {}'s migrations are code that has no file here: "
            "name the migration of this folder that brings the schema to the same point, and "
            "it is recorded with everything before it (`migrate adopt --from {} <revision>`)",
            source(foreign), fmt::join(foreign.applied, ", "), tool, tool));
      }
      why = matched_up_to(graph, foreign, *up_to);
      break;
    case ForeignMatch::version:
    case ForeignMatch::name:
      if (up_to) {
        throw UsageError(fmt::format(
            "{} says which migrations it applied, and adopt matches them to the files here by "
            "itself: leave out the revision (--dry-run shows what it would record)",
            source(foreign)));
      }
      why = foreign.match() == ForeignMatch::version ? matched_by_version(graph, foreign, not_here)
                                                     : matched_by_name(graph, foreign, not_here);
      break;
  }
  Plan plan;
  for (std::size_t m = 0; m < graph.size(); ++m) {
    if (!why[m].empty() && !status.row_of[m]) {
      plan.steps.push_back(make_step(PlanStep::Kind::apply, graph.at(m), graph.at(m).up, why[m]));
    }
  }
  if (!not_here.empty()) {
    plan.notes.push_back(fmt::format(
        "{} records {} {} that no migration here has: {}. Not recorded here: if {} renamed or "
        "squashed, record the migrations that do {} work with `migrate upgrade --fake "
        "<revision>`",
        source(foreign), not_here.size(), not_here.size() == 1 ? "migration" : "migrations",
        fmt::join(not_here, ", "), not_here.size() == 1 ? "its file was" : "their files were",
        not_here.size() == 1 ? "its" : "their"));
  }
  plan.notes.insert(plan.notes.end(), foreign.notes.begin(), foreign.notes.end());
  return plan;
}

}  // namespace migrate
