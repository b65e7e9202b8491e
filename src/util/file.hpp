#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace migrate {

/// The whole content of a file; throws IoError naming the file when it cannot be read.
std::string read_file(const std::filesystem::path& path);

/// Who may read a file migrate writes: whoever the umask lets, as with any tool's files, or its
/// owner alone (what was read from a file that may hold a password, as migrate.conf may).
enum class Readers { anyone, owner };

/// Replaces a file's content all at once (write to a temporary beside it, then rename), so a
/// crash never leaves half a file.
void write_file_atomically(const std::filesystem::path& path, std::string_view content,
                           Readers readers = Readers::anyone);

/// Removes the temporaries of write_file_atomically(path) that a killed process left beside it
/// (`path.tmp<pid>` of a process that is gone). Never throws.
void remove_dead_temporaries(const std::filesystem::path& path) noexcept;

/// rename() that refuses to replace an existing `to` (-1 and errno EEXIST): RENAME_NOREPLACE
/// where the filesystem has it; elsewhere a check first (a narrow race, on filesystems that
/// leave no better way).
int rename_no_replace(const std::filesystem::path& from, const std::filesystem::path& to);

/// Creates a file that must not exist yet; throws when it does (never overwrites).
void create_new_file(const std::filesystem::path& path, std::string_view content);

/// `path` relative to `base` when it lies inside it, else `path` unchanged: for messages.
std::filesystem::path display_path(const std::filesystem::path& path,
                                   const std::filesystem::path& base);

/// Whether a '/'-separated path inside a folder lies in a hidden subfolder (`.x/…`), which
/// Flyway's scanner does not enter and neither do migrate's listings of a folder.
bool in_hidden_folder(std::string_view path);

}  // namespace migrate
