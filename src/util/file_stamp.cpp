#include "util/file_stamp.hpp"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>

#include <iterator>

#include <fmt/compile.h>
#include <fmt/format.h>

namespace migrate {

namespace {

/// How much younger than a read's start a file must be to be trusted: two seconds, as FAT keeps
/// times to 2 s, and a file server's clock may lag this machine's a little. A file changed
/// within them is read again, which costs one parse.
constexpr std::int64_t kRacyMargin = 2'000'000'000;

std::int64_t nanoseconds(const timespec& time) {
  return static_cast<std::int64_t>(time.tv_sec) * 1'000'000'000 + time.tv_nsec;
}

}  // namespace

std::string FileStamp::text() const {
  std::string text;
  append_text(text);
  return text;
}

void FileStamp::append_text(std::string& out) const {
  // Compiled: a folder's state writes one for each of thousands of files.
  fmt::format_to(std::back_inserter(out), FMT_COMPILE("stat:{}:{}:{}:{}:{}"), device, inode, size,
                 mtime_ns, ctime_ns);
}

std::optional<FileStamp> stamp_at(int folder_fd, const char* name, bool* folder) {
  struct stat info;
  if (::fstatat(folder_fd, name, &info, 0) != 0) {
    return std::nullopt;
  }
  if (folder != nullptr) {
    *folder = S_ISDIR(info.st_mode);
  }
  return FileStamp{static_cast<std::uint64_t>(info.st_dev), static_cast<std::uint64_t>(info.st_ino),
                   static_cast<std::uint64_t>(info.st_size), nanoseconds(info.st_mtim),
                   nanoseconds(info.st_ctim)};
}

bool folder_stamp_follows_entries(int folder_fd) {
  struct statfs filesystem;
  if (::fstatfs(folder_fd, &filesystem) != 0) {
    return false;
  }
  switch (static_cast<unsigned long>(filesystem.f_type)) {
    case EXT4_SUPER_MAGIC:  // ext2 and ext3 too
    case XFS_SUPER_MAGIC:
    case BTRFS_SUPER_MAGIC:
    case F2FS_SUPER_MAGIC:
    case TMPFS_MAGIC:
    case OVERLAYFS_SUPER_MAGIC:
      return true;
    default:
      return false;
  }
}

std::optional<FileStamp> stamp_of(const std::filesystem::path& path) {
  return stamp_at(AT_FDCWD, path.c_str());
}

ReadStart::ReadStart() {
  timespec now{};
  ::clock_gettime(CLOCK_REALTIME_COARSE, &now);
  m_ns = nanoseconds(now) - kRacyMargin;
}

ReadStart ReadStart::at(std::int64_t ns) {
  ReadStart start;
  start.m_ns = ns - kRacyMargin;
  return start;
}

bool ReadStart::racy(const FileStamp& stamp) const {
  return stamp.mtime_ns >= m_ns || stamp.ctime_ns >= m_ns;
}

}  // namespace migrate
