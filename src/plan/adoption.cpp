#include "plan/adoption.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "graph/revision_graph.hpp"
#include "plan/database_status.hpp"
#include "plan/planner.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace migrate {

namespace {

/// Messages name a few of what a table holds: a Django database has hundreds of rows.
constexpr std::size_t kShown = 5;

/// "dbmate's schema_migrations".
std::string source(const ForeignState& foreign) {
  return fmt::format("{}'s {}", foreign_tool_name(foreign.tool), foreign.table);
}

/// "a, b, c", or the first few and the count.
std::string some_of(const std::vector<std::string>& items) {
  return shortened_list(items.size(), kShown, [&](std::size_t i) { return items[i]; });
}

/// Per migration, why the tool's state says it is applied; empty for the others. Records that
/// match no migration go to `not_here`.
std::vector<std::string> matched_by_version(const RevisionGraph& graph, const ForeignState& foreign,
                                            std::vector<std::string>& not_here) {
  std::vector<std::string> why(graph.size());
  for (const std::string& version : foreign.applied) {
    std::optional<MigrationId> id = MigrationId::from_text(version);
    std::optional<std::size_t> m = id ? graph.find(*id) : std::nullopt;
    if (!m) {
      not_here.push_back(version);
      continue;
    }
    why[*m] = fmt::format("{} records version {}", source(foreign), version);
  }
  if (foreign.applied_up_to) {
    std::optional<MigrationId> up_to = MigrationId::from_text(*foreign.applied_up_to);
    // Flyway's baseline is a version, not a migration: it has no file anywhere.
    if (foreign.tool != ForeignTool::flyway && (!up_to || !graph.find(*up_to))) {
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
      why[m] =
          fmt::format("up to {}, named as where {} is", graph.at(up_to).stem(), source(foreign));
    }
  }
  return why;
}

/// Why each migration is recorded (empty: it is not), for the tool's kind of records.
std::vector<std::string> matched(const RevisionGraph& graph, const ForeignState& foreign,
                                 const AdoptionRequest& request,
                                 std::vector<std::string>& not_here) {
  const std::string_view tool = foreign_tool_name(foreign.tool);
  if (request.none) {
    return std::vector<std::string>(graph.size());
  }
  switch (foreign.match()) {
    case ForeignMatch::none:
      if (foreign.applied.empty()) {
        return std::vector<std::string>(graph.size());
      }
      if (!request.up_to) {
        throw PlanRefused(fmt::format(
            "{} says this database is at {}. {}'s migrations are code that has no file here: "
            "name the migration of this folder that brings the schema to the same point, and "
            "it is recorded with everything before it (`migrate adopt --from {} <revision>`); "
            "`migrate adopt --from {} base` if none of them is (another application's table on "
            "a shared database)",
            source(foreign), some_of(foreign.applied), tool, tool, tool));
      }
      return matched_up_to(graph, foreign, *request.up_to);
    case ForeignMatch::version:
    case ForeignMatch::name:
      if (request.up_to) {
        throw UsageError(fmt::format(
            "{} says which migrations it applied, and adopt matches them to the files here by "
            "itself: leave out the revision (--dry-run shows what it would record), or say "
            "`base` if none of them is this folder's",
            source(foreign)));
      }
      return foreign.match() == ForeignMatch::version ? matched_by_version(graph, foreign, not_here)
                                                      : matched_by_name(graph, foreign, not_here);
  }
  return std::vector<std::string>(graph.size());
}

/// What Flyway records as a repeatable file's description (`R__my_views.sql`: "my views"), cut
/// as Flyway cuts it to fit its column (AbbreviationUtils: the first 197 characters and "...").
std::string flyway_description(const Migration& repeatable) {
  std::string description = repeatable.slug;
  std::replace(description.begin(), description.end(), '_', ' ');
  constexpr std::size_t kColumn = 200;
  if (description.size() > kColumn) {
    description = description.substr(0, kColumn - 3) + "...";
  }
  return description;
}

/// Flyway's repeatables, judged as Flyway judges them (MigrationInfoServiceImpl): up to date when
/// the latest row of its description there is a run that recorded one of the checksums Flyway
/// takes as the file's. Those get an apply step (recorded, not run); the others stay due, and a
/// note says why; a row of a repeatable with no file here is named in a note.
void adopt_flyway_repeatables(const RevisionGraph& graph, const ForeignState& foreign,
                              const AdoptionRequest& request, Plan& plan) {
  const std::vector<Migration>& files = graph.repeatables();
  if (request.flyway_checksums.size() != files.size()) {
    throw InternalError(fmt::format("adopting Flyway's repeatables: {} checksums for {} files",
                                    request.flyway_checksums.size(), files.size()));
  }
  std::vector<bool> has_file(foreign.repeatables.size());
  std::vector<std::string> due;
  for (std::size_t i = 0; i < files.size(); ++i) {
    const Migration& file = files[i];
    std::string description = flyway_description(file);
    auto ran = std::find_if(
        foreign.repeatables.begin(), foreign.repeatables.end(),
        [&](const ForeignRepeatable& repeatable) { return repeatable.description == description; });
    std::string why;
    if (ran == foreign.repeatables.end()) {
      why = "Flyway never ran it";
    } else {
      has_file[static_cast<std::size_t>(ran - foreign.repeatables.begin())] = true;
      const FlywayRepeatableChecksums& here = request.flyway_checksums[i];
      if (ran->deleted) {
        why = "`flyway repair` removed its row";
      } else if (!ran->checksum) {
        why = fmt::format("its latest row ({}) has no checksum", ran->script);
      } else if (here.matches(*ran->checksum)) {
        plan.steps.push_back(make_step(PlanStep::Kind::apply, file, file.up,
                                       fmt::format("{} ran it last with this text (checksum {})",
                                                   source(foreign), *ran->checksum)));
        continue;
      } else {
        why = fmt::format("changed since Flyway last ran it: checksum {} there, {} here",
                          *ran->checksum, here.replaced);
      }
    }
    due.push_back(fmt::format("{} ({})", file.stem(), why));
  }
  if (!due.empty()) {
    plan.notes.push_back(fmt::format(
        "{} repeatable {} not recorded: the next `migrate upgrade` runs {}, as Flyway's next "
        "migrate would: {}",
        due.size(), due.size() == 1 ? "migration" : "migrations", due.size() == 1 ? "it" : "them",
        fmt::join(due, "; ")));
  }
  std::vector<std::string> gone;
  for (std::size_t r = 0; r < foreign.repeatables.size(); ++r) {
    if (!has_file[r] && !foreign.repeatables[r].deleted) {
      gone.push_back(foreign.repeatables[r].script);
    }
  }
  if (!gone.empty()) {
    plan.notes.push_back(fmt::format(
        "{} records {} repeatable {} that no file here has: {}. Not recorded here; what {} "
        "created stays",
        source(foreign), gone.size(), gone.size() == 1 ? "migration" : "migrations", some_of(gone),
        gone.size() == 1 ? "it" : "they"));
  }
}

}  // namespace

