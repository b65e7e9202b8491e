#include "check/commit_check.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "graph/empty_migrations.hpp"
#include "graph/revision_graph.hpp"
#include "migration/flyway_name.hpp"
#include "migration/migration_dir.hpp"
#include "migration/migration_parser.hpp"
#include "migration/stem_name.hpp"
#include "util/error.hpp"
#include "util/file.hpp"
#include "util/text.hpp"

namespace migrate {

namespace {

constexpr std::size_t kShownPaths = 5;

/// "a, b, c" or "a, b, c, d, e, … (8 in all)".
std::string list_paths(const std::vector<std::string>& paths) {
  return shortened_list(paths.size(), kShownPaths, [&](std::size_t i) { return paths[i]; });
}

/// The part of `path` after "<folder>/": the file's name, or its path in a subfolder
/// ("sub/V2__x.sql", which Flyway reads; never in a hidden one); "" outside the folder.
std::string name_in_folder(const std::string& path, const std::string& folder) {
  std::string prefix = folder.empty() ? "" : folder + "/";
  if (!path.starts_with(prefix)) {
    return {};
  }
  std::string name = path.substr(prefix.size());
  bool nested = name.find('/') != std::string::npos;
  // migrate-verify's data tests (tests/<id>.sql) are never migrations, in any format.
  bool not_migrations = folder.empty() || in_hidden_folder(name) || in_data_tests_folder(name);
  return nested && not_migrations ? std::string() : name;
}

/// The file name of a migration, or nullopt for other files (HEAD, README, a bad name: the
/// set check reports those). A Flyway V or U file is one too (its version as the id), also in
/// a subfolder, and in a name-ordered folder an up or down file (its whole stem as the id), so
/// that editing a shared one is caught as in every other format.
std::optional<MigrationFileName> migration_name(const std::string& name, bool name_ordered) {
  if (name.empty()) {
    return std::nullopt;
  }
  bool nested = name.find('/') != std::string::npos;
  if (name_ordered && !nested) {
    std::optional<StemName> stem = parse_stem_name(name);
    if (!stem) {
      return std::nullopt;
    }
    return MigrationFileName{
        MigrationId::from_row(stem->stem), "",
        stem->up ? MigrationFileName::Kind::up : MigrationFileName::Kind::down};
  }
  std::string file = nested ? name.substr(name.rfind('/') + 1) : name;
  if (std::optional<FlywayName> flyway = parse_flyway_name(file)) {
    if (flyway->kind == FlywayName::Kind::versioned || flyway->kind == FlywayName::Kind::undo) {
      return MigrationFileName{flyway->version, flyway->description,
                               flyway->kind == FlywayName::Kind::undo
                                   ? MigrationFileName::Kind::down
                                   : MigrationFileName::Kind::up};
    }
  }
  if (nested) {
    return std::nullopt;  // only Flyway reads subfolders
  }
  try {
    return parse_file_name(name);
  } catch (const ParseError&) {
    return std::nullopt;
  }
}

std::vector<std::string> added_migrations(const CommitCheckInput& input) {
  std::vector<std::string> added;
  for (const PathChange& change : input.changes) {
    if (change.kind == PathChange::Kind::added &&
        migration_name(name_in_folder(change.path, input.folder), input.name_ordered)) {
      added.push_back(change.path);
    }
  }
  return added;
}

std::optional<CheckProblem> check_models(const CommitCheckInput& input,
                                         const std::vector<std::string>& added) {
  if (input.models == nullptr || input.models->empty() || !added.empty()) {
    return std::nullopt;
  }
  std::vector<std::string> models;
  for (const PathChange& change : input.changes) {
    if (input.models->matches(change.path) ||
        (change.kind == PathChange::Kind::renamed && input.models->matches(change.old_path))) {
      models.push_back(change.path);
    }
  }
  if (models.empty()) {
    return std::nullopt;
  }
  return CheckProblem{
      "model-without-migration",
      fmt::format("{} changed (the `models` patterns of migrate.conf) but no new migration is "
                  "in the commit. Write one: `migrate create -m \"what changed\"`, fill it in and "
                  "`git add` it. If this change needs no schema change, commit with --no-verify",
                  list_paths(models)),
      models};
}

/// `text` with every line but blank ones indented by `indent`.
std::string indented(std::string_view text, std::string_view indent) {
  std::string out;
  for (const Line& line : split_lines(text)) {
    out += line.text.empty() ? "\n" : fmt::format("{}{}\n", indent, line.text);
  }
  return out;
}

/// With a model configured, the exact rule: the migrations after the commit must build the
/// schema the model describes. When they do not, what differs and the migration that closes
/// the gap, as migrate-create would write it.
CheckProblem drift_problem(const ModelDrift& drift) {
  std::string changes;
  for (const SchemaChange& change : drift.migration.changes) {
    changes += fmt::format("\n     - {}{}", change.description,
                           change.hazard.empty() ? "" : " (hazard: " + change.hazard + ")");
  }
  for (const std::string& note : drift.migration.notes) {
    changes += "\n   Note: " + note;
  }
  std::string generate =
      "Generate it with `make migrate-create MESSAGE=\"what changed\"` (or `migrate create -m "
      "\"what changed\"`), review it and `git add` it";
  if (!drift.migration.destructive().empty()) {
    generate =
        "It deletes data, so it must be asked for: `make migrate-create MESSAGE=\"what changed\" "
        "MIGRATE_FLAGS=--allow-destructive` (or `migrate create --allow-destructive -m \"what "
        "changed\"`); review it and `git add` it";
  }
  std::string text = indented(drift.text, "       ");
  while (text.ends_with('\n')) {
    text.pop_back();
  }
  std::string model = drift.command
                          ? "What schema-command (in migrate.conf) makes"
                          : fmt::format("{} (the model: `schema` in migrate.conf)", drift.model);
  return CheckProblem{
      "schema-drift",
      fmt::format("{} describes a schema that the migrations after this commit do not build. A "
                  "migration would:{}\n   {}. It would be:\n\n{}",
                  model, changes, generate, text),
      drift.command ? std::vector<std::string>{} : std::vector<std::string>{drift.model}};
}

/// "x.up.sql" -> "x": a file name's stem, whatever migration format it is in.
std::string stem_of(std::string name) {
  for (std::string_view suffix : {".up.sql", ".down.sql", ".sql"}) {
    if (name.ends_with(suffix)) {
      name.resize(name.size() - suffix.size());
      break;
    }
  }
  return name;
}

/// --allow-edit takes an id, a stem or a file name (with or without the folder).
bool allowed(const CommitCheckInput& input, const MigrationFileName& name) {
  std::string stem = name.stem();
  return std::any_of(
      input.allowed_edits.begin(), input.allowed_edits.end(), [&](const std::string& wanted) {
        if (std::optional<MigrationId> id = MigrationId::from_text(wanted)) {
          return *id == name.id;
        }
        std::string file = std::filesystem::path(wanted).filename().string();
        std::optional<StemName> named = input.name_ordered ? parse_stem_name(file) : std::nullopt;
        return (named ? named->stem : stem_of(file)) == stem;
      });
}

/// Everything but the file's place: the same text as far as migrate is concerned.
bool same_migration(const Migration& a, const Migration& b) {
  return a.slug == b.slug && a.doc == b.doc && a.depends == b.depends && a.replaces == b.replaces &&
         a.up == b.up && a.down == b.down;
}

bool names(const std::vector<MigrationRef>& refs, const MigrationId& id) {
  return std::any_of(refs.begin(), refs.end(),
                     [&](const MigrationRef& ref) { return ref.id == id; });
}

/// What migrate-squash and --prune change in shared migrations, told apart from edits: the
/// migration set before the commit (HEAD) and after it, compared.
class SquashChanges {
 public:
  SquashChanges(const CommitCheckInput& input, const RevisionGraph* after)
      : m_input(input), m_after(after) {}

