#include "history/history.hpp"

#include "util/error.hpp"

namespace migrate {

History assemble_history(RevisionGraph graph, std::vector<TargetRead> targets,
                         FolderAuthorship authorship) {
  History history{std::move(graph), std::move(targets), std::move(authorship), {}, {}};
  const RevisionGraph& g = history.graph;
  history.added_by.assign(g.size(), nullptr);
  if (const std::shared_ptr<const FileAuthorships>& files = history.authorship.files) {
    for (std::size_t m = 0; m < g.size(); ++m) {
      auto found = files->find(g.at(m).file.filename().string());
      if (found != files->end()) {
        history.added_by[m] = &found->second;
      }
    }
  }
  history.head.assign(g.size(), false);
  for (std::size_t m : g.heads()) {
    history.head[m] = true;
  }
  return history;
}

const DatabaseStatus& History::first_status() const {
  if (targets.empty()) {
    throw DbError("no database to read the history's state from");
  }
  const TargetRead& first = targets.front();
  if (!first.status) {
    throw DbError(first.error.empty() ? "cannot read " + first.database : first.error);
  }
  return *first.status;
}

}  // namespace migrate
