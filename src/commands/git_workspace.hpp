#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "git/git_repo.hpp"

namespace migrate {

struct Context;

/// The repository holding `path`, reading the index git would read here: GIT_INDEX_FILE's when
/// it is set (relative to the work tree's root, as git takes it), which is how the pre-commit
/// hook of `git commit -a` or `git commit <paths>` sees the commit. Null outside a repository.
std::unique_ptr<GitRepo> discover_repository(const Context& context,
                                             const std::filesystem::path& path);

/// The git repository around the working directory (discover_repository). Throws UsageError
/// (exit 2) outside a repository, naming the command that needs one.
std::unique_ptr<GitRepo> open_repository(Context& context, std::string_view command);

/// The migrations folder relative to the work tree's root ("migrations", '/'-separated).
/// Throws UsageError when it is outside the work tree.
std::string migrations_folder(const GitRepo& repo, const Context& context);

/// Stages migrations/HEAD in `index` when git tracks it, or has a merge conflict on it: adding
/// it resolves the conflict.
void stage_head_file(const GitRepo& repo, const Context& context, GitIndex& index);

/// Where the gate and migrate-create keep the last replay of the migrations
/// (DevDatabases::keep_replays_in): in the repository's .git/migrate/, beside the parse cache.
std::filesystem::path replay_snapshot_file(const GitRepo& repo);
/// Where the SQLite linter (migrate-lint, the gate) keeps its own: it replays to the parents
/// of what it lints, which the gate's drift check, replaying to head, would overwrite each
/// time if they shared one.
std::filesystem::path lint_replay_snapshot_file(const GitRepo& repo);

/// A git operation that stopped half-way (on a conflict, or to let the user commit), which
/// what a command stages becomes part of.
struct GitOperation {
  std::string name;           ///< "merge", "rebase", "cherry-pick", "revert", "am"; empty: none
  std::string continue_with;  ///< how the user goes on: "`git rebase --continue`", "commit"
};

/// The operation under way in `repo`, and how the user goes on from it.
GitOperation operation_under_way(const GitRepo& repo);

/// The repository around the migrations folder when a git merge (or a rebase, a cherry-pick)
/// stopped there with conflicts, or a merge awaits its commit: then what a command writes
/// belongs in the index too. Null otherwise, and outside git.
std::unique_ptr<GitRepo> repository_mid_merge(Context& context);

}  // namespace migrate