  /// True when `change` to the shared migration `id` is a squash's doing.
  bool explain(const PathChange& change, const MigrationId& id) {
    if (change.kind == PathChange::Kind::deleted) {
      std::optional<std::size_t> squash = replacing_squash(id);
      return squash && shared(*squash);
    }
    return explain_edit(change, id);
  }

  /// The squash (its stem) that replaces the deleted shared migration `id` but is not shared
  /// itself yet; empty when there is none.
  std::string unshared_squash(const MigrationId& id) {
    std::optional<std::size_t> squash = replacing_squash(id);
    return squash && !shared(*squash) ? m_after->at(*squash).stem() : std::string();
  }

 private:
  /// A shared migration's edit that a squash made: its children re-pointed, its own
  /// `replaces:` lines pruned.
  bool explain_edit(const PathChange& change, const MigrationId& id) {
    if (m_after == nullptr || before() == nullptr) {
      return false;  // a set that does not load is refused by the set check anyway
    }
    if (change.kind != PathChange::Kind::modified) {
      return false;
    }
    std::optional<std::size_t> old_index = before()->find(id);
    std::optional<std::size_t> new_index = m_after->find(id);
    if (!old_index || !new_index) {
      return false;
    }
    return pruned_squash(*old_index, *new_index) || repointed_child(*old_index, *new_index);
  }

