#include "db/sqlite/sqlite_connection.hpp"

#include <unistd.h>

#include <algorithm>
#include <iterator>
#include <thread>

#include <fmt/format.h>

#include "db/backup_file.hpp"
#include "db/lock_wait_note.hpp"
#include "db/sqlite/sqlite_dialect.hpp"
#include "util/sql_text.hpp"
#include "util/text.hpp"

namespace migrate {

namespace {

std::filesystem::path folder_of(const std::filesystem::path& file) {
  std::filesystem::path parent = file.parent_path();
  return parent.empty() ? std::filesystem::path(".") : parent;
}

/// Why SQLite cannot create the database or its journal in the file's folder; empty when it can.
std::string folder_obstacle(const std::filesystem::path& file) {
  std::filesystem::path folder = folder_of(file);
  if (::access(folder.c_str(), W_OK) != 0) {
    return fmt::format(
        "the folder {} is not writable: SQLite creates the database and its journal there",
        folder.string());
  }
  return {};
}

/// Why SQLite cannot write the database file (when it exists); empty when it can.
std::string file_obstacle(const std::filesystem::path& file) {
  std::error_code error;
  if (std::filesystem::exists(file, error) && ::access(file.c_str(), W_OK) != 0) {
    return fmt::format("the database file {} is read-only", file.string());
  }
  return {};
}

/// What keeps SQLite from writing the database or its journal; empty when nothing does.
std::string write_obstacle(const std::filesystem::path& file) {
  std::string folder = folder_obstacle(file);
  return folder.empty() ? file_obstacle(file) : folder;
}

std::string open_problem(const DatabaseUrl& url, bool read_only) {
  std::filesystem::path parent = folder_of(url.path);
  std::error_code error;
  bool exists = std::filesystem::exists(url.path, error);
  if (!exists && !std::filesystem::is_directory(parent, error)) {
    return fmt::format(
        "cannot create the SQLite database {}: the folder {} does not exist. Create it "
        "(mkdir -p {}) or fix the path in --database or migrate.conf",
        url.path.string(), parent.string(), parent.string());
  }
  if (read_only) {
    return {};
  }
  if (std::string folder = folder_obstacle(url.path); !folder.empty()) {
    return folder + ". Make it writable, or put the database elsewhere";
  }
  if (std::string file = file_obstacle(url.path); !file.empty()) {
    return file + ": make it writable to change it";
  }
  return {};
}

}  // namespace

SqliteConnection::SqliteConnection(const DatabaseUrl& url, const ConnectOptions& options)
    : m_name(url.redacted()),
      m_path(url.memory ? std::filesystem::path() : url.path),
      m_lock_timeout(options.lock_timeout),
      // Braces, not make_unique: clang 14 (make fuzz) has no parenthesized aggregate init.
      m_lock_wait(new LockWait{m_name, m_lock_timeout, options.on_lock_wait}) {
  const bool read_only = options.read_only;
  std::string path = url.memory ? ":memory:" : url.path.string();
  if (!url.memory) {
    if (std::string problem = open_problem(url, read_only); !problem.empty()) {
      throw DbError(problem);
    }
  }
  // A reader opens read-write, without CREATE and with query_only, whenever it may write the
  // file and its folder: it then never creates or changes anything itself, but SQLite can roll
  // back the hot journal an interrupted write left behind (SQLITE_OPEN_READONLY cannot, and
  // would refuse every read until something else did). Only a database that really is
  // read-only is opened SQLITE_OPEN_READONLY.
  const bool query_only = read_only && !url.memory && write_obstacle(url.path).empty();
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  if (query_only) {
    flags = SQLITE_OPEN_READWRITE;
  } else if (read_only) {
    flags = SQLITE_OPEN_READONLY;
  }
  // No mutex of SQLite's own around each call (Debian's library defaults to serialized): a
  // connection is used by one thread at a time, and sqlite3_interrupt (cancel) needs none. It
  // was a lock and an unlock around every column of every row read.
  flags |= SQLITE_OPEN_NOMUTEX;
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  m_db.reset(raw);
  if (rc != SQLITE_OK) {
    throw DbError(fmt::format("cannot open the SQLite database {}: {}", path,
                              raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  }
  sqlite3_busy_handler(m_db.get(), &SqliteConnection::wait_for_lock, m_lock_wait.get());
  if (query_only) {
    execute("PRAGMA query_only = ON");
  }
  for (const std::string& setting : session_settings()) {
    execute(setting);
  }
}

const Dialect& SqliteConnection::dialect() const {
  return sqlite_dialect();
}

int SqliteConnection::wait_for_lock(void* lock_wait, int count) {
  using namespace std::chrono;
  // SQLite's own back-off (sqliteDefaultBusyCallback), then 100 ms at a time.
  constexpr int kDelays[] = {1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100};
  // Brief contention is not worth a line.
  constexpr milliseconds kWorthSaying{100};
  LockWait& wait = *static_cast<LockWait*>(lock_wait);
  const steady_clock::time_point now = steady_clock::now();
  if (count == 0) {  // a new wait (a cancel() before it was for what ran before)
    wait.started = now;
    wait.cancelled = false;
  }
  const milliseconds waited = duration_cast<milliseconds>(now - wait.started);
  if (wait.cancelled || waited >= wait.timeout) {
    return 0;  // SQLITE_BUSY
  }
  if (!wait.told && waited >= kWorthSaying && wait.on_wait) {
    wait.told = true;
    try {
      wait.on_wait(lock_wait_note("write lock", wait.database, "another process", wait.timeout));
    } catch (...) {  // nothing may be thrown through SQLite
    }
  }
  int delay =
      kDelays[std::min<std::size_t>(static_cast<std::size_t>(count), std::size(kDelays) - 1)];
  std::this_thread::sleep_for(std::min(milliseconds(delay), wait.timeout - waited));
  return 1;
}

void SqliteConnection::fail(int rc, std::optional<std::size_t> offset) {
  int code = rc & 0xff;
  std::string message = sqlite3_errmsg(m_db.get());
  if (code == SQLITE_BUSY && m_lock_wait->cancelled) {
    throw StatementError("interrupted while waiting for the write lock", offset);
  }
  if (code == SQLITE_BUSY || code == SQLITE_LOCKED) {
    throw LockTimeout(fmt::format(
        "{} is locked by another process; gave up after {} ms (wait longer with --lock-timeout)",
        m_name, m_lock_timeout.count()));
  }
  if ((code == SQLITE_READONLY || code == SQLITE_CANTOPEN) && !m_path.empty()) {
    // Only what is really so: a writable file gets no read-only hint.
    std::string obstacle = write_obstacle(m_path);
    if (sqlite3_extended_errcode(m_db.get()) == SQLITE_READONLY_ROLLBACK) {
      throw StatementError(
          fmt::format(
              "{} has a hot journal ({}-journal): a write to it was interrupted, and SQLite "
              "must roll that back before anything can read the database, which needs write "
              "access ({}). Make it writable, or run the command as a user who may write it: "
              "the rollback then happens by itself",
              m_path.string(), m_path.string(),
              obstacle.empty() ? std::string("it was opened read-only") : obstacle),
          offset);
    }
    if (!obstacle.empty()) {
      message += fmt::format(" ({})", obstacle);
    }
  }
  throw StatementError(message, offset);
}

SqliteStatement SqliteConnection::prepare(std::string_view sql, const char** tail,
                                          std::size_t base_offset) {
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(m_db.get(), sql.data(), static_cast<int>(sql.size()), &raw, tail);
  SqliteStatement statement(raw);
  if (rc != SQLITE_OK) {
    int at = sqlite3_error_offset(m_db.get());
    std::size_t offset =
        base_offset + (at >= 0 ? static_cast<std::size_t>(at) : blank_sql_prefix(sql));
    fail(rc, offset);
  }
  return statement;
}

void SqliteConnection::bind(sqlite3_stmt* statement, const std::vector<SqlValue>& params) {
  for (std::size_t i = 0; i < params.size(); ++i) {
    std::string name = dialect().placeholder(static_cast<int>(i) + 1);  // bound by name
    int index = sqlite3_bind_parameter_index(statement, name.c_str());
    if (index == 0) {
      continue;  // this statement does not use $i
    }
    int rc = params[i] ? sqlite3_bind_text(statement, index, params[i]->data(),
                                           static_cast<int>(params[i]->size()), SQLITE_TRANSIENT)
                       : sqlite3_bind_null(statement, index);
    if (rc != SQLITE_OK) {
      fail(rc, std::nullopt);
    }
  }
}

namespace {

/// Resets a cached statement and its bindings when its use ends, however it ends, so it holds
/// no read lock and no stale values.
class StatementUse {
 public:
  explicit StatementUse(sqlite3_stmt* statement) : m_statement(statement) {}
  StatementUse(const StatementUse&) = delete;
  StatementUse& operator=(const StatementUse&) = delete;
  ~StatementUse() {
    sqlite3_reset(m_statement);
    sqlite3_clear_bindings(m_statement);
  }

 private:
  sqlite3_stmt* m_statement;
};

}  // namespace

sqlite3_stmt* SqliteConnection::cached(std::string_view sql) {
  auto found = m_statements.find(std::string(sql));
  if (found != m_statements.end()) {
    return found->second.get();
  }
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v3(m_db.get(), sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
  SqliteStatement statement(raw);
  if (rc != SQLITE_OK) {
    int at = sqlite3_error_offset(m_db.get());
    fail(rc, at >= 0 ? std::optional<std::size_t>(at) : std::nullopt);
  }
  return m_statements.emplace(std::string(sql), std::move(statement)).first->second.get();
}

void SqliteConnection::execute(std::string_view sql, const std::vector<SqlValue>& params) {
  sqlite3_stmt* statement = params.empty() ? nullptr : cached(sql);
  if (statement != nullptr) {  // one statement with values, typically run again and again
    StatementUse use(statement);
    bind(statement, params);
    int rc;
    while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
    }
    if (rc != SQLITE_DONE) {
      fail(rc, std::nullopt);
    }
    return;
  }
  const char* begin = sql.data();
  const char* end = begin + sql.size();
  const char* position = begin;
  while (position < end) {
    const char* tail = nullptr;
    std::size_t offset = static_cast<std::size_t>(position - begin);
    SqliteStatement statement = prepare(
        std::string_view(position, static_cast<std::size_t>(end - position)), &tail, offset);
    if (tail == nullptr || tail <= position) {
      tail = end;
    }
    if (statement) {
      bind(statement.get(), params);
      int rc;
      while ((rc = sqlite3_step(statement.get())) == SQLITE_ROW) {
      }
      if (rc != SQLITE_DONE) {
        fail(rc, offset + blank_sql_prefix(std::string_view(
                              position, static_cast<std::size_t>(tail - position))));
      }
    }
    position = tail;
  }
}

namespace {

/// The row a statement stands on, read in place.
class SqliteRow final : public SqlRowView {
 public:
  explicit SqliteRow(sqlite3_stmt* statement)
      : m_statement(statement),
        m_columns(static_cast<std::size_t>(sqlite3_column_count(statement))) {}
  std::size_t size() const override { return m_columns; }
  std::optional<std::string_view> text(std::size_t c) const override {
    const int column = static_cast<int>(c);
    // An INTEGER or REAL is converted to its text in place: what SQLite's own shell prints.
    // No text for NULL (nor for a value SQLite ran out of memory converting).
    const unsigned char* text = sqlite3_column_text(m_statement, column);
    if (text == nullptr) {
      return std::nullopt;
    }
    return std::string_view(reinterpret_cast<const char*>(text),
                            static_cast<std::size_t>(sqlite3_column_bytes(m_statement, column)));
  }
  std::optional<std::int64_t> integer(std::size_t c) const override {
    const int column = static_cast<int>(c);
    if (sqlite3_column_type(m_statement, column) == SQLITE_INTEGER) {
      return sqlite3_column_int64(m_statement, column);  // no text made of it and read back
    }
    return SqlRowView::integer(c);
  }

 private:
  sqlite3_stmt* m_statement;
  std::size_t m_columns;
};

}  // namespace

void SqliteConnection::query_each(std::string_view sql, const std::vector<SqlValue>& params,
                                  const std::function<void(const SqlRowView&)>& each) {
  sqlite3_stmt* statement = cached(sql);
  if (statement == nullptr) {  // nothing but white space or comments
    return;
  }
  StatementUse use(statement);
  bind(statement, params);
  const SqliteRow row(statement);
  int rc;
  while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
    each(row);
  }
  if (rc != SQLITE_DONE) {
    fail(rc, std::nullopt);
  }
}

void SqliteConnection::cancel() noexcept {
  m_lock_wait->cancelled = true;
  sqlite3_interrupt(m_db.get());
}

void SqliteConnection::begin() {
  execute("BEGIN IMMEDIATE");
}

void SqliteConnection::commit() {
  execute("COMMIT");
}

void SqliteConnection::rollback() noexcept {
  if (in_transaction()) {
    sqlite3_exec(m_db.get(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

bool SqliteConnection::in_transaction() const {
  return sqlite3_get_autocommit(m_db.get()) == 0;
}

std::vector<std::string> SqliteConnection::table_columns(std::string_view table) {
  std::size_t dot = table.find('.');
  if (dot != std::string_view::npos && query("SELECT 1 FROM pragma_database_list WHERE name = $1",
                                             {std::string(table.substr(0, dot))})
                                           .empty()) {
    return {};  // no such schema (attached database), so no such table: not an error
  }
  std::vector<SqlRow> rows =
      dot == std::string_view::npos
          ? query("SELECT name FROM pragma_table_info($1)", {std::string(table)})
          : query("SELECT name FROM pragma_table_info($1, $2)",
                  {std::string(table.substr(dot + 1)), std::string(table.substr(0, dot))});
  std::vector<std::string> columns;
  for (const SqlRow& row : rows) {
    columns.push_back(row[0].value_or(""));
  }
  return columns;
}

std::filesystem::path SqliteConnection::default_backup_path(std::string_view timestamp) const {
  if (m_path.empty()) {
    throw DbError("an in-memory database has nothing to back up");
  }
  // Beside the database: app.db -> app.20261121T142305Z.backup.db
  return m_path.parent_path() / fmt::format("{}.{}.backup{}", m_path.stem().string(), timestamp,
                                            m_path.extension().string());
}

void SqliteConnection::backup(const std::filesystem::path& path) {
  // SQLite's online backup API: a consistent copy page by page, whatever else is writing. Into
  // a file made owner-only first (SQLite would create it world-readable), which gets the
  // database's own mode, if that is stricter, once it is complete.
  std::filesystem::perms mode = backup_mode(m_path);
  create_backup_file(path);
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr);
  SqliteDb copy(raw);
  std::string problem;
  if (rc != SQLITE_OK) {
    problem = raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
  } else {
    SqliteBackup backup(sqlite3_backup_init(copy.get(), "main", m_db.get(), "main"));
    if (!backup) {
      problem = sqlite3_errmsg(copy.get());
    } else if ((rc = sqlite3_backup_step(backup.get(), -1)) != SQLITE_DONE) {
      problem = sqlite3_errstr(rc);
    }
  }
  if (!problem.empty()) {
    copy.reset();
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
    throw DbError(fmt::format("cannot back up {} to {}: {}", m_name, path.string(), problem));
  }
  copy.reset();
  set_backup_mode(path, mode);
}

std::optional<std::string> SqliteConnection::image(std::size_t largest) {
  if (in_transaction()) {
    throw InternalError("a SQLite image was asked for inside a transaction");
  }
  // The image is main's pages: what TEMP objects or an attached database hold is not in it,
  // though statements run later on this connection would see it.
  std::vector<SqlRow> outside = query(
      "SELECT (SELECT count(*) FROM temp.sqlite_schema) + "
      "(SELECT count(*) FROM pragma_database_list WHERE name NOT IN ('main', 'temp'))");
  if (outside.at(0).at(0).value_or("0") != "0") {
    return std::nullopt;
  }
  std::vector<SqlRow> size =
      query("SELECT page_count * page_size FROM pragma_page_count, pragma_page_size");
  if (std::stoull(size.at(0).at(0).value_or("0")) > largest) {
    return std::nullopt;
  }
  sqlite3_int64 bytes_size = 0;
  // sqlite3_serialize copies the pages into memory of SQLite's, which is released here.
  std::unique_ptr<unsigned char, decltype(&sqlite3_free)> bytes(
      sqlite3_serialize(m_db.get(), "main", &bytes_size, 0), &sqlite3_free);
  if (!bytes) {
    if (bytes_size == 0) {
      return std::string();  // nothing written yet: the empty database
    }
    throw DbError(
        fmt::format("cannot copy {} into memory: {}", m_name, sqlite3_errmsg(m_db.get())));
  }
  return std::string(reinterpret_cast<const char*>(bytes.get()),
                     static_cast<std::size_t>(bytes_size));
}

std::string SqliteConnection::image_version() const {
  return sqlite3_sourceid();
}

bool SqliteConnection::load_image(MappedFile mapped, std::size_t offset) {
  // SQLite uses the mapping as the database itself, copy-on-write: no copy of the image is
  // made, and only the pages a statement writes are copied. It neither frees nor grows it
  // (no FREEONCLOSE, no RESIZEABLE): the headroom is its room to grow, and m_image keeps the
  // mapping until the database closes or another image replaces it.
  if (offset > mapped.size()) {
    throw DbError(
        fmt::format("cannot load an image into {}: it starts past the file's end", m_name));
  }
  auto* bytes = reinterpret_cast<unsigned char*>(mapped.data() + offset);
  auto size = static_cast<sqlite3_int64>(mapped.size() - offset);
  auto capacity = static_cast<sqlite3_int64>(mapped.capacity() - offset);
  m_statements.clear();  // prepared against the database being replaced
  int rc = sqlite3_deserialize(m_db.get(), "main", bytes, size, capacity, 0);
  if (rc != SQLITE_OK) {
    throw DbError(fmt::format("cannot load an image into {}: {}", m_name, sqlite3_errstr(rc)));
  }
  m_image = std::move(mapped);  // the previous image, SQLite no longer reads: unmapped
  return true;
}

}  // namespace migrate
