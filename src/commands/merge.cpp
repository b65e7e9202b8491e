#include "commands/merge.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "commands/context.hpp"
#include "commands/git_workspace.hpp"
#include "commands/workspace.hpp"
#include "graph/revision_spec.hpp"
#include "lint/touched_tables.hpp"
#include "migration/migration_dir.hpp"
#include "migration/migration_writer.hpp"
#include "output/console.hpp"
#include "util/error.hpp"
#include "util/file_transaction.hpp"
#include "util/text.hpp"

namespace migrate {

namespace {

/// Two migrations with one id (two people in the same minute) are not two heads to join: the
/// set does not load until one of them has another id. Refuses, naming the way out.
void refuse_duplicate_ids(const std::vector<Migration>& all) {
  std::vector<const Migration*> migrations;
  for (const Migration& m : all) {
    migrations.push_back(&m);
  }
  std::sort(migrations.begin(), migrations.end(),
            [](const Migration* a, const Migration* b) { return a->id < b->id; });
  for (std::size_t i = 1; i < migrations.size(); ++i) {
    if (migrations[i]->id == migrations[i - 1]->id) {
      throw GraphError(fmt::format(
          "duplicate id {}: {} and {}. migrate merge joins heads, and two migrations cannot "
          "share an id: give this branch's copy a new id with `migrate renumber --force` (a "
          "database that applied it under the old id is re-keyed by its checksum on its next "
          "upgrade, and nothing runs twice). It chains the copy after upstream's migrations, "
          "so nothing is left to merge",
          migrations[i]->id, migrations[i - 1]->file.string(), migrations[i]->file.string()));
    }
  }
}

/// The heads to join: the ones named (each must be a head), or all of them.
std::vector<std::size_t> chosen_heads(const RevisionGraph& graph,
                                      const std::vector<std::string>& names) {
  std::vector<std::size_t> heads = graph.heads();
  if (names.empty()) {
    return heads;
  }
  std::vector<std::size_t> chosen;
  for (const std::string& name : names) {
    std::size_t m = resolve_ref(graph, name);
    if (std::find(heads.begin(), heads.end(), m) == heads.end()) {
      std::optional<std::size_t> squash = graph.replaced_by(m);
      std::string why =
          squash ? fmt::format("{} replaces it", graph.at(*squash).stem())
          : graph.children(m).empty()
              ? std::string("it is not one")
              : fmt::format("{} depends on it", graph.at(graph.children(m).front()).stem());
      throw UsageError(fmt::format("{} is not a head: {}. The heads are {}", graph.at(m).stem(),
                                   why, list_stems(graph, heads)));
    }
    if (std::find(chosen.begin(), chosen.end(), m) == chosen.end()) {
      chosen.push_back(m);
    }
  }
  std::sort(chosen.begin(), chosen.end());
  return chosen;
}

/// Tables that more than one branch changes: a hint that the merged order matters. A branch is
/// what a head has that the other heads do not.
void warn_about_overlap(Console& console, const RevisionGraph& graph,
                        const std::vector<std::size_t>& heads) {
  std::vector<std::vector<bool>> closures;
  for (std::size_t head : heads) {
    closures.push_back(graph.closure(std::vector<std::size_t>{head}));
  }
  struct Place {
    std::size_t branch;
    std::string stem;
  };
  std::map<std::string, std::vector<Place>> touched_by;  // table -> where
  for (std::size_t m = 0; m < graph.size(); ++m) {
    std::size_t in = 0;
    std::size_t branch = 0;
    for (std::size_t b = 0; b < closures.size(); ++b) {
      if (closures[b][m]) {
        ++in;
        branch = b;
      }
    }
    if (in != 1) {
      continue;  // shared history, or on no branch
    }
    for (const std::string& table : touched_tables(graph.at(m).up.sql)) {
      touched_by[table].push_back({branch, graph.at(m).stem()});
    }
  }
  for (const auto& [table, places] : touched_by) {
    std::size_t first = places.front().branch;  // (clang 14 captures no binding)
    bool several = std::any_of(places.begin(), places.end(),
                               [&](const Place& p) { return p.branch != first; });
    if (!several) {
      continue;
    }
    std::vector<std::string> stems;
    for (const Place& place : places) {
      stems.push_back(place.stem);
    }
    console.warning(fmt::format(
        "both branches change table {}: {}. After the merge they run in id order; check that "
        "this order is right",
        table, fmt::join(stems, ", ")));
  }
}

}  // namespace

ExitCode run_merge(Context& context, const MergeOptions& options) {
  FileTransaction files(context.config.migrations_dir);
  files.lock();  // before the folder is read: the plan is made from it
  std::vector<Migration> migrations = read_migrations(context);
  refuse_duplicate_ids(migrations);
  RevisionGraph graph(std::move(migrations));
  std::vector<std::size_t> heads = chosen_heads(graph, options.heads);
  if (heads.size() < 2) {
    context.console.info("Nothing to merge: {}.",
                         heads.empty() ? std::string("there are no migrations")
                                       : fmt::format("one head, {}", graph.at(heads[0]).stem()));
    return ExitCode::success;
  }
  warn_about_overlap(context.console, graph, heads);

  std::vector<std::string> ids;
  for (std::size_t head : heads) {
    ids.push_back(graph.at(head).id.text());
  }
  std::string title(trim(options.message));
  if (title.empty()) {
    title = fmt::format("Merge {}", fmt::join(ids, " and "));
  }
  Migration merge;
  merge.id = new_migration_id(context, graph);
  merge.slug = make_slug(title);
  merge.doc = {title, "", "Joins the branches that end at:"};
  merge.depends.emplace();
  for (std::size_t head : heads) {
    const Migration& m = graph.at(head);
    merge.doc.push_back(fmt::format("  {}: {}", m.stem(), m.title()));
    merge.depends->push_back({m.id, m.stem(), 0});
  }
  merge.down.emplace();  // both sections empty: a merge changes nothing, and reverts to nothing
  std::filesystem::path path = stage_new_migration(context, merge, true, files);
  files.apply();
  // In the middle of a git merge (migrations/HEAD conflicts when both sides added migrations)
  // the merge migration is part of the merge commit: staged with HEAD, which resolves that
  // conflict. The index and the files change together or not at all.
  std::optional<std::vector<std::string>> conflicts;  // set when staged: what git still has
  GitOperation operation;
  if (std::unique_ptr<GitRepo> repo = repository_mid_merge(context)) {
    operation = operation_under_way(*repo);
    std::unique_ptr<GitIndex> index = repo->index();
    index->stage(repo->relative_path(std::filesystem::absolute(path)));
    stage_head_file(*repo, context, *index);
    files.commit();  // killed from here on, the files stay: the index may already hold them
    index->write();
    conflicts = index->conflicted_paths();
  }
  files.keep();
  if (conflicts) {
    context.console.info("Staged{}, with migrations/HEAD:",
                         operation.name.empty()
                             ? std::string()
                             : fmt::format(" for the git {} under way", operation.name));
    if (!conflicts->empty()) {
      context.console.note(
          fmt::format("git still has conflicts in {}: resolve them and `git add` them, then {}",
                      fmt::join(*conflicts, ", "), operation.continue_with));
    }
  }
  context.console.result(path.string() + "\n");
  return ExitCode::success;
}

}  // namespace migrate