  /// HEAD's set as a graph, read on first use; null when there is none or it does not load.
  const RevisionGraph* before() {
    if (!m_before_read) {
      m_before_read = true;
      try {
        if (m_input.read_head_migrations) {
          m_before.emplace(m_input.read_head_migrations());
        }
      } catch (const Error&) {
        // Nothing to compare with: every change of a shared migration is an edit then.
      }
    }
    return m_before ? &*m_before : nullptr;
  }

  /// Whether the squash `squash` (an index after the commit) replaces `id`, by its
  /// `replaces:` after the commit or, when --prune took that line away, in HEAD.
  bool replaces(std::size_t squash, const MigrationId& id) {
    const Migration& m = m_after->at(squash);
    if (names(m.replaces, id)) {
      return true;
    }
    std::optional<std::size_t> old = before()->find(m.id);
    return old && names(before()->at(*old).replaces, id);
  }

  /// For an original removed by --prune (gone after the commit), the squash that replaces it.
  std::optional<std::size_t> replacing_squash(const MigrationId& id) {
    if (m_after == nullptr || before() == nullptr || m_after->find(id)) {
      return std::nullopt;  // the latter: half of a golang-migrate pair, the migration is there
    }
    for (std::size_t m = 0; m < m_after->size(); ++m) {
      if (m_after->at(m).id != id && replaces(m, id)) {
        return m;
      }
    }
    return std::nullopt;
  }

  /// Whether upstream has the squash `squash` (an index after the commit). Until it does, a
  /// teammate's database that ran part of the range needs the originals to finish it: the
  /// squash and the originals' removal must not reach them together.
  bool shared(std::size_t squash) const {
    return m_input.upstream->find(m_after->at(squash).file.filename().string()) != nullptr;
  }

  /// A squash after --prune: only `replaces:` lines gone, and what they named gone with them.
  bool pruned_squash(std::size_t old_index, std::size_t new_index) {
    const Migration& old = before()->at(old_index);
    const Migration& now = m_after->at(new_index);
    Migration expected = old;
    expected.replaces = now.replaces;
    if (old.replaces.empty() || !same_migration(expected, now)) {
      return false;
    }
    return std::all_of(old.replaces.begin(), old.replaces.end(), [&](const MigrationRef& ref) {
      return names(now.replaces, ref.id) || !m_after->find(ref.id);
    });
  }

