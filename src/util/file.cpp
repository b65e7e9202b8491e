#include "util/file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/file_descriptor.hpp"
#include "util/process_gone.hpp"

namespace migrate {

namespace {

[[noreturn]] void fail(std::string_view what, const std::filesystem::path& path) {
  throw IoError(fmt::format("cannot {} {}: {}", what, path.string(), std::strerror(errno)));
}

}  // namespace

void write_all(int fd, std::string_view content, const std::filesystem::path& path) {
  while (!content.empty()) {
    ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      fail("write", path);
    }
    content.remove_prefix(static_cast<std::size_t>(n));
  }
}

/// rename() that refuses to replace an existing `to`. RENAME_NOREPLACE where the filesystem
/// has it; elsewhere a check first (a narrow race, on filesystems that leave no better way).
int rename_no_replace(const std::filesystem::path& from, const std::filesystem::path& to) {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) {
    return 0;
  }
  if (errno != EINVAL && errno != ENOSYS) {
    return -1;
  }
  if (::access(to.c_str(), F_OK) == 0) {
    errno = EEXIST;
    return -1;
  }
  return ::rename(from.c_str(), to.c_str());
}

std::string read_file(const std::filesystem::path& path) {
  // open, read, close: a read that returns less than asked is at the end of a regular file, so
  // a migration (a few KiB) costs three system calls, not five with fstat and a final read.
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    fail("read", path);
  }
  constexpr std::size_t kChunk = 64 * 1024;
  char buffer[kChunk];  // on the stack: no 64 KiB allocation (and zeroing) per file
  std::string content;
  for (;;) {
    ssize_t n = ::read(fd.get(), buffer, kChunk);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      fail("read", path);
    }
    content.append(buffer, static_cast<std::size_t>(n));
    if (static_cast<std::size_t>(n) < kChunk) {
      return content;
    }
    // A large file (a cache of megabytes): room for all of it at once, rather than growing
    // and copying the string chunk by chunk.
    struct stat status {};
    if (content.size() == kChunk && ::fstat(fd.get(), &status) == 0 &&
        static_cast<std::size_t>(status.st_size) > kChunk) {
      content.reserve(static_cast<std::size_t>(status.st_size) + 1);
    }
  }
}

void write_file_atomically(const std::filesystem::path& path, std::string_view content,
                           Readers readers) {
  std::filesystem::path temporary = path;
  temporary += fmt::format(".tmp{}", ::getpid());
  try {
    // Created with its mode: an owner's file is never readable by others, not even a moment.
    FileDescriptor fd(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
                             readers == Readers::owner ? 0600 : 0666));
    if (fd.get() < 0) {
      fail("write", temporary);
    }
    // O_CREAT's mode is for a new file only: a temporary of a killed process with this pid
    // (pids come round again in a container) keeps its own.
    if (readers == Readers::owner && ::fchmod(fd.get(), 0600) != 0) {
      fail("write", temporary);
    }
    write_all(fd.get(), content, temporary);
    if (fd.close() != 0) {
      fail("write", temporary);
    }
  } catch (const IoError&) {
    ::unlink(temporary.c_str());  // a full disk leaves no half-written temporary behind
    throw;
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    int saved = errno;
    ::unlink(temporary.c_str());
    errno = saved;
    fail("replace", path);
  }
}

void remove_dead_temporaries(const std::filesystem::path& path) noexcept {
  const std::string prefix = path.filename().string() + ".tmp";
  std::error_code error;
  for (std::filesystem::directory_iterator it(path.parent_path(), error), end; !error && it != end;
       it.increment(error)) {
    std::string name = it->path().filename().string();
    if (!name.starts_with(prefix) || name.size() == prefix.size() ||
        name.find_first_not_of("0123456789", prefix.size()) != std::string::npos) {
      continue;
    }
    long pid = std::strtol(name.c_str() + prefix.size(), nullptr, 10);
    if (process_gone(pid)) {
      std::error_code ignored;
      std::filesystem::remove(it->path(), ignored);
    }
  }
}

void create_new_file(const std::filesystem::path& path, std::string_view content) {
  FileDescriptor fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666));
  if (fd.get() < 0) {
    fail("create", path);
  }
  write_all(fd.get(), content, path);
  if (fd.close() != 0) {
    fail("write", path);
  }
}

std::filesystem::path display_path(const std::filesystem::path& path,
                                   const std::filesystem::path& base) {
  if (base.empty() || !path.is_absolute()) {
    return path;
  }
  std::filesystem::path relative = path.lexically_relative(base);
  if (relative.empty() || *relative.begin() == "..") {
    return path;
  }
  return relative;
}

bool in_hidden_folder(std::string_view path) {
  for (std::size_t start = 0;;) {
    std::size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) {
      return false;  // the last part is the file's own name
    }
    if (path[start] == '.') {
      return true;
    }
    start = slash + 1;
  }
}

}  // namespace migrate
