#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "git/git_repo.hpp"

namespace migrate {

struct Context;

/// The git repository around the working directory, with libgit2 started. Throws UsageError
/// (exit 2) outside a repository, naming the command that needs one.
GitRepo open_repository(Context& context, std::string_view command);

/// The migrations folder relative to the work tree's root ("migrations", '/'-separated).
/// Throws UsageError when it is outside the work tree.
std::string migrations_folder(const GitRepo& repo, const Context& context);

/// True when `path` (relative to the work tree's root) is in the index.
bool tracked(git_index* index, const std::string& path);

/// Stages migrations/HEAD in `index` when git tracks it, or has a merge conflict on it: adding
/// it resolves the conflict.
void stage_head_file(const GitRepo& repo, const Context& context, git_index* index);

/// The repository around the migrations folder when a git merge (or a rebase, a cherry-pick)
/// stopped there with conflicts, or a merge awaits its commit: then what a command writes
/// belongs in the index too. Nullopt otherwise, and outside git.
std::optional<GitRepo> repository_mid_merge(Context& context);

}  // namespace migrate
