#include "db/sqlite/sqlite_trace.hpp"

#include "db/sqlite/sqlite_connection.hpp"
#include "db/statement.hpp"
#include "util/error.hpp"

namespace migrate {

namespace {

using Kind = StatementTrace::Action::Kind;

std::string text_of(const char* text) {
  return text == nullptr ? std::string() : std::string(text);
}

/// sqlite3_set_authorizer's callback: every action is allowed, and written down.
int record(void* trace, int code, const char* arg1, const char* arg2, const char* arg3,
           const char* /*inner*/) {
  StatementTrace::Action action;
  switch (code) {
    case SQLITE_CREATE_TABLE:
    case SQLITE_CREATE_TEMP_TABLE:
      action.kind = Kind::create_table;
      action.temporary = code == SQLITE_CREATE_TEMP_TABLE;
      break;
    case SQLITE_DROP_TABLE:
    case SQLITE_DROP_TEMP_TABLE:
      action.kind = Kind::drop_table;
      action.temporary = code == SQLITE_DROP_TEMP_TABLE;
      break;
    case SQLITE_ALTER_TABLE:
      action.kind = Kind::alter_table;
      break;
    case SQLITE_PRAGMA:
      action.kind = Kind::pragma;
      break;
    default:
      return SQLITE_OK;  // reads, functions, the schema table's updates: not needed
  }
  action.arg1 = text_of(arg1);
  action.arg2 = text_of(arg2);
  action.arg3 = text_of(arg3);
  static_cast<StatementTrace*>(trace)->actions.push_back(std::move(action));
  return SQLITE_OK;
}

/// The authorizer set for a scope, and unset on every path out of it.
class Listening {
 public:
  Listening(sqlite3* db, StatementTrace& trace) : m_db(db) {
    sqlite3_set_authorizer(db, record, &trace);
  }
  Listening(const Listening&) = delete;
  Listening& operator=(const Listening&) = delete;
  ~Listening() { sqlite3_set_authorizer(m_db, nullptr, nullptr); }

 private:
  sqlite3* m_db;
};

}  // namespace

StatementTrace trace_sqlite_statement(Connection& connection, std::string_view sql, bool run) {
  auto* sqlite = dynamic_cast<SqliteConnection*>(&connection);
  if (sqlite == nullptr) {
    throw InternalError("trace_sqlite_statement needs a SQLite connection");
  }
  StatementTrace trace;
  Listening listening(sqlite->handle(), trace);
  if (run) {
    try {
      connection.execute(sql);
    } catch (const StatementError& e) {
      trace.error = e.what();
    }
    return trace;
  }
  sqlite3_stmt* raw = nullptr;
  int rc =
      sqlite3_prepare_v2(sqlite->handle(), sql.data(), static_cast<int>(sql.size()), &raw, nullptr);
  SqliteStatement statement(raw);
  if (rc != SQLITE_OK) {
    trace.error = sqlite3_errmsg(sqlite->handle());
  }
  return trace;
}

}  // namespace migrate
