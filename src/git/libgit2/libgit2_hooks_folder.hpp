#pragma once

#include "git/hooks_folder.hpp"
#include "git/libgit2/libgit2_repo.hpp"

namespace migrate {

/// The hooks folder git uses for `repository` (GitRepo::hooks_folder): core.hooksPath from its
/// configuration, else `hooks` in the common git folder.
HooksFolder find_hooks_folder(const Libgit2Repo& repository);

}  // namespace migrate
