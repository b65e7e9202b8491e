#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "git/git_repo.hpp"
#include "migration/migration.hpp"
#include "migration/migration_format.hpp"

namespace migrate {

/// A migrations folder as a git tree or the index holds it: its files by name, and the
/// migrations parsed from them (read_migration_files' rules and errors).
struct GitMigrationFolder {
  std::string folder;                   ///< relative to the work tree's root ("migrations")
  std::vector<GitFolderEntry> entries;  ///< every blob directly in it, sorted by name
  /// The text of `HEAD` in the folder; nullopt when there is none.
  std::optional<std::string> head_file;

  /// The entry named `name`, or nullptr.
  const GitFolderEntry* find(std::string_view name) const;
  /// Parses the migration files in the folder's format (`choice`, else detected), through the
  /// repository's ParseCache: a blob parsed by an earlier run is not read again. Throws
  /// ParseError (InvalidFiles for several).
  /// `skip_go`: a goose folder's Go migrations are passed over quietly rather than refused
  /// (`skip-go`; nothing runs here, so nothing needs a warning).
  std::vector<Migration> parse(const GitRepo& repo, const std::optional<FormatChoice>& choice,
                               bool skip_go) const;
};

/// Where parse() remembers what it parsed: in the repository's .git, shared by its work
/// trees, as blob ids are.
std::filesystem::path parse_cache_file(const GitRepo& repo);

/// The folder in a tree (a commit's: HEAD, upstream); empty when the tree lacks it.
GitMigrationFolder migration_folder_in_tree(const GitRepo& repo, const GitTree& tree,
                                            std::string_view folder);
/// The folder as staged in the index (conflicted files are not in it).
GitMigrationFolder migration_folder_in_index(const GitRepo& repo, const GitIndex& index,
                                             std::string_view folder);

}  // namespace migrate
