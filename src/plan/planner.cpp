#include "plan/planner.hpp"

#include <algorithm>
#include <queue>

#include <fmt/format.h>

#include "graph/revision_graph.hpp"
#include "migration/migration_parser.hpp"
#include "plan/database_status.hpp"
#include "util/error.hpp"

namespace migrate {

namespace {

PlanStep step_for(PlanStep::Kind kind, const Migration& migration, const Section& section,
                  std::string reason) {
  PlanStep step;
  step.kind = kind;
  step.id = migration.id;
  step.stem = migration.stem();
  step.title = migration.title();
  step.migration = &migration;
  step.section = section;
  step.reason = std::move(reason);
  return step;
}

/// The renames in an order where no row is re-keyed onto an id that another row still holds:
/// renumbering shifts ids up, so a row moves only once the row above it has moved on.
std::vector<DatabaseStatus::Rename> rekey_order(const RevisionGraph& graph,
                                                const DatabaseStatus& status) {
  std::vector<DatabaseStatus::Rename> waiting = status.renamed;
  std::vector<DatabaseStatus::Rename> ordered;
  while (!waiting.empty()) {
    auto free = std::find_if(waiting.begin(), waiting.end(), [&](const auto& rename) {
      const MigrationId& target = graph.at(rename.migration).id;
      return std::none_of(waiting.begin(), waiting.end(),
                          [&](const auto& other) { return status.rows[other.row].id == target; });
    });
    if (free == waiting.end()) {
      free = waiting.begin();  // a cycle of ids (renumbering never makes one)
    }
    ordered.push_back(*free);
    waiting.erase(free);
  }
  return ordered;
}

/// Refuses a rename onto an id that a row keeps (an orphan, or an applied migration): the
/// re-key would collide, and the rows would no longer say what ran.
void refuse_taken_ids(const RevisionGraph& graph, const DatabaseStatus& status) {
  for (const DatabaseStatus::Rename& rename : status.renamed) {
    const Migration& m = graph.at(rename.migration);
    for (std::size_t r = 0; r < status.rows.size(); ++r) {
      bool moves = std::any_of(status.renamed.begin(), status.renamed.end(),
                               [&](const auto& other) { return other.row == r; });
      if (!moves && status.rows[r].id == m.id) {
        throw GraphError(fmt::format(
            "{} was renumbered from {} (same checksum), but this database has another row "
            "under {} ({}). Revert that one first (`migrate downgrade` lists orphans it can "
            "revert), then upgrade",
            m.stem(), status.rows[rename.row].id, m.id, status.rows[r].title));
      }
    }
  }
}

void add_rekeys(const RevisionGraph& graph, const DatabaseStatus& status, Plan& plan) {
  for (const DatabaseStatus::Rename& rename : rekey_order(graph, status)) {
    const Migration& m = graph.at(rename.migration);
    PlanStep step = step_for(PlanStep::Kind::rekey, m, m.up, "");
    step.old_id = status.rows[rename.row].id;
    step.reason = fmt::format(
        "renumbered from {} (same checksum): the row is re-keyed, nothing runs", step.old_id);
    plan.steps.push_back(std::move(step));
  }
}

void refuse_changed(const RevisionGraph& graph, const DatabaseStatus& status) {
  if (status.changed.empty()) {
    return;
  }
  std::vector<std::string> lines;
  for (std::size_t m : status.changed) {
    const Migration& migration = graph.at(m);
    lines.push_back(fmt::format("{}: applied with {}, the file now has {}", migration.file.string(),
                                status.rows[*status.row_of[m]].checksum, migration.checksum));
  }
  throw CheckFailed(fmt::format(
      "{} applied migration{} changed since {} applied:\n  {}\nEditing an applied migration does "
      "not change the database. Undo the edit and write a new migration for the change; if the "
      "edit changes nothing (a comment, formatting), run again with --allow-changed",
      lines.size(), lines.size() == 1 ? " was" : "s were",
      lines.size() == 1 ? "it was" : "they were", fmt::join(lines, "\n  ")));
}

/// The newest id among the applied rows, if any; a renamed row counts with its new id (the
/// one it is re-keyed to before anything runs).
std::optional<MigrationId> newest_applied(const RevisionGraph& graph,
                                          const DatabaseStatus& status) {
  std::vector<const MigrationId*> ids(status.rows.size());
  for (std::size_t r = 0; r < status.rows.size(); ++r) {
    ids[r] = &status.rows[r].id;
  }
  for (const DatabaseStatus::Rename& rename : status.renamed) {
    ids[rename.row] = &graph.at(rename.migration).id;
  }
  std::optional<MigrationId> newest;
  for (const MigrationId* id : ids) {
    if (!newest || *newest < *id) {
      newest = *id;
    }
  }
  return newest;
}

/// A migration that has a row (applied or partial) or an orphan row, to be ordered for reverting.
struct Applied {
  std::size_t row;
  std::optional<std::size_t> migration;
};

/// Applied rows in the order to revert them: latest applied first, but never a migration before
/// one of its applied children. A priority-queue topological sort on the reversed graph.
std::vector<Applied> revert_order(const RevisionGraph& graph, const DatabaseStatus& status) {
  auto later = [&](const Applied& a, const Applied& b) {  // true when a should come after b
    const AppliedMigration& x = status.rows[a.row];
    const AppliedMigration& y = status.rows[b.row];
    if (x.applied_at != y.applied_at) {
      return x.applied_at < y.applied_at;
    }
    return x.id < y.id;
  };
  std::priority_queue<Applied, std::vector<Applied>, decltype(later)> ready(later);
  std::vector<int> applied_children(graph.size(), 0);
  for (std::size_t m = 0; m < graph.size(); ++m) {
    if (!status.row_of[m]) {
      continue;
    }
    for (std::size_t parent : graph.parents(m)) {
      ++applied_children[parent];
    }
  }
  for (std::size_t m = 0; m < graph.size(); ++m) {
    if (status.row_of[m] && applied_children[m] == 0) {
      ready.push({*status.row_of[m], m});
    }
  }
  for (std::size_t row : status.orphans) {
    ready.push({row, std::nullopt});
  }
  std::vector<Applied> order;
  while (!ready.empty()) {
    Applied next = ready.top();
    ready.pop();
    order.push_back(next);
    if (!next.migration) {
      continue;
    }
    for (std::size_t parent : graph.parents(*next.migration)) {
      if (status.row_of[parent] && --applied_children[parent] == 0) {
        ready.push({*status.row_of[parent], parent});
      }
    }
  }
  return order;
}

PlanStep revert_step(const RevisionGraph& graph, const DatabaseStatus& status, const Applied& a,
                     std::vector<std::string>& irreversible) {
  if (a.migration) {
    const Migration& m = graph.at(*a.migration);
    if (!m.reversible()) {
      irreversible.push_back(fmt::format("{} has no down section", m.file.string()));
      return {};
    }
    Section down = m.down ? *m.down : Section{};  // a merge migration has nothing to undo
    if (down.file.empty()) {  // a golang-migrate pair's down section has a file of its own
      down.file = m.file;
    }
    return step_for(PlanStep::Kind::revert, m, down, "applied, and not an ancestor of the target");
  }
  const AppliedMigration& row = status.rows[a.row];
  PlanStep step;
  step.kind = PlanStep::Kind::revert;
  step.id = row.id;
  step.stem = row.id.text();
  step.title = row.title;
  step.section =
      parse_stored_section(row.down_sql, fmt::format("(down SQL stored for {})", row.id));
  step.reason =
      "orphan: applied here, but its file is not in this folder; reverted from the down "
      "SQL stored when it was applied";
  if (step.section.blank()) {
    irreversible.push_back(
        fmt::format("orphan {} ({}) was applied without a down section", row.id, row.title));
  }
  return step;
}

/// Whether the upgrade runs originals of a squash anyway: some already ran here, or the target
/// needs one on its own. migrate-squash re-points the range's children to the squash, so only
/// a `replaces:` written by hand, with something still depending on an original (or the
/// squash placed after its range), gets the second case. Running the squash as well would
/// then run the range twice.
bool range_runs_anyway(const RevisionGraph& graph, const DatabaseStatus& status,
                       const std::vector<bool>& wanted, std::size_t squash) {
  const std::vector<std::size_t>& originals = graph.replaces(squash);
  return status.ran_part_of(graph, squash) ||
         std::any_of(originals.begin(), originals.end(),
                     [&](std::size_t original) { return wanted[original]; });
}

/// The step that records a squash whose originals are all applied: its row goes in, theirs go.
PlanStep record_step(const RevisionGraph& graph, std::size_t squash) {
  PlanStep record = step_for(PlanStep::Kind::record, graph.at(squash), graph.at(squash).up,
                             "everything it replaces is applied here: its row is recorded "
                             "and theirs dropped; nothing runs");
  for (std::size_t original : graph.replaces(squash)) {
    record.replaced.push_back(graph.at(original).id);
  }
  return record;
}

/// The step for a migration without a complete row: resume it when it stopped part-way, else
/// apply it.
PlanStep pending_step(const RevisionGraph& graph, const DatabaseStatus& status, std::size_t m,
                      Plan& plan, const std::string& reason) {
  const Migration& migration = graph.at(m);
  if (!status.row_of[m]) {
    return step_for(PlanStep::Kind::apply, migration, migration.up, reason);
  }
  const AppliedMigration& row = status.rows[*status.row_of[m]];
  PlanStep step =
      step_for(PlanStep::Kind::resume, migration, migration.up,
               fmt::format("stopped after statement {} of {}: resumes at {}",
                           row.statements_done.value_or(0), row.statements_total.value_or(0),
                           row.statements_done.value_or(0) + 1));
  step.resume_from = row.statements_done.value_or(0);
  if (row.checksum != migration.checksum) {
    plan.notes.push_back(fmt::format(
        "{} changed since it stopped part-way; its first {} statements are not run again",
        migration.stem(), step.resume_from));
  }
  return step;
}

/// A database that ran a squash has no rows for what it replaces: a target inside that range
/// cannot be reached by reverting, only the points before and after it.
void refuse_squashed_target(const RevisionGraph& graph, const DatabaseStatus& status,
                            const std::vector<bool>& keep, const RevisionSpec& target) {
  for (std::size_t m = 0; m < graph.size(); ++m) {
    std::optional<std::size_t> squash = graph.replaced_by(m);
    if (!keep[m] || !squash || keep[*squash] || !status.applied(*squash)) {
      continue;
    }
    std::vector<std::string> before;
    for (std::size_t parent : graph.parents(*squash)) {
      before.push_back(graph.at(parent).stem());
    }
    throw GraphError(fmt::format(
        "cannot downgrade to '{}': {} lies inside the range that {} squashes, and this database "
        "applied the squash, not the migrations it replaces. Downgrade to {} (before the "
        "range), or stay at {}",
        target.text, graph.at(m).stem(), graph.at(*squash).stem(),
        before.empty() ? std::string("base") : fmt::format("{}", fmt::join(before, " and ")),
        graph.at(*squash).stem()));
  }
}

}  // namespace

Plan plan_upgrade(const RevisionGraph& graph, const DatabaseStatus& status,
                  const UpgradeRequest& request) {
  if (!request.allow_changed) {
    refuse_changed(graph, status);
  }
  // What should be applied afterwards, as membership.
  std::vector<bool> wanted;
  std::size_t limit = graph.size();
  if (request.target.kind == RevisionSpec::Kind::relative) {
    if (request.target.steps < 0) {
      throw UsageError(fmt::format("upgrade to '{}' would go back: use migrate-downgrade {}",
                                   request.target.text, request.target.text));
    }
    std::vector<std::size_t> heads = graph.heads();
    wanted = graph.closure(heads);
    limit = static_cast<std::size_t>(request.target.steps);
  } else {
    std::vector<std::size_t> heads = resolve_revision(graph, request.target);
    wanted = graph.closure(heads);
  }

  refuse_taken_ids(graph, status);
  Plan plan;
  add_rekeys(graph, status, plan);
  std::optional<MigrationId> newest = newest_applied(graph, status);
  std::vector<std::string> refused;
  // A squash whose range runs anyway (part of it ran here, or the target needs an original on
  // its own) is recorded, not run: its remaining originals join the plan in graph order, and
  // its record follows the last of them.
  std::vector<bool> recording(graph.size(), false);
  std::vector<std::optional<std::size_t>> recorded_by(graph.size());
  for (std::size_t s = 0; s < graph.size(); ++s) {
    if (graph.replaces(s).empty() || !wanted[s] || status.applied(s) ||
        !range_runs_anyway(graph, status, wanted, s)) {
      continue;
    }
    recording[s] = true;
    for (std::size_t original : graph.replaces(s)) {
      if (!status.applied(original)) {
        wanted[original] = true;
        recorded_by[original] = s;
      }
    }
  }
  std::vector<bool> planned(graph.size(), false);
  std::vector<std::size_t> waiting;  // squashes to record once their originals are planned
  auto record_ready = [&] {
    for (auto it = waiting.begin(); it != waiting.end();) {
      const std::vector<std::size_t>& originals = graph.replaces(*it);
      if (std::all_of(originals.begin(), originals.end(), [&](std::size_t original) {
            return status.applied(original) || planned[original];
          })) {
        plan.steps.push_back(record_step(graph, *it));
        planned[*it] = true;
        it = waiting.erase(it);
      } else {
        ++it;
      }
    }
  };
  std::size_t taken = 0;
  for (std::size_t m = 0; m < graph.size() && taken < limit; ++m) {
    if (!wanted[m] || status.applied(m) || planned[m]) {
      continue;
    }
    if (std::optional<std::size_t> squash = graph.replaced_by(m);
        squash && status.applied(*squash)) {
      continue;  // the squash that replaces it did its work here
    }
    ++taken;
    const Migration& migration = graph.at(m);
    if (recording[m]) {
      waiting.push_back(m);
      record_ready();
      continue;
    }
    std::string reason = "pending";
    if (recorded_by[m]) {
      reason =
          fmt::format("replaced by {}, whose range is partly applied here: the rest runs first",
                      graph.at(*recorded_by[m]).stem());
    } else if (newest && migration.id < *newest && !status.row_of[m]) {
      reason = fmt::format("pending, older than {}, the newest applied: out of order", *newest);
      refused.push_back(migration.file.string());
      plan.notes.push_back(fmt::format(
          "{} is older than {}, the newest applied migration: applying it out of order (it "
          "probably arrived through a merge)",
          migration.stem(), *newest));
    }
    plan.steps.push_back(pending_step(graph, status, m, plan, reason));
    planned[m] = true;
    record_ready();
  }
  if (request.strict && !refused.empty()) {
    throw CheckFailed(fmt::format(
        "--strict: {} pending migration{} older than {}, the newest applied one: {}. Renumber "
        "them (migrate-renumber) or run without --strict to apply them out of order",
        refused.size(), refused.size() == 1 ? " is" : "s are", *newest, fmt::join(refused, ", ")));
  }
  return plan;
}

Plan plan_downgrade(const RevisionGraph& graph, const DatabaseStatus& status,
                    const RevisionSpec& target) {
  std::vector<Applied> order = revert_order(graph, status);
  std::vector<Applied> reverting;
  if (target.kind == RevisionSpec::Kind::relative) {
    if (target.steps > 0) {
      throw UsageError(fmt::format("downgrade to '{}' would go forward: use migrate-upgrade {}",
                                   target.text, target.text));
    }
    std::size_t count = std::min(order.size(), static_cast<std::size_t>(-target.steps));
    reverting.assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(count));
  } else {
    std::vector<std::size_t> heads = resolve_revision(graph, target);
    std::vector<bool> keep = graph.closure(heads);
    refuse_squashed_target(graph, status, keep, target);
    for (const Applied& a : order) {
      if (!a.migration || !keep[*a.migration]) {
        reverting.push_back(a);
      }
    }
  }
  Plan plan;
  add_rekeys(graph, status, plan);
  std::vector<std::string> irreversible;
  for (const Applied& a : reverting) {
    plan.steps.push_back(revert_step(graph, status, a, irreversible));
  }
  if (!irreversible.empty()) {
    throw Error(ExitCode::bad_input,
                fmt::format("cannot downgrade to '{}': it would revert irreversible migrations:\n  "
                            "{}\nNothing was reverted. Write the missing down section, or choose "
                            "a target after them",
                            target.text, fmt::join(irreversible, "\n  ")));
  }
  return plan;
}

}  // namespace migrate
