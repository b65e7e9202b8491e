#include "util/mapped_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/file_descriptor.hpp"

namespace migrate {

namespace {

[[noreturn]] void fail(const std::filesystem::path& path, std::string_view doing) {
  throw IoError(fmt::format("cannot {} {}: {}", doing, path.string(), std::strerror(errno)));
}

}  // namespace

MappedFile::MappedFile(const std::filesystem::path& path, std::size_t headroom) {
  // Not through a link, and never waiting: a cache's path where someone else can write (a
  // HOME kept by sudo) could hold a link or a FIFO, whose open would block.
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
  if (fd.get() < 0) {
    fail(path, "open");
  }
  struct stat status {};
  if (::fstat(fd.get(), &status) != 0) {
    fail(path, "read the size of");
  }
  if (!S_ISREG(status.st_mode)) {
    throw IoError(fmt::format("cannot map {}: not a regular file", path.string()));
  }
  m_owner = status.st_uid;
  std::size_t size = static_cast<std::size_t>(status.st_size);
  std::size_t capacity = size + headroom;
  if (capacity == 0) {
    return;  // nothing to map
  }
  // The whole range first, as zero pages reserved but not committed (MAP_NORESERVE), then the
  // file over its start: one mapping the caller may write anywhere in, up to capacity.
  void* range = ::mmap(nullptr, capacity, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (range == MAP_FAILED) {
    fail(path, "reserve memory to map");
  }
  if (size > 0 && ::mmap(range, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, fd.get(),
                         0) == MAP_FAILED) {
    int error = errno;
    ::munmap(range, capacity);
    errno = error;
    fail(path, "map");
  }
  m_data = static_cast<char*>(range);
  m_size = size;
  m_capacity = capacity;
}

MappedFile::MappedFile(MappedFile&& other) noexcept
    : m_data(std::exchange(other.m_data, nullptr)),
      m_size(std::exchange(other.m_size, 0)),
      m_capacity(std::exchange(other.m_capacity, 0)),
      m_owner(other.m_owner) {}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
  std::swap(m_data, other.m_data);
  std::swap(m_size, other.m_size);
  std::swap(m_capacity, other.m_capacity);
  std::swap(m_owner, other.m_owner);
  return *this;
}

MappedFile::~MappedFile() {
  if (m_data != nullptr) {
    ::munmap(m_data, m_capacity);
  }
}

}  // namespace migrate
