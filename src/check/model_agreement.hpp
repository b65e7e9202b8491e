#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "git/git_repo.hpp"

namespace migrate {

/// The commits whose model and migrations the gate found to agree, remembered between runs (in
/// the repository's .git/migrate/, beside the parse cache): a commit that changes neither the
/// model nor the migrations since one that agreed is not replayed again, which is most commits.
///
/// A commit is known by a key (agreement_key) that names everything the answer depends on, so
/// a remembered agreement never goes stale: another model, another migration, another build of
/// migrate or another engine is another key. Only agreements are remembered; a damaged file is
/// ignored and rewritten. A shortcut, never a source of truth.
class ModelAgreements {
 public:
  /// How many keys are kept: the newest.
  static constexpr std::size_t kKept = 64;

  /// The agreements remembered in `file`; none when it is missing or unreadable.
  static ModelAgreements load(const std::filesystem::path& file);

  bool contains(const std::string& key) const;
  /// Remembers `key` as the newest; the oldest beyond kKept are forgotten.
  void add(const std::string& key);
  /// Writes them to `file` all at once (creating its folder). Throws IoError when it cannot.
  void save(const std::filesystem::path& file) const;

 private:
  std::vector<std::string> m_keys;  ///< oldest first
};

/// The key of a commit for ModelAgreements: a hash of `settings` (what decides the answer
/// besides the files: migrate's build, the engine and its development server, the state table,
/// the folder's format), and of the model's and the migrations folder's blobs, by path and id.
std::string agreement_key(const std::vector<std::string>& settings,
                          const std::vector<GitFolderEntry>& model,
                          const std::vector<GitFolderEntry>& migrations);

}  // namespace migrate
