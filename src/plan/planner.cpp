#include "plan/planner.hpp"

#include <algorithm>
#include <queue>

#include <fmt/format.h>

#include "graph/empty_migrations.hpp"
#include "graph/revision_graph.hpp"
#include "migration/checksum.hpp"
#include "migration/migration_parser.hpp"
#include "plan/database_status.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace migrate {

namespace {

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
    PlanStep step = make_step(PlanStep::Kind::rekey, m, m.up, "");
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
  bool other_migration = false;
  for (std::size_t m : status.changed) {
    const Migration& migration = graph.at(m);
    std::string line =
        fmt::format("{}: applied with {}, the file now has {}", migration.file.string(),
                    status.rows[*status.row_of[m]].checksum, migration.checksum);
    if (std::optional<std::string> title = applied_title_if_other(graph, status, m)) {
      other_migration = true;
      line += fmt::format(
          "\n    It was applied as \"{}\", the file is \"{}\": perhaps another branch's migration "
          "with the same id, not an edit",
          *title, migration.title());
    }
    lines.push_back(std::move(line));
  }
  std::string advice =
      other_migration
          ? "Two migrations with one id (two branches that each created one in the same minute): "
            "give one of them a new id with `migrate renumber` (databases that applied it are "
            "re-keyed by checksum). Do not use --allow-changed for them: the file's migration "
            "would then never run here"
          : fmt::format(
                "Editing an applied migration does not change the database. If it is shared, "
                "undo the edit and write a new migration for the change. On a development "
                "database, `migrate redo {}` reverts it with the down SQL stored when it was "
                "applied and applies the file as it is now. If the edit changes nothing (a "
                "comment, formatting), run again with --allow-changed",
                graph.at(status.changed.front()).id);
  throw CheckFailed(fmt::format("{} applied migration{} changed since {} applied:\n  {}\n{}",
                                lines.size(), lines.size() == 1 ? " was" : "s were",
                                lines.size() == 1 ? "it was" : "they were",
                                fmt::join(lines, "\n  "), advice));
}

/// A row's id as the upgrade will see it (a renamed row counts with its new id, the one it is
/// re-keyed to before anything runs), and its migration here, if it has one.
struct AppliedId {
  MigrationId id;
  std::optional<std::size_t> migration;
};

std::vector<AppliedId> applied_ids(const RevisionGraph& graph, const DatabaseStatus& status) {
  std::vector<AppliedId> ids(status.rows.size());
  for (std::size_t r = 0; r < status.rows.size(); ++r) {
    ids[r].id = status.rows[r].id;
  }
  for (std::size_t m = 0; m < graph.size(); ++m) {
    if (status.row_of[m]) {
      ids[*status.row_of[m]] = {graph.at(m).version(), m};
    }
  }
  for (std::size_t r = status.rows.size(); r-- > 0;) {  // no place in the order: no version
    if (is_repeatable_row(graph, status.rows[r])) {
      ids.erase(ids.begin() + static_cast<std::ptrdiff_t>(r));
    }
  }
  return ids;
}

