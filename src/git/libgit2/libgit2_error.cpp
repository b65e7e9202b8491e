#include "git/libgit2/libgit2_error.hpp"

#include <git2.h>

#include <fmt/format.h>

#include "git/git_repo.hpp"

namespace migrate {

std::string_view last_git_error() {
  const git_error* error = git_error_last();
  return error != nullptr && error->message != nullptr ? error->message : "unknown libgit2 error";
}

void check_git(int status, std::string_view what) {
  if (status < 0) {
    throw GitError(fmt::format("git: {}: {}", what, last_git_error()));
  }
}

}  // namespace migrate
