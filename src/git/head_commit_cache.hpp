#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "util/file_stamp.hpp"

namespace migrate {

class GitRepo;

/// HEAD's commit id remembered with the stamps (util/file_stamp) of the files that decide it
/// (GitRepo::head_files: HEAD, its branch's loose file, packed-refs), in .git/migrate/head/ of
/// the repository around the folder it is for. With it, an upgrade that records the commit
/// it ran from does not load libgit2, whose start (Debian's build parses every CA certificate)
/// and libraries (OpenSSL, Kerberos) were 5 ms and 5 MiB of it.
///
/// A shortcut, never trusted further: any file whose stamp differs (a commit, a checkout, a
/// pack-refs), one too young for its stamp to tell (ReadStart::racy), a damaged cache: HEAD is
/// resolved again by git. Outside a repository nothing is remembered.
class HeadCommitCache {
 public:
  /// The cache for the repository around `folder`; stamps younger than `start` are not
  /// trusted (tests give a later one, to which a file just written is old).
  explicit HeadCommitCache(const std::filesystem::path& folder,
                           const ReadStart& start = ReadStart());

  /// The commit id remembered ("" for HEAD before the first commit), when every file it was
  /// read from is as it was; nullopt otherwise.
  std::optional<std::string> find() const;
  /// Remembers `id`, which `repo` (the repository around the folder) just gave for HEAD. Not
  /// when a file changed too recently, or while this ran (HEAD resolves again to another id).
  /// Best effort: a cache that cannot be written costs the next run its shortcut.
  void store(const GitRepo& repo, const std::string& id) const noexcept;

 private:
  std::optional<std::filesystem::path> m_file;  ///< where it is remembered; none: nowhere
  ReadStart m_start;
};

}  // namespace migrate
