#pragma once

#include <utility>

#include "git/git_repo.hpp"
#include "git/libgit2/git_handle.hpp"

namespace migrate {

/// A GitTree that libgit2 read.
class Libgit2Tree : public GitTree {
 public:
  explicit Libgit2Tree(GitTreeHandle tree) : m_tree(std::move(tree)) {}
  const git_tree* get() const { return m_tree.get(); }

 private:
  GitTreeHandle m_tree;
};

/// The libgit2 tree of a GitTree this backend made; null for null. Every GitTree is a
/// Libgit2Tree: the backend is the only maker of trees.
inline const git_tree* raw_tree(const GitTree* tree) {
  return tree != nullptr ? static_cast<const Libgit2Tree*>(tree)->get() : nullptr;
}

}  // namespace migrate
