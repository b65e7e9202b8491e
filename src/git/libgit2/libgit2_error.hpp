#pragma once

#include <string_view>

namespace migrate {

/// libgit2's message for the last failed call.
std::string_view last_git_error();

/// Throws GitError with libgit2's last message when `status` is an error; `what` says
/// what was being done ("reading the index").
void check_git(int status, std::string_view what);

}  // namespace migrate
