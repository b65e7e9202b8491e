#pragma once

#include <filesystem>
#include <optional>
#include <vector>

#include "git/git_backend.hpp"
#include "util/file_stamp.hpp"

namespace migrate {

/// A git-config file's entries as the git backend read them, remembered by the file's stamp
/// (util/file_stamp) in .git/migrate/config/ of the repository around it, or outside one in
/// the user's cache folder (git_dir's cache_file: ~/.cache/migrate/config/), readable by the
/// user alone. With it, a command that needs no git never loads libgit2, whose start (Debian's
/// build reads every CA certificate) and libraries were most of a read command's time and
/// half its memory, in a repository or in a deploy's copy without one.
///
/// A shortcut, never trusted further: a stamp that differs in anything or is too young
/// (ReadStart::racy), another build (build_identity), a damaged file: the file is parsed
/// again. Where there is no repository and no cache folder (no HOME), nothing is remembered.
class ConfigCache {
 public:
  /// The cache for the git-config file at `path`; its stamp is taken now, before any read
  /// that starts at `start` (tests and fuzzing give a later one, to which the file is old).
  explicit ConfigCache(const std::filesystem::path& path, const ReadStart& start = ReadStart());

  /// The entries remembered for the file as it is; nullopt when there are none to trust.
  std::optional<std::vector<GitConfigEntry>> find() const;
  /// Remembers `entries`, read from the file after this cache was made. Best effort: a cache
  /// that cannot be written costs the next run its shortcut, nothing else.
  void store(const std::vector<GitConfigEntry>& entries) const noexcept;

 private:
  std::optional<std::filesystem::path> m_file;  ///< where it is remembered; none: nowhere
  std::string m_key;  ///< the file's first line: the stamp and build it was read under
};

}  // namespace migrate
