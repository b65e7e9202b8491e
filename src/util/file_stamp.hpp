#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace migrate {

/// What `stat` says about a file, as git's index keeps it: enough to tell, without reading
/// it, that a file is the one a cache entry was made from. Any write changes the ctime (which
/// no user can set back), a rename in place the inode.
struct FileStamp {
  std::uint64_t device = 0;
  std::uint64_t inode = 0;
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::int64_t ctime_ns = 0;

  /// The stamp as a cache key's content id: "stat:<device>:<inode>:<size>:<mtime>:<ctime>".
  std::string text() const;
  /// text(), appended to `out`.
  void append_text(std::string& out) const;
};

/// The stamp of the file at `path` (links followed); nullopt when it cannot be stat'ed.
std::optional<FileStamp> stamp_of(const std::filesystem::path& path);
/// The same for `name` in the folder open as `folder_fd` (one lookup, not a path's); with
/// `folder`, whether it is a folder.
std::optional<FileStamp> stamp_at(int folder_fd, const char* name, bool* folder = nullptr);

/// Whether the filesystem of the folder open as `folder_fd` moves the folder's mtime and ctime
/// whenever an entry is added, removed or renamed in it, so that the folder's stamp may stand
/// for its listing: the local filesystems Linux keeps itself (ext2-4, XFS, Btrfs, F2FS, tmpfs,
/// and overlayfs over them, as in a container). Not a network or FUSE filesystem, whose server
/// or attribute cache may not (as git leaves its untracked cache off until a filesystem passes
/// `git update-index --test-untracked-cache`).
bool folder_stamp_follows_entries(int folder_fd);

/// When a run began reading files, on the clock file timestamps come from (the kernel's coarse
/// real-time clock, which never runs ahead of a timestamp written after it).
///
/// Git's racy-timestamp rule: a file changed in the same timestamp granule as the read that
/// cached it can change again without its stamp changing. A cache therefore trusts no stamp
/// younger than the run that took it (less two seconds: FAT's granule, and a file server's
/// clock): such a file is read each time, until a later run remembers it. As in git, a network
/// filesystem whose client caches attributes (NFS's acregmax) can still hide a change made on
/// another machine for that long.
class ReadStart {
 public:
  /// Now.
  ReadStart();
  /// A read that starts `ns` after the epoch: for a test that needs a file it just wrote to be
  /// as old to the cache as one written long before (its ctime cannot be set back).
  static ReadStart at(std::int64_t ns);
  /// Whether a file with this stamp changed too recently to be remembered by its stamp.
  bool racy(const FileStamp& stamp) const;

 private:
  std::int64_t m_ns;
};

}  // namespace migrate
