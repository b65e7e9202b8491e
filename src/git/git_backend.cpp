#include "git/git_backend.hpp"

#include "util/module.hpp"

namespace migrate {

const GitBackend& load_git_backend() {
  // libgit2, and the libraries it brings, are loaded now, not at every start (util/module.hpp).
  static const GitBackend& backend = *module_entry<decltype(migrate_git_backend)>(
      kGitModule, "git support", "migrate_git_backend")();
  return backend;
}

}  // namespace migrate