  /// A child of a squashed range: only its `depends:` changed, from migrations a squash
  /// replaces to that squash.
  bool repointed_child(std::size_t old_index, std::size_t new_index) {
    const Migration& old = before()->at(old_index);
    const Migration& now = m_after->at(new_index);
    Migration expected = old;
    expected.depends = now.depends;
    if (!same_migration(expected, now)) {
      return false;
    }
    auto ids = [](const RevisionGraph& graph, std::size_t m) {
      std::vector<MigrationId> parents;
      for (std::size_t parent : graph.parents(m)) {
        parents.push_back(graph.at(parent).id);
      }
      return parents;
    };
    std::vector<MigrationId> old_parents = ids(*before(), old_index);
    std::vector<MigrationId> new_parents = ids(*m_after, new_index);
    auto in = [](const std::vector<MigrationId>& list, const MigrationId& id) {
      return std::find(list.begin(), list.end(), id) != list.end();
    };
    std::vector<std::size_t> squashes;  // the new parents, each of which must be a squash
    for (std::size_t parent : m_after->parents(new_index)) {
      if (!in(old_parents, m_after->at(parent).id)) {
        squashes.push_back(parent);
      }
    }
    bool any_removed = false;
    for (const MigrationId& parent : old_parents) {
      if (in(new_parents, parent)) {
        continue;
      }
      any_removed = true;
      bool squashed = std::any_of(squashes.begin(), squashes.end(),
                                  [&](std::size_t squash) { return replaces(squash, parent); });
      if (!squashed) {
        return false;
      }
    }
    return any_removed && !squashes.empty();
  }

