#include "commands/renumber.hpp"

#include <fmt/format.h>

#include "commands/context.hpp"
#include "commands/git_workspace.hpp"
#include "commands/workspace.hpp"
#include "git/git_migrations.hpp"
#include "graph/revision_graph.hpp"
#include "migration/migration_dir.hpp"
#include "migration/migration_writer.hpp"
#include "output/console.hpp"
#include "renumber/renumber_plan.hpp"
#include "util/error.hpp"
#include "util/file.hpp"
#include "util/file_transaction.hpp"

namespace migrate {

namespace {

/// A file of a step: where it is, where it goes (both relative to the work tree's root, as
/// the index names them).
struct FileMove {
  std::filesystem::path from, to;
  std::string index_from, index_to;
};

/// Upstream's migrations as a graph; their names, to tell this branch's apart.
struct Upstream {
  std::set<std::string> files;
  RevisionGraph graph;
};

RevisionGraph upstream_graph(const GitRepo& repo, const GitMigrationFolder& folder,
                             const std::string& name, const Config& config) {
  try {
    return RevisionGraph(folder.parse(repo, config.format, config.skip_go));
  } catch (const Error& e) {
    throw GraphError(
        fmt::format("upstream's migrations ({}) do not load, so there is nothing sound "
                    "to renumber after: {}",
                    name, e.what()));
  }
}

Upstream read_upstream(const GitRepo& repo, const GitTree& tree, const std::string& folder,
                       const Config& config) {
  const std::string& name = config.upstream;
  GitMigrationFolder upstream = migration_folder_in_tree(repo, tree, folder);
  std::set<std::string> files;
  for (const GitFolderEntry& entry : upstream.entries) {
    files.insert(entry.name);
  }
  return Upstream{std::move(files), upstream_graph(repo, upstream, name, config)};
}

/// The files a step moves: one, or both halves of a golang-migrate pair.
std::vector<FileMove> moves_of(const GitRepo& repo, const Migration& m, const RenumberStep& step) {
  std::vector<FileMove> moves;
  for (const std::filesystem::path& file : m.files()) {
    std::filesystem::path absolute = std::filesystem::absolute(file);
    std::filesystem::path target =
        absolute.parent_path() / renamed_file_name(file, m.id, step.new_id);
    moves.push_back({absolute, target, repo.relative_path(absolute), repo.relative_path(target)});
  }
  return moves;
}

/// Refuses to renumber migrations that another remote-tracking branch already has: whoever
/// pulled that branch may have applied them under their old ids.
void refuse_if_pushed(const GitRepo& repo, const Context& context, const std::string& folder,
                      const RenumberPlan& plan, const std::vector<Migration>& local) {
  std::optional<std::string> upstream_ref = repo.reference_name(context.config.upstream);
  for (const std::string& name : repo.remote_branches()) {
    if (name == upstream_ref) {
      continue;  // upstream is what we renumber after
    }
    std::unique_ptr<GitTree> tree = repo.tree_of(name);
    if (!tree) {
      continue;
    }
    GitMigrationFolder there = migration_folder_in_tree(repo, *tree, folder);
    for (const RenumberStep& step : plan.steps) {
      if (there.find(local[step.migration].file.filename().string()) != nullptr) {
        throw CheckFailed(pushed_refusal(plan, local, step,
                                         name.substr(std::string_view("refs/remotes/").size())));
      }
    }
  }
}

std::string describe(const Migration& m, const RenumberStep& step,
                     const std::vector<FileMove>& moves, const Context& context) {
  std::string after = step.new_parent.empty() ? "a root" : "after " + step.new_parent;
  if (!step.renamed) {
    return fmt::format("{}: now {}", display_path(m.file, context.cwd).string(), after);
  }
  return fmt::format("{} -> {} ({})", display_path(moves.front().from, context.cwd).string(),
                     moves.front().to.filename().string(), after);
}

/// Stages a step's files in `files`: renamed (or rewritten in place), a single file's
/// `depends:` pointing at the step's new parent.
void stage_step(const RenumberStep& step, const std::vector<FileMove>& moves,
                FileTransaction& files) {
  for (const FileMove& move : moves) {
    std::string text = with_parent(move.from, read_file(move.from), step.new_parent);
    if (move.to == move.from) {
      files.write(move.to, text);
    } else {
      files.create(move.to, text);
      files.remove(move.from);
    }
  }
}

/// Stages a step's renames in the index, for the files git tracked.
void index_step(const std::vector<FileMove>& moves, GitIndex& index) {
  for (const FileMove& move : moves) {
    if (index.contains(move.index_from)) {
      if (move.index_to != move.index_from) {
        index.unstage(move.index_from);
      }
      index.stage(move.index_to);
    }
  }
}

}  // namespace

ExitCode run_renumber(Context& context, const RenumberOptions& options) {
  std::unique_ptr<GitRepo> opened = open_repository(context, "migrate-renumber");
  const GitRepo& repo = *opened;
  std::string folder = migrations_folder(repo, context);
  std::unique_ptr<GitTree> upstream_tree = repo.tree_of(context.config.upstream);
  if (!upstream_tree) {
    context.console.note(fmt::format(
        "nothing to renumber after: the upstream branch {} does not exist here (set `upstream` "
        "in migrate.conf, or fetch it)",
        context.config.upstream));
    return ExitCode::success;
  }
  if (options.hook && !repo.head_contains(context.config.upstream)) {
    // A rebase of this branch's own commits, a merge of another branch: upstream did not come
    // in, so there is nothing to chain after, and nothing to say.
    return ExitCode::success;
  }
  Upstream upstream = read_upstream(repo, *upstream_tree, folder, context.config);
  FileTransaction files(context.config.migrations_dir);
  if (!options.dry_run) {
    files.lock();  // before the folder is read: the plan is made from it
  }
  std::vector<Migration> local = read_migrations(context);
  RenumberPlan plan =
      plan_renumber(local, upstream.files, upstream.graph,
                    [&](const MigrationId& after) { return id_after(context, after); });

  std::optional<std::string> head_file = read_head_file(context.config.migrations_dir);
  // A folder without migrations/HEAD (dbmate's, golang-migrate's) is not given one.
  bool head_right = !head_file || *head_file == plan.new_head;
  if (plan.steps.empty() && head_right) {
    context.console.info("nothing to renumber: this branch's {} migration{} follow{} {}",
                         plan.branch.size(), plan.branch.size() == 1 ? "" : "s",
                         plan.branch.size() == 1 ? "s" : "",
                         plan.upstream_head.empty() ? "upstream" : plan.upstream_head);
    return ExitCode::success;
  }

  std::vector<std::vector<FileMove>> moves;
  for (const RenumberStep& step : plan.steps) {
    moves.push_back(moves_of(repo, local[step.migration], step));
    for (const FileMove& move : moves.back()) {
      if (move.to != move.from && std::filesystem::exists(move.to)) {
        throw IoError(fmt::format("cannot renumber {}: {} exists already. Nothing was changed",
                                  move.from.filename().string(), move.to.string()));
      }
    }
  }
  if (!options.force) {
    refuse_if_pushed(repo, context, folder, plan, local);
  }
  for (std::size_t i = 0; i < plan.steps.size(); ++i) {
    context.console.info(
        "{}{}", options.dry_run ? "would renumber " : "",
        describe(local[plan.steps[i].migration], plan.steps[i], moves[i], context));
  }
  std::string head_path = display_path(head_file_path(display_dir(context)), context.cwd).string();
  if (options.dry_run) {
    if (head_file) {
      context.console.info("would write {}: {}", head_path, plan.new_head);
    }
    return ExitCode::success;
  }
  // All or nothing: the files are staged beside their targets, put in place by renames, and
  // the index written; a failure anywhere (a full disk, git holding index.lock) puts every
  // file back as it was.
  for (std::size_t i = 0; i < plan.steps.size(); ++i) {
    stage_step(plan.steps[i], moves[i], files);
  }
  std::filesystem::path dir = std::filesystem::absolute(context.config.migrations_dir);
  if (head_file) {
    files.write(head_file_path(dir), head_file_text(plan.new_head));
  }
  files.apply();
  std::unique_ptr<GitIndex> index = repo.index();
  for (const std::vector<FileMove>& step_moves : moves) {
    index_step(step_moves, *index);
  }
  if (head_file) {
    stage_head_file(repo, context, *index);
  }
  // Killed from here on, the files stay renamed: the index may already name them so, and
  // files that git's index names but the folder lacks would be worse than a re-add.
  files.commit();
  index->write();
  files.keep();
  if (head_file) {
    context.console.info("{} now names {}.", head_path, plan.new_head);
  }
  // From a hook the merge or rebase is over, though git's rebase folder is still there.
  context.console.info(
      "The renames are staged: review them with `git status`, then {}",
      options.hook ? std::string("commit") : operation_under_way(repo).continue_with);
  return ExitCode::success;
}

}  // namespace migrate