Plan plan_adoption(const RevisionGraph& graph, const DatabaseStatus& status,
                   const ForeignState& foreign, const AdoptionRequest& request) {
  if (!foreign.blocked.empty()) {
    throw PlanRefused(foreign.blocked + ". Nothing was recorded");
  }
  std::vector<std::string> not_here;
  std::vector<std::string> why = matched(graph, foreign, request, not_here);
  Plan plan;
  for (std::size_t m = 0; m < graph.size(); ++m) {
    if (!why[m].empty() && !status.row_of[m]) {
      plan.steps.push_back(make_step(PlanStep::Kind::apply, graph.at(m), graph.at(m).up, why[m]));
    }
  }
  if (request.state_table_exists && !plan.empty()) {
    throw PlanRefused(fmt::format(
        "migrate's own state table is in this database already, so migrate has been running it "
        "(or it was adopted before), and its rows are what is applied here; {} would add {} "
        "({}), which may have been reverted since. Nothing was recorded. If they are applied, "
        "record them with `migrate upgrade --fake <revision>`",
        source(foreign), plan.steps.size() == 1 ? "one" : std::to_string(plan.steps.size()),
        shortened_list(plan.steps.size(), kShown,
                       [&](std::size_t i) { return plan.steps[i].stem; })));
  }
  if (!not_here.empty()) {
    plan.notes.push_back(fmt::format(
        "{} records {} {} that no migration here has: {}. Not recorded here: if {} renamed or "
        "squashed, record the migrations that do {} work with `migrate upgrade --fake "
        "<revision>`",
        source(foreign), not_here.size(), not_here.size() == 1 ? "migration" : "migrations",
        some_of(not_here), not_here.size() == 1 ? "its file was" : "their files were",
        not_here.size() == 1 ? "its" : "their"));
  }
  if (foreign.tool == ForeignTool::flyway && !request.none && !request.state_table_exists) {
    adopt_flyway_repeatables(graph, foreign, request, plan);
  }
  return plan;
}

}  // namespace migrate
