#include "history/history_reader.hpp"

#include "db/database_url.hpp"
#include "db/open_database.hpp"
#include "git/git_repo.hpp"
#include "target/target.hpp"
#include "target/target_status.hpp"
#include "util/error.hpp"
#include "util/parallel.hpp"

namespace migrate {

FolderAuthorship read_authorship(const std::filesystem::path& dir, const AuthorshipWalk& walk) {
  FolderAuthorship authorship;
  try {
    std::unique_ptr<GitRepo> repo = GitRepo::discover(dir);
    if (!repo || repo->workdir().empty()) {
      return authorship;
    }
    std::string folder = repo->relative_path(dir);
    authorship.files =
        walk ? walk(*repo, folder)
             : std::make_shared<const FileAuthorships>(repo->commits_adding_files(folder));
  } catch (const Error& e) {
    authorship.files = nullptr;
    authorship.error = e.what();
  }
  return authorship;
}

History read_history(RevisionGraph graph, const std::vector<Target>& targets,
                     const std::filesystem::path& dir, const ConnectOptions& options,
                     const AuthorshipWalk& walk) {
  std::vector<TargetRead> read(targets.size());
  parallel_for(targets.size(),
               [&](std::size_t i) { read[i] = read_target(targets[i], graph, options); });
  return assemble_history(std::move(graph), std::move(read), read_authorship(dir, walk));
}

}  // namespace migrate
