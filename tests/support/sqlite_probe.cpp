#include "support/sqlite_probe.hpp"

#include <sqlite3.h>

#include <stdexcept>

namespace migrate::test {

namespace {

struct RawSqlite {
  explicit RawSqlite(const std::filesystem::path& path) {
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
        SQLITE_OK) {
      std::string message = db ? sqlite3_errmsg(db) : "out of memory";
      sqlite3_close_v2(db);
      throw std::runtime_error("cannot open " + path.string() + ": " + message);
    }
    sqlite3_busy_timeout(db, 10'000);
  }
  ~RawSqlite() { sqlite3_close_v2(db); }
  sqlite3* db = nullptr;
};

}  // namespace

Rows sqlite_rows(const std::filesystem::path& database, const std::string& sql) {
  RawSqlite connection(database);
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(connection.db, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
    throw std::runtime_error(sql + ": " + sqlite3_errmsg(connection.db));
  }
  Rows rows;
  while (sqlite3_step(statement) == SQLITE_ROW) {
    std::vector<std::string>& row = rows.emplace_back();
    for (int c = 0; c < sqlite3_column_count(statement); ++c) {
      const unsigned char* text = sqlite3_column_text(statement, c);
      row.emplace_back(text ? reinterpret_cast<const char*>(text) : "NULL");
    }
  }
  sqlite3_finalize(statement);
  return rows;
}

std::vector<std::string> sqlite_column(const std::filesystem::path& database,
                                       const std::string& sql) {
  std::vector<std::string> column;
  for (const auto& row : sqlite_rows(database, sql)) {
    column.push_back(row.at(0));
  }
  return column;
}

void sqlite_exec(const std::filesystem::path& database, const std::string& sql) {
  RawSqlite connection(database);
  char* error = nullptr;
  if (sqlite3_exec(connection.db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : "?";
    sqlite3_free(error);
    throw std::runtime_error(sql + ": " + message);
  }
}

std::vector<std::string> schema_objects(const std::filesystem::path& database) {
  return sqlite_column(database,
                       "SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') AND name "
                       "NOT LIKE 'sqlite_%' ORDER BY name");
}

std::vector<std::string> applied_ids(const std::filesystem::path& database,
                                     const std::string& table) {
  // Versions by number (then as text: 1.1 before 1.10 before 1.2), then names (a Flyway
  // repeatable's R__…, a baseline's B5) as text.
  return sqlite_column(database, "SELECT id FROM \"" + table +
                                     "\" ORDER BY id NOT GLOB '[0-9]*', CAST(id AS INTEGER), id");
}

int sqlite_foreign_keys(sqlite3* db) {
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db, "PRAGMA foreign_keys", -1, &statement, nullptr) != SQLITE_OK ||
      sqlite3_step(statement) != SQLITE_ROW) {
    sqlite3_finalize(statement);
    throw std::runtime_error(std::string("PRAGMA foreign_keys: ") + sqlite3_errmsg(db));
  }
  int value = sqlite3_column_int(statement, 0);
  sqlite3_finalize(statement);
  return value;
}

}  // namespace migrate::test
