#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "git/git_repo.hpp"
#include "git/libgit2/git_handle.hpp"

namespace migrate {

/// A GitIndex over libgit2's index of a repository (read from disk when made).
class Libgit2Index : public GitIndex {
 public:
  explicit Libgit2Index(GitIndexHandle index) : m_index(std::move(index)) {}
  git_index* get() const { return m_index.get(); }

  bool contains(const std::string& path) const override;
  bool has_conflicts() const override;
  std::vector<std::string> conflicted_paths() const override;
  bool drop_conflict(const std::string& path) override;
  void stage(const std::string& path) override;
  void unstage(const std::string& path) override;
  void write() override;
  std::vector<GitFolderEntry> folder(std::string_view folder) const override;
  std::vector<GitFolderEntry> files_at(std::string_view prefix) const override;

 private:
  GitIndexHandle m_index;
};

/// The libgit2 index of a GitIndex this backend made. Every GitIndex is a Libgit2Index: the
/// backend is the only maker of indexes.
inline git_index* raw_index(const GitIndex& index) {
  return static_cast<const Libgit2Index&>(index).get();
}

}  // namespace migrate