/// Why a pending migration is applied out of order: the newest migration applied here that has
/// a newer id and does not come before it in the graph (so it arrived through a merge). A
/// squash placed before older children, or anything that is its ancestor, does not count.
std::optional<MigrationId> applied_out_of_order(const RevisionGraph& graph,
                                                const std::vector<AppliedId>& applied,
                                                std::size_t m) {
  const MigrationId& id = graph.at(m).id;
  std::optional<std::vector<bool>> before;  // m's ancestors, found only when needed
  std::optional<MigrationId> newest;
  for (const AppliedId& row : applied) {
    if (!(id < row.id) || (newest && !(*newest < row.id))) {
      continue;
    }
    if (row.migration) {
      if (!before) {
        before = graph.closure(std::vector<std::size_t>{m});
      }
      if ((*before)[*row.migration]) {
        continue;
      }
    }
    newest = row.id;
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

/// The migrations a downgrade would revert but cannot, and why.
struct Irreversible {
  std::vector<std::string> reasons;
  /// One of them has an empty down section in our format, where dbmate's reverts nothing: a
  /// dbmate folder read as ours gets that refusal, so the message says how to read it as dbmate's.
  bool empty_down = false;
};

/// The down SQL stored in a row when it was applied, as a section; nullopt when none was.
std::optional<Section> stored_down(const AppliedMigration& row) {
  if (is_blank_sql(row.down_sql)) {
    return std::nullopt;
  }
  return parse_stored_section(row.down_sql, fmt::format("(down SQL stored for {})", row.id));
}

bool same_section(const Section& a, const Section& b) {
  return a.options == b.options && section_checksum(a.sql) == section_checksum(b.sql);
}

/// Reverts an applied migration that has its file. The file's down section runs, unless the up
/// section was edited after it ran: then the down SQL stored at apply time matches what ran, and
/// the file's is written for SQL that never ran here. Either way, when the two differ a note
/// says which one runs and why.
PlanStep revert_file_step(const Migration& m, const AppliedMigration& row, Plan& plan,
                          Irreversible& irreversible) {
  std::optional<Section> stored = stored_down(row);
  bool up_edited = row.checksum != m.checksum;
  bool differs = stored && (!m.down || !same_section(*stored, *m.down));
  if (differs && up_edited) {
    plan.notes.push_back(fmt::format(
        "{}: its up section was edited after it was applied here, so it is reverted with the "
        "down SQL stored when it was applied (that undoes what ran; the file's down section "
        "differs)",
        m.stem()));
    return make_step(PlanStep::Kind::revert, m, *stored,
                     "applied, and not an ancestor of the target; its up section was edited "
                     "since: reverted with the down SQL stored when it was applied");
  }
  if (!m.reversible()) {
    irreversible.reasons.push_back(
        fmt::format("{} has {} down section", m.file.string(), m.down ? "an empty" : "no"));
    irreversible.empty_down = irreversible.empty_down || m.empty_down_irreversible();
    Section none;
    none.file = m.file;
    return make_step(PlanStep::Kind::revert, m, none,
                     "applied, and not an ancestor of the "
                     "target; it has no down section (only --fake reverts it: its row goes)");
  }
  if (differs) {
    plan.notes.push_back(fmt::format(
        "{}: the down section in {} differs from the one stored when it was applied; running "
        "the file's, since the up section it undoes is unchanged",
        m.stem(), (m.down ? m.down->file : m.file).string()));
  } else if (!stored && m.down && !m.down->blank()) {
    plan.notes.push_back(fmt::format(
        "{}: no down SQL was stored when it was applied (it had none then); running the down "
        "section {} has now{}",
        m.stem(), m.down->file.string(),
        up_edited ? ", although its up section was edited since: check that it undoes what ran"
                  : ""));
  }
  Section down = m.down ? *m.down : Section{};  // a merge migration has nothing to undo
  if (!m.down) {
    down.file = m.file;
  }
  return make_step(PlanStep::Kind::revert, m, down, "applied, and not an ancestor of the target");
}

PlanStep revert_step(const RevisionGraph& graph, const DatabaseStatus& status, const Applied& a,
                     Plan& plan, Irreversible& irreversible) {
  if (a.migration) {
    PlanStep step =
        revert_file_step(graph.at(*a.migration), status.rows[a.row], plan, irreversible);
    if (status.rows[a.row].id == step.id) {  // not a renamed row, which is re-keyed first
      step.id = status.rows[a.row].id;       // as the row has it: "01" or "1.0" is the file's 1 too
    }
    return step;
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
    irreversible.reasons.push_back(
        fmt::format("orphan {} ({}) was applied without a down section, and its file is not here",
                    row.id, row.title));
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
  PlanStep record = make_step(PlanStep::Kind::record, graph.at(squash), graph.at(squash).up,
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
    return make_step(PlanStep::Kind::apply, migration, migration.up, reason);
  }
  const AppliedMigration& row = status.rows[*status.row_of[m]];
  PlanStep step =
      make_step(PlanStep::Kind::resume, migration, migration.up,
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

/// `+0` and `-0` name the state the database is in: no target at all.
void refuse_no_steps(std::string_view verb, const RevisionSpec& target) {
  if (target.steps == 0) {
    throw UsageError(
        fmt::format("{} {}: that is where the database is already: give a number "
                    "of steps (+1, -1, …) or a revision",
                    verb, target.text));
  }
}

/// "downgrade -5: only 4 migrations are applied here: use -4, or base".
std::string past_the_end(std::string_view verb, const RevisionSpec& target, std::size_t there,
                         std::string_view what, std::string_view end) {
  if (there == 0) {
    return fmt::format("{} {}: no migration is {} here, so there is nothing to {}", verb,
                       target.text, what, verb);
  }
  return fmt::format("{} {}: only {} migration{} {} {} here: use {}{}, or {}", verb, target.text,
                     there, there == 1 ? "" : "s", there == 1 ? "is" : "are", what,
                     target.steps < 0 ? "-" : "+", there, end);
}

/// An up section without a statement would report "ok" and change nothing: usually an
/// untouched template. Refused, unless the migration joins branches (a merge changes nothing by
/// design) or replaces others.
void refuse_empty(const RevisionGraph& graph, const Plan& plan) {
  std::vector<std::size_t> applying;
  std::vector<const PlanStep*> step_of(graph.size(), nullptr);  // by migration
  for (const PlanStep& step : plan.steps) {
    if (step.kind == PlanStep::Kind::apply && !step.migration->repeatable) {
      std::size_t m = *graph.find(step.id);
      applying.push_back(m);
      step_of[m] = &step;
    }
  }
  std::vector<const PlanStep*> empty;
  for (std::size_t m : empty_migrations(graph, applying)) {
    empty.push_back(step_of[m]);
  }
  if (empty.empty()) {
    return;
  }
  const Migration* first = empty.front()->migration;
  std::string advice = fmt::format(
      "Write the up section ({}), or pass --allow-empty to record it as applied without "
      "running anything",
      up_section_place(first != nullptr ? first->format : MigrationFormat::migrate));
  if (empty.size() == 1) {
    const Section& up = empty.front()->section;
    throw ParseError(up.file, up.first_line,
                     fmt::format("nothing to apply: the up section of {} has no statement. {}",
                                 empty.front()->stem, advice));
  }
  std::vector<std::string> files;
  for (const PlanStep* step : empty) {
    files.push_back(fmt::format("{}:{}", step->section.file.string(), step->section.first_line));
  }
  throw InvalidFiles(fmt::format("nothing to apply: {} up sections have no statement:\n  {}\n{}",
                                 empty.size(), fmt::join(files, "\n  "), advice));
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

namespace {

/// Flyway's rule: the repeatables due run after the versioned migrations, by description, on
/// an upgrade to the head; an upgrade to an older revision leaves them waiting (a repeatable
/// is written for the newest schema).
void add_repeatables(const RevisionGraph& graph, const DatabaseStatus& status,
                     const RevisionSpec& target, Plan& plan) {
  if (status.repeatables_due.empty()) {
    return;
  }
  if (target.kind != RevisionSpec::Kind::head && target.kind != RevisionSpec::Kind::heads) {
    plan.notes.push_back(fmt::format(
        "{} repeatable migration{} (R__…) wait{}: repeatables run on an upgrade to head",
        status.repeatables_due.size(), status.repeatables_due.size() == 1 ? "" : "s",
        status.repeatables_due.size() == 1 ? "s" : ""));
    return;
  }
  for (std::size_t i : status.repeatables_due) {
    const Migration& repeatable = graph.repeatables()[i];
    plan.steps.push_back(
        make_step(PlanStep::Kind::apply, repeatable, repeatable.up,
                  fmt::format("repeatable, {}", repeatable_due_reason(status, i))));
  }
}

/// A downgrade takes the rows of the repeatables too (they ran after the versioned migrations,
/// against the newest schema; Flyway has no undo for them), running nothing: the next upgrade
/// to head runs them again, on the schema it leaves.
void forget_repeatables(const RevisionGraph& graph, const DatabaseStatus& status, Plan& plan) {
  for (std::size_t i = 0; i < graph.repeatables().size(); ++i) {
    if (!status.repeatable_row[i]) {
      continue;
    }
    const Migration& repeatable = graph.repeatables()[i];
    Section nothing;
    nothing.file = repeatable.file;
    plan.steps.push_back(make_step(PlanStep::Kind::revert, repeatable, nothing,
                                   "repeatable: nothing runs, its row goes, so the next upgrade "
                                   "to head runs it again"));
  }
}

}  // namespace

Plan plan_upgrade(const RevisionGraph& graph, const DatabaseStatus& status,
                  const UpgradeRequest& request) {
  // What should be applied afterwards, as membership. The target resolves first: an unknown
  // revision is the first thing to fix, whatever the database holds.
  std::vector<bool> wanted;
  std::size_t limit = graph.size();
  if (request.target.kind == RevisionSpec::Kind::relative) {
    refuse_no_steps("upgrade", request.target);
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
  if (!request.allow_changed) {
    refuse_changed(graph, status);
  }

  refuse_taken_ids(graph, status);
  Plan plan;
  add_rekeys(graph, status, plan);
  std::vector<AppliedId> applied = applied_ids(graph, status);
  std::vector<std::string> refused;
  // A squash whose range runs anyway (part of it ran here, or the target needs an original on
  // its own) is recorded, not run: its remaining originals join the plan in graph order, and
  // its record follows the last of them.
  std::vector<bool> recording(graph.size(), false);
  std::vector<std::optional<std::size_t>> recorded_by(graph.size());
  for (std::size_t s = 0; s < graph.size(); ++s) {
    if (graph.replaces(s).empty() || !wanted[s] || status.applied(s) ||
        (!range_runs_anyway(graph, status, wanted, s) && !status.ignores_baseline(graph, s))) {
      continue;
    }
    recording[s] = true;
    // Its originals, and those of the baselines it replaces that are ignored here too.
    std::vector<std::size_t> originals = graph.replaces(s);
    while (!originals.empty()) {
      std::size_t original = originals.back();
      originals.pop_back();
      if (status.ignores_baseline(graph, original)) {
        const std::vector<std::size_t>& inner = graph.replaces(original);
        originals.insert(originals.end(), inner.begin(), inner.end());
      } else if (!status.applied(original)) {
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
            return status.applied(original) || planned[original] ||
                   status.ignores_baseline(graph, original);
          })) {
        if (!graph.at(*it).baseline) {  // Flyway ignores a baseline where part of it ran
          plan.steps.push_back(record_step(graph, *it));
        }
        planned[*it] = true;
        it = waiting.erase(it);
      } else {
        ++it;
      }
    }
  };
  std::size_t taken = 0;
  for (std::size_t m = 0; m < graph.size() && taken < limit; ++m) {
    if (!wanted[m] || status.applied(m) || planned[m] || status.ignores_baseline(graph, m)) {
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
    if (recorded_by[m] && graph.at(*recorded_by[m]).baseline) {
      reason = fmt::format(
          "pending ({}, a baseline, is not run where part of what it replaces "
          "ran, as in Flyway)",
          graph.at(*recorded_by[m]).stem());
    } else if (recorded_by[m]) {
      reason =
          fmt::format("replaced by {}, whose range is partly applied here: the rest runs first",
                      graph.at(*recorded_by[m]).stem());
    } else if (std::optional<MigrationId> newer;
               !status.row_of[m] && (newer = applied_out_of_order(graph, applied, m))) {
      reason = fmt::format("pending, older than {}, applied already: out of order", *newer);
      refused.push_back(fmt::format("{} (older than {})", migration.file.string(), *newer));
      plan.notes.push_back(fmt::format(
          "{} is older than {}, which is applied and does not come before it: applying it out "
          "of order (it probably arrived through a merge)",
          migration.stem(), *newer));
    }
    plan.steps.push_back(pending_step(graph, status, m, plan, reason));
    planned[m] = true;
    record_ready();
  }
  if (request.target.kind == RevisionSpec::Kind::relative && taken < limit) {
    throw UsageError(past_the_end("upgrade", request.target, taken, "pending", "head"));
  }
  add_repeatables(graph, status, request.target, plan);
  if (!request.allow_empty) {
    refuse_empty(graph, plan);
  }
  if (request.strict && !refused.empty()) {
    throw CheckFailed(fmt::format(
        "--strict: {} pending migration{} older than migrations applied already: {}. Renumber "
        "them (migrate-renumber) or run without --strict to apply them out of order",
        refused.size(), refused.size() == 1 ? " is" : "s are", fmt::join(refused, ", ")));
  }
  return plan;
}

Plan plan_downgrade(const RevisionGraph& graph, const DatabaseStatus& status,
                    const RevisionSpec& target, bool fake) {
  std::vector<Applied> order = revert_order(graph, status);
  std::vector<Applied> reverting;
  if (target.kind == RevisionSpec::Kind::relative) {
    refuse_no_steps("downgrade", target);
    if (target.steps > 0) {
      throw UsageError(fmt::format("downgrade to '{}' would go forward: use migrate-upgrade {}",
                                   target.text, target.text));
    }
    auto count = static_cast<std::size_t>(-target.steps);
    if (count > order.size()) {
      throw UsageError(past_the_end("downgrade", target, order.size(), "applied", "base"));
    }
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
  if (!reverting.empty()) {
    forget_repeatables(graph, status, plan);
  }
  Irreversible irreversible;
  for (const Applied& a : reverting) {
    plan.steps.push_back(revert_step(graph, status, a, plan, irreversible));
  }
  if (!irreversible.reasons.empty() && !fake) {
    throw PlanRefused(fmt::format(
        "cannot downgrade to '{}': it would revert irreversible migrations:\n  "
        "{}\nNothing was reverted. Write the missing down section, or choose "
        "a target after them. To forget their rows without running anything "
        "(the schema keeps what they did), use --fake{}",
        target.text, fmt::join(irreversible.reasons, "\n  "),
        irreversible.empty_down
            ? ".\nAn empty down section means irreversible in migrate's own format; in "
              "dbmate's it reverts nothing. If the folder is written for dbmate, say "
              "`format = dbmate` in migrate.conf's [migrate] section (or --format dbmate)"
            : ""));
  }
  return plan;
}

namespace {

/// The applied migrations among `named` and their descendants, in `order`.
std::vector<Applied> with_dependents(const RevisionGraph& graph, const std::vector<Applied>& order,
                                     const std::vector<std::size_t>& named) {
  // One pass in graph order, parents first.
  std::vector<bool> below(graph.size(), false);
  for (std::size_t m : named) {
    below[m] = true;
  }
  for (std::size_t m = 0; m < graph.size(); ++m) {
    const std::vector<std::size_t>& parents = graph.parents(m);
    below[m] = below[m] || std::any_of(parents.begin(), parents.end(),
                                       [&](std::size_t parent) { return below[parent]; });
  }
  std::vector<Applied> redoing;
  for (const Applied& a : order) {
    if (a.migration && below[*a.migration]) {
      redoing.push_back(a);
    }
  }
  return redoing;
}

/// The applied migrations a redo of `target` takes back, newest first: `-N` the last N applied,
/// else the named migrations and every applied migration that depends on them.
std::vector<Applied> redo_set(const RevisionGraph& graph, const DatabaseStatus& status,
                              const RevisionSpec& target, const std::vector<std::size_t>& edited) {
  std::vector<Applied> order = revert_order(graph, status);
  if (!edited.empty()) {
    return with_dependents(graph, order, edited);
  }
  if (target.kind == RevisionSpec::Kind::relative) {
    if (target.steps >= 0) {
      throw UsageError(fmt::format(
          "redo {}: redo takes back applied migrations and applies them again: give -N (the "
          "last N applied), an id or head",
          target.text));
    }
    auto count = static_cast<std::size_t>(-target.steps);
    if (count > order.size()) {
      throw UsageError(past_the_end("redo", target, order.size(), "applied", "an id"));
    }
    return {order.begin(), order.begin() + static_cast<std::ptrdiff_t>(count)};
  }
  if (target.kind == RevisionSpec::Kind::base) {
    throw UsageError("redo base: name what to redo: -1 (the last applied), -N, an id or head");
  }
  std::vector<std::size_t> named = resolve_revision(graph, target);
  for (std::size_t m : named) {
    if (!status.applied(m)) {
      throw GraphError(fmt::format(
          "redo {}: {} is {} here, so there is nothing to take back; migrate upgrade applies it",
          target.text, graph.at(m).stem(), state_name(status.state[m])));
    }
  }
  return with_dependents(graph, order, named);
}

}  // namespace

Plan plan_redo(const RevisionGraph& graph, const DatabaseStatus& status,
               const std::optional<RevisionSpec>& target, bool allow_empty) {
  // Without a target: what was edited since it was applied, if anything (that is what redo is
  // for), else the last one applied.
  std::vector<std::size_t> edited = target ? std::vector<std::size_t>{} : status.changed;
  RevisionSpec spec = target.value_or(parse_revision_spec("-1"));
  std::vector<Applied> redoing = redo_set(graph, status, spec, edited);
  Plan plan;
  if (!edited.empty()) {
    plan.notes.push_back(fmt::format(
        "redoing {}: edited since {} applied (name a revision to redo another)",
        shortened_list(edited.size(), 5, [&](std::size_t i) { return graph.at(edited[i]).stem(); }),
        edited.size() == 1 ? "it was" : "they were"));
  }
  add_rekeys(graph, status, plan);
  std::vector<std::string> problems;
  std::vector<std::size_t> again;
  for (const Applied& a : redoing) {
    const AppliedMigration& row = status.rows[a.row];
    if (!a.migration) {
      problems.push_back(fmt::format(
          "{} \"{}\" has no file here (another branch?): migrate downgrade can revert it, but "
          "there is nothing to apply again",
          row.id, row.title));
      continue;
    }
    const Migration& m = graph.at(*a.migration);
    if (std::optional<std::string> title = applied_title_if_other(graph, status, *a.migration)) {
      problems.push_back(fmt::format(
          "{} was applied as \"{}\", the file is \"{}\": another migration with the same id "
          "(from another branch?), not an edit. A redo would revert that one and apply this file "
          "in its place: give one of them a new id with `migrate renumber` first",
          m.stem(), *title, m.title()));
      continue;
    }
    if (status.state[*a.migration] == MigrationState::partial) {
      problems.push_back(
          fmt::format("{} stopped part-way: run migrate upgrade to finish it first", m.stem()));
      continue;
    }
    std::optional<Section> down = stored_down(row);
    if (!down && m.down && !m.down->blank()) {
      plan.notes.push_back(fmt::format(
          "{}: no down SQL was stored when it was applied (it had none then); reverting with "
          "the down section the file has now",
          m.stem()));
      down = *m.down;
    }
    if (!down && !m.reversible()) {
      problems.push_back(fmt::format("{} was applied without a down section", m.file.string()));
      continue;
    }
    plan.steps.push_back(make_step(PlanStep::Kind::revert, m,
                                   down.value_or(m.down ? *m.down : Section{}),
                                   "redo: reverted with the down SQL stored when it was applied"));
    if (row.id == m.id) {  // as the row has it ("01" is 1), unless renamed and re-keyed first
      plan.steps.back().id = row.id;
    }
    again.push_back(*a.migration);
  }
  if (!problems.empty()) {
    std::string what = edited.empty() ? fmt::format("'{}'", spec.text) : "the edited migrations";
    throw PlanRefused(fmt::format("cannot redo {}:\n  {}\nNothing was changed", what,
                                  fmt::join(problems, "\n  ")));
  }
  std::sort(again.begin(), again.end());  // graph order: parents first
  for (std::size_t m : again) {
    plan.steps.push_back(make_step(PlanStep::Kind::apply, graph.at(m), graph.at(m).up,
                                   "redo: applied again from the file as it is now"));
  }
  if (!again.empty()) {  // as a downgrade and an upgrade would: the repeatables run again last
    Plan forget;
    forget_repeatables(graph, status, forget);
    plan.steps.insert(plan.steps.begin(), forget.steps.begin(), forget.steps.end());
    for (std::size_t i = 0; i < graph.repeatables().size(); ++i) {
      const Migration& repeatable = graph.repeatables()[i];
      if (status.repeatable_row[i] || status.repeatable_due(i)) {
        plan.steps.push_back(make_step(PlanStep::Kind::apply, repeatable, repeatable.up,
                                       "redo: a repeatable, run again after the migrations"));
      }
    }
  }
  if (!allow_empty) {
    refuse_empty(graph, plan);
  }
  return plan;
}

}  // namespace migrate
