#pragma once

#include <filesystem>

namespace migrate::test {

/// Leaves `database` as a process killed in the middle of a write transaction leaves it: its
/// pages partly overwritten and a hot journal (<database>-journal) beside it. Rolling the journal
/// back (which any connection that may write does by itself) restores the content as it was
/// before this call; a connection opened SQLITE_OPEN_READONLY cannot, and fails. Uses the raw C
/// API, never migrate's driver.
void leave_hot_journal(const std::filesystem::path& database);

/// Whether `database` has a hot journal: one that SQLite must roll back before anything reads
/// the database (while no process writes it). A journal whose header is still zeroes (the
/// transaction never synced it) is not hot: SQLite ignores it, and the next writer removes it.
bool has_hot_journal(const std::filesystem::path& database);

}  // namespace migrate::test
