#pragma once

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

}  // namespace migrate
