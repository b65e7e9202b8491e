#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace migrate {

/// A file of what migrate remembers between runs (its caches), sealed with the SHA-256 of its
/// content, so a torn or damaged one is never taken for a small or different one. The caches
/// are shortcuts, never sources of truth: whatever does not read back whole reads as none.

/// The content `file` was sealed with; nullopt when it is missing, unreadable or damaged.
std::optional<std::string> read_sealed_file(const std::filesystem::path& file);

/// Seals `content` into `file` at once (a temporary beside it, renamed), its folder created,
/// what a killed writer left beside it removed. Throws IoError.
void write_sealed_file(const std::filesystem::path& file, std::string content);

/// write_sealed_file, best effort: a cache that cannot be written (a read-only .git, a full
/// disk) only costs the next run its shortcut.
void write_sealed_file_quietly(const std::filesystem::path& file, std::string content) noexcept;

}  // namespace migrate
