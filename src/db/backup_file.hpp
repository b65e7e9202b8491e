#pragma once

#include <filesystem>

namespace migrate {

// The file a --backup writes: it holds everything the database holds, so it must never be
// readable by more people than the database is, not even for a moment.

/// Creates `path` as a new, empty file that only its owner may read and write (0600, whatever
/// the umask), for a backup to be written into. Throws DbError when it exists or cannot be
/// created.
void create_backup_file(const std::filesystem::path& path);

/// The mode a finished backup of the database file `database` gets: the database's own or 0600,
/// whichever is stricter (what both allow), so a 0640 database's backup is 0600 and a 0400
/// one's is 0400; an empty path (an in-memory database) gives 0600. Throws DbError when the
/// database cannot be looked at.
std::filesystem::perms backup_mode(const std::filesystem::path& database);

/// Gives the finished backup `path` its mode. Throws DbError.
void set_backup_mode(const std::filesystem::path& path, std::filesystem::perms mode);

}  // namespace migrate
