#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "util/file.hpp"
#include "util/mapped_file.hpp"

namespace migrate {

/// A file of what migrate remembers between runs (its caches), sealed with a checksum of its
/// content (util/fast_checksum), so a torn or damaged one is never taken for a small or
/// different one. The caches
/// are shortcuts, never sources of truth: whatever does not read back whole reads as none.

/// What a sealed file holds, mapped rather than read (util/mapped_file): a cache of megabytes
/// costs the pages read through it, not a copy of each.
class SealedContent {
 public:
  /// The content, without its seal; valid while this lives, wherever it is moved.
  std::string_view text() const;

 private:
  friend std::optional<SealedContent> read_sealed_file(const std::filesystem::path& file);
  /// A file whose seal was checked.
  explicit SealedContent(MappedFile file) : m_file(std::move(file)) {}
  MappedFile m_file;
};

/// The content `file` was sealed with; nullopt when it is missing, unreadable, damaged or
/// not the user's own (owned by another than the effective user).
std::optional<SealedContent> read_sealed_file(const std::filesystem::path& file);

/// Seals `content` into `file` at once (a temporary beside it, renamed), its folder created,
/// what a killed writer left beside it removed. Throws IoError.
void write_sealed_file(const std::filesystem::path& file, std::string content,
                       Readers readers = Readers::anyone);

/// write_sealed_file, best effort: a cache that cannot be written (a read-only .git, a full
/// disk) only costs the next run its shortcut.
void write_sealed_file_quietly(const std::filesystem::path& file, std::string content,
                               Readers readers = Readers::anyone) noexcept;

}  // namespace migrate
