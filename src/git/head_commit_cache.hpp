#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "util/file_stamp.hpp"

namespace migrate {

class GitRepo;

/// HEAD's commit id remembered with the stamps (util/file_stamp) of the files that decide it
/// (GitRepo::head_files: HEAD, the loose files of the references it leads through, packed-refs),
/// in .git/migrate/head-commit of the git folder around the folder it is for (a linked
/// worktree's own, which has its own HEAD). With it, an upgrade
/// that records the commit it ran from does not load libgit2, whose start (Debian's build
/// parses every CA certificate) and libraries (OpenSSL, Kerberos) were half of a one-migration
/// upgrade's time and memory.
///
/// A shortcut, never trusted further: any file whose stamp differs (a commit, a checkout, a
/// pack-refs), one too young for its stamp to tell (ReadStart::racy), another build's or a
/// damaged cache: HEAD is resolved again by git. Only a commit is remembered (not a failed
/// lookup, nor a branch before its first commit), and only for the git folder the cache is
/// in: where git opened another repository than the .git found around the folder (an invalid
/// .git inside the work tree, a worktree moved to a copy), nothing is.
class HeadCommitCache {
 public:
  /// The cache for the repository around `folder`; stamps younger than `start` are not
  /// trusted (tests give a later one, to which a file just written is old).
  explicit HeadCommitCache(const std::filesystem::path& folder,
                           const ReadStart& start = ReadStart());

  /// Whether a .git is around the folder (found by looking, without git): outside one there is
  /// no HEAD, and git need not be loaded to say so.
  bool in_repository() const { return m_in_repository; }
  /// The commit id remembered, when every file it was read from is as it was; nullopt otherwise.
  std::optional<std::string> find() const;
  /// Remembers `id`, which `repo` (the repository git found around the folder) just gave for
  /// HEAD. Not when a file changed too recently, or while this ran (HEAD then resolves to
  /// another id). Best effort: a cache that cannot be written costs the next run its shortcut.
  void store(const GitRepo& repo, const std::string& id) const noexcept;

 private:
  std::optional<std::filesystem::path> m_file;  ///< where it is remembered; none: nowhere
  std::string m_head;  ///< the canonical path of HEAD in the git folder around the folder
  std::string m_key;   ///< the file's first line: its version and migrate's build
  ReadStart m_start;
  bool m_in_repository = false;
};

}  // namespace migrate