  const CommitCheckInput& m_input;
  const RevisionGraph* m_after;
  std::optional<RevisionGraph> m_before;
  bool m_before_read = false;
};

/// Editing, renaming or deleting a migration that upstream already has rewrites history that
/// other databases applied: they would never run the new text. A squash and its prune are not
/// edits (SquashChanges).
std::vector<CheckProblem> check_shared(const CommitCheckInput& input, const RevisionGraph* after) {
  std::vector<CheckProblem> problems;
  if (!input.upstream) {
    return problems;
  }
  SquashChanges squash_changes(input, after);
  for (const PathChange& change : input.changes) {
    if (change.kind == PathChange::Kind::added) {
      continue;
    }
    std::string name = name_in_folder(change.old_path, input.folder);
    std::optional<MigrationFileName> migration = migration_name(name, input.name_ordered);
    if (!migration || input.upstream->find(name) == nullptr || allowed(input, *migration) ||
        squash_changes.explain(change, migration->id)) {
      continue;
    }
    std::string what = change.kind == PathChange::Kind::renamed
                           ? fmt::format("renamed to {}", change.path)
                           : std::string(change_kind_name(change.kind));
    std::string retire;
    if (change.kind == PathChange::Kind::deleted) {
      std::string squash = squash_changes.unshared_squash(migration->id);
      retire = squash.empty()
                   ? " To retire old migrations, squash them (`migrate squash FROM TO`), commit "
                     "and push the squash, and remove the originals with `migrate squash "
                     "--prune` once every database is past it."
                   : fmt::format(
                         " {} replaces it, but upstream does not have {} yet: a teammate's "
                         "database that ran part of the range needs the originals to finish "
                         "it. Commit and push the squash without removing them, and prune "
                         "(`migrate squash --prune`) once every database is past it.",
                         squash, squash);
    }
    problems.push_back(
        {"shared-migration-edited",
         fmt::format("{} is {}, but it is already shared (it is in upstream): databases that "
                     "applied it will never run the new version. Restore it (`git restore "
                     "--staged --worktree {}`) and put the change in a new migration.{} If you "
                     "really mean it, let it through with --allow-edit {} (in the hook: "
                     "MIGRATE_ALLOW_EDIT={} git commit; several: ids separated by spaces or "
                     "commas)",
                     change.old_path, what, change.old_path, retire, migration->id.text(),
                     migration->id.text()),
         {change.old_path}});
  }
  return problems;
}

/// A new migration whose up section has no statement (migrate-create's template, untouched) is
/// refused by `migrate upgrade`: the gate refuses it first, by the same rule.
std::optional<CheckProblem> check_empty(const CommitCheckInput& input, const RevisionGraph* after,
                                        const std::vector<std::string>& added) {
  if (after == nullptr) {
    return std::nullopt;  // the set check says why it does not load
  }
  std::vector<std::size_t> candidates;
  std::map<std::size_t, std::string> path_of;  // the file that holds the up section
  for (const std::string& path : added) {
    std::optional<MigrationFileName> name =
        migration_name(name_in_folder(path, input.folder), input.name_ordered);
    std::optional<std::size_t> m = name ? after->find(name->id) : std::nullopt;
    if (m && name->kind != MigrationFileName::Kind::down) {
      candidates.push_back(*m);
      path_of[*m] = path;
    }
  }
  std::vector<std::size_t> empty = empty_migrations(*after, candidates);
  if (empty.empty()) {
    return std::nullopt;
  }
  std::vector<std::string> files;
  for (std::size_t m : empty) {
    files.push_back(path_of[m]);
  }
  bool one = files.size() == 1;
  std::string places = shortened_list(files.size(), kShownPaths, [&](std::size_t i) {
    return fmt::format("{}:{}", files[i], after->at(empty[i]).up.first_line);
  });
  return CheckProblem{
      "empty-migration",
      fmt::format("{} {} no statement in {} up section, so `migrate upgrade` would refuse to "
                  "apply {}. Write the SQL after '-- migrate:up' and stage it; if an empty "
                  "migration is really meant, commit with --no-verify",
                  places, one ? "has" : "have", one ? "its" : "their", one ? "it" : "them"),
      files};
}

std::string head_file_path(const CommitCheckInput& input) {
  return input.folder.empty() ? "HEAD" : input.folder + "/HEAD";
}

/// The set after the commit must load as a graph with one head, which migrations/HEAD names.
std::vector<CheckProblem> check_set(const CommitCheckInput& input,
                                    const std::optional<RevisionGraph>& graph,
                                    const std::string& load_error, CommitCheckReport& report) {
  std::vector<CheckProblem> problems;
  if (input.head_file_conflicted) {
    problems.push_back({"head-file",
                        fmt::format("{} has a merge conflict. Run `migrate renumber`: it gives "
                                    "this branch's migrations ids after upstream's and rewrites "
                                    "the file (or `migrate merge` when both sides are shared)",
                                    head_file_path(input)),
                        {head_file_path(input)}});
  }
  if (!graph) {
    problems.push_back({"invalid-migrations",
                        fmt::format("the migrations would not load after this commit: {} Fix "
                                    "it and stage the fix",
                                    with_full_stop(load_error)),
                        {}});
    return problems;
  }
  report.migrations = graph->size();
  for (std::size_t head : graph->heads()) {
    report.heads.push_back(graph->at(head).stem());
  }
  if (report.heads.size() > 1) {
    problems.push_back(
        {"several-heads",
         fmt::format("the migrations would have {} heads after this commit: {}. If this "
                     "branch's migrations are not shared yet, `migrate renumber` chains them "
                     "after upstream's; if both sides are shared, `migrate merge` joins them",
                     report.heads.size(), fmt::join(report.heads, ", ")),
         {}});
  } else if (report.heads.size() == 1 && input.head_file && !input.head_file_conflicted &&
             *input.head_file != report.heads.front()) {
    problems.push_back(
        {"head-file",
         fmt::format("{} names {}, but the head is {}. Write the head's name into it (`migrate "
                     "renumber` does) and stage it",
                     head_file_path(input), input.head_file->empty() ? "nothing" : *input.head_file,
                     report.heads.front()),
         {head_file_path(input)}});
  }
  return problems;
}

/// The file name of a path, '/'-separated or not: how a migration after the commit, a change
/// and an upstream entry are matched (a Flyway file may sit in a subfolder).
std::string base_name(std::string_view path) {
  std::size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

/// The migrations the gate lints: what the commit adds or changes (an up file: a change of a
/// golang-migrate down file changes no up section) that upstream does not have (an edit of a
/// shared migration is refused as such); and the branch around them.
LintScope lint_scope(const CommitCheckInput& input, const RevisionGraph& after) {
  std::set<std::string> changed;
  for (const PathChange& change : input.changes) {
    if (change.kind != PathChange::Kind::deleted &&
        !name_in_folder(change.path, input.folder).empty()) {
      changed.insert(base_name(change.path));
    }
  }
  std::set<std::string> shared;
  if (input.upstream) {
    for (const GitFolderEntry& entry : input.upstream->entries) {
      shared.insert(base_name(entry.name));
    }
  }
  LintScope scope;
  if (input.upstream) {
    scope.branch.emplace();
  }
  for (std::size_t m = 0; m < after.size(); ++m) {
    std::string name = after.at(m).file.filename().string();
    if (shared.contains(name)) {
      continue;
    }
    if (scope.branch) {
      scope.branch->insert(m);
    }
    if (changed.contains(name)) {
      scope.chosen.insert(m);
    }
  }
  return scope;
}

/// A finding at error level, as the gate lists it: where, what, the safe way, and how to
/// accept the risk instead.
CheckProblem lint_problem(const Finding& finding) {
  std::vector<Line> safe = split_lines(finding.rule->safe);
  std::string text =
      safe.empty() ? std::string() : fmt::format("\n   The safe way: {}", safe.front().text);
  for (std::size_t i = 1; i < safe.size(); ++i) {
    text += fmt::format("\n       {}", safe[i].text);
  }
  if (finding.rule->suppressible) {
    text += fmt::format(
        "\n   If the risk is accepted here, say why in a comment right before the statement: "
        "-- migrate:lint ignore={} reason=\"…\"",
        finding.rule->name);
  }
  return {"lint",
          fmt::format("{}:{}: {} [{}]{}", finding.file, finding.line, finding.detail,
                      finding.rule->name, text),
          {finding.file}};
}

/// The linter on what the commit brings: each error is a problem; warnings and notes are in
/// the report and pass. SQL the engine's parser refuses is a problem too, at its line.
std::vector<CheckProblem> check_lint(const CommitCheckInput& input, const RevisionGraph* after,
                                     CommitCheckReport& report) {
  if (!input.lint || after == nullptr) {
    return {};  // no linter, or the set check says why the migrations do not load
  }
  LintScope scope = lint_scope(input, *after);
  if (scope.chosen.empty()) {
    return {};
  }
  try {
    report.lint = input.lint(*after, scope);
  } catch (const ParseError& e) {
    return {{"lint",
             fmt::format("{} Fix it and stage the fix", with_full_stop(e.what())),
             {e.file().generic_string()}}};
  }
  std::vector<CheckProblem> problems;
  for (const Finding& finding : report.lint) {
    if (finding.severity == Severity::error) {
      problems.push_back(lint_problem(finding));
    }
  }
  return problems;
}

}  // namespace

CommitCheckReport check_commit(const CommitCheckInput& input, KeptUntilExit* kept) {
  CommitCheckReport report;
  report.new_migrations = added_migrations(input);
  // The set after the commit, read once: the model is compared with it, the shared check
  // compares with it, the set check judges it.
  std::optional<RevisionGraph> after;
  std::string load_error;
  try {
    after.emplace(input.read_migrations());
  } catch (const Error& e) {
    load_error = e.what();
  }
  if (input.model_drift) {
    if (after) {  // else the set check says why they do not load
      report.drift = input.model_drift(*after);
      if (!report.drift->migration.empty()) {
        report.problems.push_back(drift_problem(*report.drift));
      }
    }
  } else if (std::optional<CheckProblem> models = check_models(input, report.new_migrations)) {
    report.problems.push_back(std::move(*models));
  }
  for (CheckProblem& problem : check_shared(input, after ? &*after : nullptr)) {
    report.problems.push_back(std::move(problem));
  }
  for (CheckProblem& problem : check_set(input, after, load_error, report)) {
    report.problems.push_back(std::move(problem));
  }
  if (std::optional<CheckProblem> empty =
          check_empty(input, after ? &*after : nullptr, report.new_migrations)) {
    report.problems.push_back(std::move(*empty));
  }
  for (CheckProblem& problem : check_lint(input, after ? &*after : nullptr, report)) {
    report.problems.push_back(std::move(problem));
  }
  if (kept != nullptr && after) {
    kept->keep(std::move(*after));
  }
  return report;
}

}  // namespace migrate
