#include "support/hot_journal.hpp"

#include <sqlite3.h>

#include <fstream>
#include <stdexcept>
#include <string>

namespace migrate::test {

namespace {

void exec(sqlite3* db, const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error != nullptr ? error : "?";
    sqlite3_free(error);
    throw std::runtime_error(std::string(sql) + ": " + message);
  }
}

}  // namespace

void leave_hot_journal(const std::filesystem::path& database) {
  // A writer whose cache is too small for its transaction spills: it syncs the journal (the
  // original pages) and then overwrites pages of the database file, before any commit. A copy
  // of both files taken at that moment is exactly what a kill at that moment leaves behind.
  std::filesystem::path scratch = database.string() + ".scratch";
  std::filesystem::path journal = database.string() + "-journal";
  std::filesystem::copy_file(database, scratch);
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(scratch.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    sqlite3_close_v2(db);
    throw std::runtime_error("cannot open " + scratch.string());
  }
  try {
    exec(db, "PRAGMA cache_size = 2");
    exec(db, "BEGIN IMMEDIATE");
    exec(db,
         "CREATE TABLE hot_journal_filler (x);"
         "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 300) "
         "INSERT INTO hot_journal_filler SELECT randomblob(2000) FROM c;");
    std::filesystem::path scratch_journal = scratch.string() + "-journal";
    if (!std::filesystem::exists(scratch_journal) ||
        std::filesystem::file_size(scratch_journal) == 0) {
      throw std::runtime_error("the transaction left no journal to copy");
    }
    std::filesystem::copy_file(scratch, database,
                               std::filesystem::copy_options::overwrite_existing);
    std::filesystem::copy_file(scratch_journal, journal,
                               std::filesystem::copy_options::overwrite_existing);
    exec(db, "ROLLBACK");
  } catch (...) {
    sqlite3_close_v2(db);
    std::filesystem::remove(scratch);
    throw;
  }
  sqlite3_close_v2(db);
  std::filesystem::remove(scratch);
}

bool has_hot_journal(const std::filesystem::path& database) {
  std::ifstream journal(database.string() + "-journal", std::ios::binary);
  char first = 0;
  return journal.get(first) && first != 0;
}

}  // namespace migrate::test
