#include "git/git_backend.hpp"

namespace migrate {

const GitBackend& load_git_backend() {
  // Linked in for now; the module's entry point resolved at run time once git is a module.
  return *migrate_git_backend();
}

}  // namespace migrate
