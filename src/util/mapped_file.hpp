#pragma once

#include <sys/types.h>

#include <cstddef>
#include <filesystem>
#include <string_view>

namespace migrate {

/// A file's bytes mapped into memory copy-on-write, with room after them: reading touches only
/// the pages read, writing copies only the pages written, and the file itself never changes.
/// For a large cache read whole on every run (the lint replay's database image), where
/// reading it into a string would fault in and copy every page twice.
///
/// The file must not be truncated while mapped (a read past its new end would raise SIGBUS):
/// migrate's caches are replaced by rename, never rewritten in place.
class MappedFile {
 public:
  MappedFile() = default;
  /// Maps `path` and `headroom` more bytes of zeroes after it (address space only, until
  /// written). Throws IoError naming the file when it cannot be opened or mapped, or is not a
  /// regular file (a link is not followed).
  MappedFile(const std::filesystem::path& path, std::size_t headroom);
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  MappedFile(MappedFile&& other) noexcept;
  /// Swaps: `other` is left with this one's mapping, unmapped when it goes.
  MappedFile& operator=(MappedFile&& other) noexcept;
  ~MappedFile();

  /// The file's bytes, as they were when mapped (or as written since).
  std::string_view text() const { return {m_data, m_size}; }
  /// The first byte: the file's, then the headroom's; writable.
  char* data() const { return m_data; }
  /// The file's size.
  std::size_t size() const { return m_size; }
  /// The file's size and the headroom.
  std::size_t capacity() const { return m_capacity; }
  /// Who owns the file mapped (its stat, from the descriptor mapped: not a path looked up
  /// again, which another file could have been renamed onto meanwhile).
  uid_t owner() const { return m_owner; }

 private:
  char* m_data = nullptr;
  std::size_t m_size = 0;
  std::size_t m_capacity = 0;
  uid_t m_owner = 0;
};

}  // namespace migrate
