#pragma once

#include <string_view>

#include "git/authorship.hpp"
#include "git/libgit2/libgit2_repo.hpp"

namespace migrate {

/// The commit that added each file of `folder` in HEAD's tree, in one walk of the history
/// (GitRepo::commits_adding_files says which commit counts).
FileAuthorships walk_authorship(const Libgit2Repo& repo, std::string_view folder);

}  // namespace migrate
