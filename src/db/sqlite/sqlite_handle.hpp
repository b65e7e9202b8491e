#pragma once

#include <sqlite3.h>

#include <memory>

namespace migrate {

/// The one owner of a `sqlite3*` connection: closed with sqlite3_close_v2.
struct SqliteDbCloser {
  void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
using SqliteDb = std::unique_ptr<sqlite3, SqliteDbCloser>;

/// The one owner of a prepared `sqlite3_stmt*`: finalized on every path.
struct SqliteStatementFinalizer {
  void operator()(sqlite3_stmt* statement) const noexcept { sqlite3_finalize(statement); }
};
using SqliteStatement = std::unique_ptr<sqlite3_stmt, SqliteStatementFinalizer>;

/// The one owner of a `sqlite3_backup*` (the online backup API), finished on every path.
struct SqliteBackupFinisher {
  void operator()(sqlite3_backup* backup) const noexcept { sqlite3_backup_finish(backup); }
};
using SqliteBackup = std::unique_ptr<sqlite3_backup, SqliteBackupFinisher>;

}  // namespace migrate
