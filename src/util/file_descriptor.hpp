#pragma once

#include <unistd.h>

#include <filesystem>
#include <string_view>
#include <utility>

namespace migrate {

/// Owns a POSIX file descriptor.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : m_fd(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  FileDescriptor(FileDescriptor&& other) noexcept : m_fd(other.m_fd) { other.m_fd = -1; }
  FileDescriptor& operator=(FileDescriptor&& other) noexcept {
    std::swap(m_fd, other.m_fd);
    return *this;
  }
  ~FileDescriptor() {
    if (m_fd >= 0) {
      ::close(m_fd);
    }
  }
  int get() const { return m_fd; }
  /// Closes now, reporting the error a deferred close would swallow.
  int close() {
    int rc = ::close(m_fd);
    m_fd = -1;
    return rc;
  }

 private:
  int m_fd;
};

/// Writes all of `content` to `fd`, however many writes that takes; throws IoError naming
/// `path` when one fails.
void write_all(int fd, std::string_view content, const std::filesystem::path& path);

}  // namespace migrate
