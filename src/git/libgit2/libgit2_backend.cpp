#include <git2.h>

#include "git/git_backend.hpp"
#include "git/libgit2/libgit2_config.hpp"
#include "git/libgit2/libgit2_path_patterns.hpp"
#include "git/libgit2/libgit2_repo.hpp"

namespace migrate {

namespace {

/// The GitBackend over libgit2. Made once per process (migrate_git_backend), which starts
/// libgit2 for as long as the process runs. Starting it is not free (Debian's libgit2 loads the
/// system's CA certificates: ~10 ms), so nothing makes it before git is needed.
class Libgit2Backend : public GitBackend {
 public:
  Libgit2Backend() {
    git_libgit2_init();
    // libgit2 hashes every object it reads again to check its id; git itself does not (fsck
    // does). Walking a history reads thousands of trees, and the hashing was 80% of it: a
    // walk of 3,000 commits of a 5,000-file folder took 1.7 s of CPU with it, 0.3 s without.
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
  }
  Libgit2Backend(const Libgit2Backend&) = delete;
  Libgit2Backend& operator=(const Libgit2Backend&) = delete;
  ~Libgit2Backend() override { git_libgit2_shutdown(); }

  std::unique_ptr<GitRepo> discover(const std::filesystem::path& path) const override {
    return Libgit2Repo::discover(path);
  }

  std::vector<GitConfigEntry> read_config(const std::filesystem::path& path) const override {
    return read_config_file(path);
  }

  std::unique_ptr<PathPatterns> path_patterns(
      const std::vector<std::string>& patterns) const override {
    return std::make_unique<Libgit2PathPatterns>(patterns);
  }
};

}  // namespace

}  // namespace migrate

extern "C" const migrate::GitBackend* migrate_git_backend() {
  // A function-local static: started once, thread-safe (migrate-web's threads use git).
  static const migrate::Libgit2Backend backend;
  return &backend;
}
