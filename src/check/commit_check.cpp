#include "check/commit_check.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "graph/revision_graph.hpp"
#include "migration/migration_parser.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace migrate {

namespace {

constexpr std::size_t kShownPaths = 5;

/// "a, b, c" or "a, b, c, d, e, … (8 in all)".
std::string list_paths(const std::vector<std::string>& paths) {
  return shortened_list(paths.size(), kShownPaths, [&](std::size_t i) { return paths[i]; });
}

/// The part of `path` after "<folder>/" when the file is directly in the folder, else "".
std::string name_in_folder(const std::string& path, const std::string& folder) {
  std::string prefix = folder.empty() ? "" : folder + "/";
  if (!path.starts_with(prefix)) {
    return {};
  }
  std::string name = path.substr(prefix.size());
  return name.find('/') == std::string::npos ? name : std::string();
}

/// The file name of a migration, or nullopt for other files (HEAD, README, a bad name: the
/// set check reports those).
std::optional<MigrationFileName> migration_name(const std::string& name) {
  try {
    return name.empty() ? std::nullopt : parse_file_name(name);
  } catch (const ParseError&) {
    return std::nullopt;
  }
}

std::vector<std::string> added_migrations(const CommitCheckInput& input) {
  std::vector<std::string> added;
  for (const PathChange& change : input.changes) {
    if (change.kind == PathChange::Kind::added &&
        migration_name(name_in_folder(change.path, input.folder))) {
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
  std::string stem = name.slug.empty() ? name.id.text() : name.id.text() + "_" + name.slug;
  return std::any_of(input.allowed_edits.begin(), input.allowed_edits.end(),
                     [&](const std::string& wanted) {
                       if (std::optional<MigrationId> id = MigrationId::from_digits(wanted)) {
                         return *id == name.id;
                       }
                       return stem_of(std::filesystem::path(wanted).filename().string()) == stem;
                     });
}

/// Editing, renaming or deleting a migration that upstream already has rewrites history that
/// other databases applied: they would never run the new text.
std::vector<CheckProblem> check_shared(const CommitCheckInput& input) {
  std::vector<CheckProblem> problems;
  if (!input.upstream) {
    return problems;
  }
  for (const PathChange& change : input.changes) {
    if (change.kind == PathChange::Kind::added) {
      continue;
    }
    std::string name = name_in_folder(change.old_path, input.folder);
    std::optional<MigrationFileName> migration = migration_name(name);
    if (!migration || input.upstream->find(name) == nullptr || allowed(input, *migration)) {
      continue;
    }
    std::string what = change.kind == PathChange::Kind::renamed
                           ? fmt::format("renamed to {}", change.path)
                           : std::string(change_kind_name(change.kind));
    problems.push_back(
        {"shared-migration-edited",
         fmt::format("{} is {}, but it is already shared (it is in upstream): databases that "
                     "applied it will never run the new version. Restore it (`git restore "
                     "--staged --worktree {}`) and put the change in a new migration; if you "
                     "really mean it, let it through with --allow-edit {} (in the hook: "
                     "MIGRATE_ALLOW_EDIT={} git commit)",
                     change.old_path, what, change.old_path, migration->id.text(),
                     migration->id.text()),
         {change.old_path}});
  }
  return problems;
}

std::string head_file_path(const CommitCheckInput& input) {
  return input.folder.empty() ? "HEAD" : input.folder + "/HEAD";
}

/// The set after the commit must load as a graph with one head, which migrations/HEAD names.
std::vector<CheckProblem> check_set(const CommitCheckInput& input, CommitCheckReport& report) {
  std::vector<CheckProblem> problems;
  if (input.head_file_conflicted) {
    problems.push_back({"head-file",
                        fmt::format("{} has a merge conflict. Run `migrate renumber`: it gives "
                                    "this branch's migrations ids after upstream's and rewrites "
                                    "the file (or `migrate merge` when both sides are shared)",
                                    head_file_path(input)),
                        {head_file_path(input)}});
  }
  std::optional<RevisionGraph> graph;
  try {
    graph.emplace(input.read_migrations());
  } catch (const Error& e) {
    problems.push_back({"invalid-migrations",
                        fmt::format("the migrations would not load after this commit: {}. Fix "
                                    "it and stage the fix",
                                    e.what()),
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

}  // namespace

CommitCheckReport check_commit(const CommitCheckInput& input) {
  CommitCheckReport report;
  report.new_migrations = added_migrations(input);
  if (std::optional<CheckProblem> models = check_models(input, report.new_migrations)) {
    report.problems.push_back(std::move(*models));
  }
  for (CheckProblem& problem : check_shared(input)) {
    report.problems.push_back(std::move(problem));
  }
  for (CheckProblem& problem : check_set(input, report)) {
    report.problems.push_back(std::move(problem));
  }
  return report;
}

}  // namespace migrate
