#include "db/postgres/postgres_connection.hpp"

#include <algorithm>
#include <charconv>
#include <map>

#include <fmt/format.h>

#include "db/backup_file.hpp"
#include "db/lock_wait_note.hpp"
#include "db/postgres/invalid_index.hpp"
#include "db/postgres/postgres_dialect.hpp"
#include "db/postgres/postgres_sql.hpp"
#include "util/sha256.hpp"
#include "util/subprocess.hpp"
#include "util/text.hpp"

namespace migrate {

namespace {

std::string field(const PGresult* result, int code) {
  const char* value = result != nullptr ? PQresultErrorField(result, code) : nullptr;
  return value != nullptr ? value : "";
}

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

/// Where the server is, as a person would say it.
std::string server_of(const PostgresTarget& target) {
  std::string host = target.host.empty() ? "the default socket" : target.host;
  return target.port.empty() ? host : fmt::format("{} port {}", host, target.port);
}

/// What to tell the user when libpq could not connect, from its message (the server's
/// messages for these are stable; the SQLSTATE is not available before a session exists).
std::string connect_problem(const PostgresTarget& target, const std::string& name,
                            const std::string& connect_seconds, std::string message) {
  // libpq's first line says what happened; the rest is its own hint, replaced by ours.
  message = std::string(trim(message.substr(0, message.find('\n'))));
  if (contains(message, "password authentication failed")) {
    return fmt::format(
        "PostgreSQL refused the password of role '{}' for {}: check the password in the URL "
        "(or PGPASSWORD)",
        target.user, name);
  }
  if (contains(message, "no password supplied")) {
    return fmt::format(
        "the server asks role '{}' for a password and none was given: put it in the URL "
        "(postgres://user:password@host/db) or in PGPASSWORD",
        target.user);
  }
  if (contains(message, "database \"") && contains(message, "does not exist")) {
    std::string createdb = "createdb";
    for (auto [flag, value] : {std::pair{"-h", &target.host}, std::pair{"-p", &target.port},
                               std::pair{"-U", &target.user}}) {
      if (!value->empty()) {
        createdb += fmt::format(" {} {}", flag, *value);
      }
    }
    return fmt::format(
        "the database '{}' does not exist on {}: create it first ({} {}, or CREATE DATABASE "
        "\"{}\" in psql); migrate creates tables, not databases",
        target.database, server_of(target), createdb, target.database, target.database);
  }
  if (contains(message, "role \"") && contains(message, "does not exist")) {
    return fmt::format(
        "the role '{}' does not exist on {}: create it (CREATE ROLE … LOGIN) or "
        "connect as another user",
        target.user, server_of(target));
  }
  if (contains(message, "timeout expired")) {
    return fmt::format(
        "cannot reach the PostgreSQL server at {} ({}): no answer within {} s (the "
        "connect timeout); is the host right and the server up?",
        server_of(target), name, connect_seconds);
  }
  if (contains(message, "Connection refused") || contains(message, "could not connect") ||
      contains(message, "No such file or directory") || contains(message, "could not translate")) {
    return fmt::format(
        "cannot reach the PostgreSQL server at {} ({}): {}. Is it running, and "
        "are the host and port right?",
        server_of(target), name, message);
  }
  return fmt::format("cannot connect to {}: {}", name, message);
}

/// A hint of ours for errors a migration author can fix in the file.
std::string our_hint(const std::string& sqlstate, const std::string& primary) {
  if (sqlstate == "25001") {
    return "this statement cannot run inside a transaction: mark the section "
           "'-- migrate:up transaction:false' (or ':down')";
  }
  if (sqlstate == "55P03" && contains(primary, "lock timeout")) {
    return "a lock stayed taken longer than --migration-lock-timeout; run again when the "
           "database is quieter, or allow longer";
  }
  if (sqlstate == "42501") {
    return "the connecting role lacks a privilege: grant it, or run the migration as the "
           "owner of the objects";
  }
  return {};
}

std::int64_t lock_key(std::string_view text) {
  // A stable 64-bit key from the text: the first 8 bytes of its SHA-256.
  std::string hex = sha256_hex(text).substr(0, 16);
  std::uint64_t value = 0;
  std::from_chars(hex.data(), hex.data() + hex.size(), value, 16);
  return static_cast<std::int64_t>(value);
}

std::string conninfo_value(std::string_view value) {
  std::string quoted = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') {
      quoted += '\\';
    }
    quoted += c;
  }
  return quoted + "'";
}

}  // namespace

PostgresConnection::PostgresConnection(const DatabaseUrl& url, const ConnectOptions& options)
    : m_name(url.redacted()), m_target(parse_postgres_url(url)), m_options(options) {
  // Keywords before dbname are defaults the URL may override; the URL is expanded in place.
  // Migration files are UTF-8: the server converts them to the database's encoding (and counts
  // error positions in characters, which byte_offset_of_position expects).
  const char* keywords[] = {"connect_timeout", "application_name", "client_encoding", "dbname",
                            nullptr};
  // libpq wants whole seconds, and takes anything under 2 as 2.
  std::string connect_timeout = std::to_string(std::max<long long>(
      2, std::chrono::ceil<std::chrono::seconds>(options.server.connect_timeout).count()));
  const char* values[] = {connect_timeout.c_str(), "migrate", "UTF8", m_target.conninfo.c_str(),
                          nullptr};
  m_conn.reset(PQconnectdbParams(keywords, values, /*expand_dbname=*/1));
  if (!m_conn) {
    throw DbError(fmt::format("cannot connect to {}: libpq is out of memory", m_name));
  }
  // What the URL leaves out, libpq fills in (PGUSER or the OS user, the database named after
  // the user, the default socket and port): messages and the backup name use what it used.
  for (auto [value, read] :
       {std::pair{&m_target.user, &PQuser}, std::pair{&m_target.database, &PQdb},
        std::pair{&m_target.host, &PQhost}, std::pair{&m_target.port, &PQport}}) {
    if (const char* used = read(m_conn.get()); value->empty() && used != nullptr) {
      *value = used;
    }
  }
  if (PQstatus(m_conn.get()) != CONNECTION_OK) {
    throw DbError(connect_problem(m_target, m_name, connect_timeout, PQerrorMessage(m_conn.get())));
  }
  m_cancel.reset(PQgetCancel(m_conn.get()));
  // NOTICEs ("…does not exist, skipping") would go straight to stderr.
  PQsetNoticeProcessor(
      m_conn.get(), [](void*, const char*) {}, nullptr);
  // The settings and the session's schema and roles in one message, not a round trip each: to
  // a server across a network, each costs its latency (migrate-current: 6 round trips -> 4).
  std::vector<std::string> statements = session_settings();
  if (m_options.read_only) {
    statements.emplace_back("SET default_transaction_read_only = on");
  }
  const bool prefetch = m_options.read_only && !m_options.columns_of.empty();
  statements.push_back(session_query(prefetch));
  std::vector<SqlRow> rows = query(fmt::format("{}", fmt::join(statements, "; ")));
  const SqlRow& session = rows.front();
  m_schema =
      !m_target.search_path.empty() ? m_target.search_path.front() : session[0].value_or("public");
  if (session[1] != session[2]) {
    m_role = session[1].value_or("");
  }
  // The server qualified the name with current_schema() as one identifier; quote_identifier
  // would split a schema name holding a '.': such a table is asked again, as it was before.
  if (prefetch && (m_options.columns_of.find('.') != std::string::npos ||
                   m_schema.find('.') == std::string::npos)) {
    PrefetchedColumns prefetched{qualified_table(m_options.columns_of), {}};
    for (std::size_t i = 1; i < rows.size(); ++i) {
      prefetched.columns.push_back(rows[i][0].value_or(""));
    }
    m_prefetched = std::move(prefetched);
  }
}

std::string PostgresConnection::session_query(bool with_columns) const {
  constexpr std::string_view kSession =
      "SELECT coalesce(current_schema(), 'public'), current_user, session_user";
  if (!with_columns) {
    return std::string(kSession);
  }
  // ConnectOptions::columns_of, qualified as qualified_table() will: by its own schema, else
  // the URL's first, else the session's (known only to the server yet).
  const std::string& table = m_options.columns_of;
  std::string name =
      table.find('.') != std::string::npos ? dialect().literal(dialect().quote_identifier(table))
      : !m_target.search_path.empty()
          ? dialect().literal(
                dialect().quote_identifier(m_target.search_path.front() + "." + table))
          : fmt::format("quote_ident(coalesce(current_schema(), 'public')) || '.' || {}",
                        dialect().literal(dialect().quote_identifier(table)));
  // The session's row first (its attnum NULL), then the columns in order.
  return fmt::format(
      "{}, NULL::smallint UNION ALL SELECT attname, NULL, NULL, attnum FROM pg_attribute WHERE "
      "attrelid = to_regclass({}) AND attnum > 0 AND NOT attisdropped ORDER BY 4 NULLS FIRST",
      kSession, name);
}

const Dialect& PostgresConnection::dialect() const {
  return postgres_dialect();
}

std::string PostgresConnection::interrupted_hint(std::string_view statement) {
  return invalid_index_hint(*this, statement);
}

void PostgresConnection::begin_state_write() {
  // READ WRITE whatever default_transaction_read_only a migration SET; then, LOCAL, what could
  // stop the write: the role (and so the privileges) and a tiny statement_timeout. The search
  // path cannot matter: the state table's name is qualified. No advisory lock: the run holds
  // it, or (transaction lock mode) a progress row needs none.
  std::string sql = fmt::format(
      "BEGIN READ WRITE; SET LOCAL SESSION AUTHORIZATION DEFAULT; {}; {}",
      m_role.empty() ? std::string("SET LOCAL ROLE NONE")
                     : fmt::format("SET LOCAL ROLE {}", dialect().quote_identifier(m_role)),
      m_options.server.statement_timeout ? fmt::format("SET LOCAL statement_timeout = '{}ms'",
                                                       m_options.server.statement_timeout->count())
                                         : std::string("SET LOCAL statement_timeout = DEFAULT"));
  execute(sql);
}

std::vector<std::string> PostgresConnection::session_reset() const {
  // RESET ALL returns every setting to its value at the start of the session (the URL's
  // options= included), but leaves the role and the session authorization: those need their
  // own RESET. Unlike DISCARD ALL, none of this releases the advisory lock or deallocates the
  // prepared state-table statements. (A read-only connection runs no migration: nothing here
  // sets read-only mode again, so a --sql script, made on one, does not end up read-only.)
  std::vector<std::string> reset = {"RESET SESSION AUTHORIZATION", "RESET ROLE", "RESET ALL"};
  for (std::string& setting : session_settings()) {
    reset.push_back(std::move(setting));
  }
  return reset;
}

std::vector<std::string> PostgresConnection::session_settings() const {
  std::vector<std::string> settings = dialect().session_settings();  // none today
  if (!m_target.search_path.empty()) {
    std::vector<std::string> quoted;
    for (const std::string& schema : m_target.search_path) {
      quoted.push_back(dialect().quote_identifier(schema));
    }
    settings.push_back(fmt::format("SET search_path TO {}", fmt::join(quoted, ", ")));
  }
  if (m_options.server.statement_timeout) {
    settings.push_back(
        fmt::format("SET statement_timeout = '{}ms'", m_options.server.statement_timeout->count()));
  }
  return settings;
}

void PostgresConnection::fail(const PGresult* result, std::string_view sql) {
  if (PQstatus(m_conn.get()) == CONNECTION_BAD) {
    throw DbError(
        fmt::format("lost the connection to {}: {}", m_name, trim(PQerrorMessage(m_conn.get()))));
  }
  std::string sqlstate = field(result, PG_DIAG_SQLSTATE);
  std::string primary = field(result, PG_DIAG_MESSAGE_PRIMARY);
  if (primary.empty()) {
    primary = std::string(
        trim(result != nullptr ? PQresultErrorMessage(result) : PQerrorMessage(m_conn.get())));
  }
  std::string message =
      sqlstate.empty() ? primary : fmt::format("{} (SQLSTATE {})", primary, sqlstate);
  for (auto [label, code] :
       {std::pair{"detail", PG_DIAG_MESSAGE_DETAIL}, std::pair{"hint", PG_DIAG_MESSAGE_HINT},
        std::pair{"context", PG_DIAG_CONTEXT}}) {
    if (std::string value = field(result, code); !value.empty()) {
      message += fmt::format("\n  {}: {}", label, value);
    }
  }
  if (std::string hint = our_hint(sqlstate, primary); !hint.empty()) {
    message += fmt::format("\n  migrate: {}", hint);
  }
  if (sqlstate == "42P07") {  // "already exists": perhaps an invalid index left behind
    if (std::string hint = invalid_index_hint(*this, sql); !hint.empty()) {
      message += fmt::format("\n  migrate: {}", hint);
    }
  }
  std::optional<std::size_t> offset;
  std::string position = field(result, PG_DIAG_STATEMENT_POSITION);
  if (!position.empty()) {
    offset = byte_offset_of_position(sql, std::atoi(position.c_str()));
  }
  throw StatementError(message, offset, sqlstate);
}

PgResult PostgresConnection::run(std::string_view sql, const std::vector<SqlValue>& params) {
  PGconn* connection = m_conn.get();
  const std::string text(sql);
  std::vector<const char*> values;
  for (const SqlValue& value : params) {
    values.push_back(value ? value->c_str() : nullptr);
  }
  const int count = static_cast<int>(values.size());
  PgResult result;
  if (params.empty()) {
    result.reset(PQexec(connection, text.c_str()));
  } else if (m_options.server.lock_mode == LockMode::transaction || m_options.read_only) {
    // Behind a pooler in transaction mode the next transaction may get another server
    // connection, where a statement prepared on this one does not exist: no preparing then.
    // A read-only connection (current, history) runs each statement once: one round trip.
    result.reset(
        PQexecParams(connection, text.c_str(), count, nullptr, values.data(), nullptr, nullptr, 0));
  } else {
    // State-table statements run once per migration: prepared once per connection.
    auto found = m_prepared.find(text);
    if (found == m_prepared.end()) {
      std::string name = fmt::format("migrate_{}", m_prepared.size());
      PgResult prepared(PQprepare(connection, name.c_str(), text.c_str(), count, nullptr));
      if (PQresultStatus(prepared.get()) != PGRES_COMMAND_OK) {
        fail(prepared.get(), sql);
      }
      found = m_prepared.emplace(text, name).first;
    }
    result.reset(PQexecPrepared(connection, found->second.c_str(), count, values.data(), nullptr,
                                nullptr, 0));
  }
  switch (PQresultStatus(result.get())) {
    case PGRES_COMMAND_OK:
    case PGRES_TUPLES_OK:
    case PGRES_EMPTY_QUERY:
      return result;
    case PGRES_COPY_IN:
    case PGRES_COPY_OUT:
      PQputCopyEnd(connection, "migrate does not stream COPY data");
      while (PgResult(PQgetResult(connection))) {
      }
      throw StatementError(
          "COPY … FROM STDIN / TO STDOUT needs data from a client: in a "
          "migration, use INSERT or COPY from a file the server can read",
          std::nullopt, "0A000");
    default:
      fail(result.get(), sql);
  }
}

void PostgresConnection::execute(std::string_view sql, const std::vector<SqlValue>& params) {
  run(sql, params);
}

namespace {

/// A row of a libpq result, read in place.
class PostgresRow final : public SqlRowView {
 public:
  explicit PostgresRow(const PGresult* result)
      : m_result(result), m_columns(static_cast<std::size_t>(PQnfields(result))) {}
  void move_to(int row) { m_row = row; }
  std::size_t size() const override { return m_columns; }
  std::optional<std::string_view> text(std::size_t c) const override {
    const int column = static_cast<int>(c);
    if (PQgetisnull(m_result, m_row, column)) {
      return std::nullopt;
    }
    return std::string_view(PQgetvalue(m_result, m_row, column),
                            static_cast<std::size_t>(PQgetlength(m_result, m_row, column)));
  }

 private:
  const PGresult* m_result;
  std::size_t m_columns;
  int m_row = 0;
};

}  // namespace

void PostgresConnection::query_each(std::string_view sql, const std::vector<SqlValue>& params,
                                    const std::function<void(const SqlRowView&)>& each) {
  PgResult result = run(sql, params);
  PostgresRow row(result.get());
  for (int r = 0, count = PQntuples(result.get()); r < count; ++r) {
    row.move_to(r);
    each(row);
  }
}

void PostgresConnection::wait_for_lock(std::string_view function) {
  // First without waiting: when another run holds the lock, the user hears so at once (and who
  // holds it), not only when the wait runs out.
  const std::string key = std::to_string(*m_lock_key);
  const std::string try_sql = fmt::format("SELECT pg_try_{}($1)", function.substr(3));
  if (query(try_sql, {key}).front()[0] == std::optional<std::string>("t")) {
    return;
  }
  const std::chrono::milliseconds timeout = m_options.lock_timeout;
  if (m_options.on_lock_wait) {
    m_options.on_lock_wait(lock_wait_note("migration lock", m_name, lock_holder(), timeout));
  }
  // lock_timeout bounds the wait (0 would mean forever to PostgreSQL: wait 1 ms at least).
  const bool local = in_transaction();
  execute(fmt::format("SET{} lock_timeout = '{}ms'", local ? " LOCAL" : "",
                      std::max<long long>(1, timeout.count())));
  m_cancelled = false;
  try {
    execute(fmt::format("SELECT {}($1)", function), {key});
  } catch (const StatementError& e) {
    if (!local) {  // the session keeps its own lock_timeout (a SET LOCAL ends with the rollback)
      PgResult(PQexec(m_conn.get(), "RESET lock_timeout"));
    }
    // 55P03: lock_timeout ran out; 57014: a shorter --statement-timeout did, same meaning here,
    // unless cancel() ended the wait.
    if ((e.sqlstate() != "55P03" && e.sqlstate() != "57014") || m_cancelled) {
      throw;
    }
    rollback();
    throw LockTimeout(fmt::format(
        "another migrate is running on {}: its lock is held by {}; gave up after {} ms (wait "
        "longer with --lock-timeout)",
        m_name, lock_holder(), timeout.count()));
  }
  execute(local ? "SET LOCAL lock_timeout = DEFAULT" : "RESET lock_timeout");
}

std::string PostgresConnection::lock_holder() {
  auto key = static_cast<std::uint64_t>(*m_lock_key);
  std::vector<SqlRow> rows = query(
      "SELECT a.pid, coalesce(a.application_name, ''), coalesce(a.client_addr::text, "
      "'the local socket'), to_char(a.backend_start, 'YYYY-MM-DD HH24:MI:SS') "
      "FROM pg_locks AS l JOIN pg_stat_activity AS a USING (pid) "
      "WHERE l.locktype = 'advisory' AND l.granted AND l.classid::bigint = $1 "
      "AND l.objid::bigint = $2 AND l.objsubid = 1",
      {std::to_string(key >> 32), std::to_string(key & 0xffffffffu)});
  if (rows.empty()) {
    return "another session";
  }
  const SqlRow& row = rows.front();
  return fmt::format("backend pid {} ({}, from {}, connected {})", row[0].value_or("?"),
                     row[1].value_or(""), row[2].value_or(""), row[3].value_or(""));
}

void PostgresConnection::lock_migrations(std::string_view state_table) {
  // One key per (database, schema, state table): two projects in one database never block
  // each other, two runs of one project always do.
  std::string table = qualified_table(state_table);
  std::size_t dot = table.find('.');
  std::string schema = table.substr(0, dot);
  table = table.substr(dot + 1);
  std::string database = query("SELECT current_database()").front()[0].value_or("");
  m_lock_key = lock_key(fmt::format("migrate\n{}\n{}\n{}", database, schema, table));
  if (m_options.server.lock_mode == LockMode::session) {
    wait_for_lock("pg_advisory_lock");
    m_session_locked = true;
  }
}

void PostgresConnection::unlock_migrations() noexcept {
  if (m_session_locked) {
    std::string sql = fmt::format("SELECT pg_advisory_unlock({})", *m_lock_key);
    PgResult(PQexec(m_conn.get(), sql.c_str()));
    m_session_locked = false;
  }
}

void PostgresConnection::cancel() noexcept {
  // A cancel request on a connection of its own: the server ends the statement with 57014
  // ("canceling statement due to user request"), or ignores it between statements.
  m_cancelled = true;
  if (m_cancel) {
    char error[256];
    PQcancel(m_cancel.get(), error, sizeof error);
  }
}

void PostgresConnection::begin() {
  execute("BEGIN");
  if (m_options.server.lock_mode == LockMode::transaction && m_lock_key) {
    wait_for_lock("pg_advisory_xact_lock");
  }
  if (m_options.server.migration_lock_timeout) {
    execute(fmt::format("SET LOCAL lock_timeout = '{}ms'",
                        std::max<long long>(1, m_options.server.migration_lock_timeout->count())));
  }
}

void PostgresConnection::commit() {
  execute("COMMIT");
}

void PostgresConnection::rollback() noexcept {
  if (in_transaction()) {
    PgResult(PQexec(m_conn.get(), "ROLLBACK"));
  }
}

bool PostgresConnection::in_transaction() const {
  PGTransactionStatusType status = PQtransactionStatus(m_conn.get());
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
}

std::vector<std::string> PostgresConnection::table_columns(std::string_view table) {
  if (m_prefetched && m_prefetched->table == table) {
    std::vector<std::string> columns = std::move(m_prefetched->columns);
    m_prefetched.reset();  // once: a later question is about the table as it is then
    return columns;
  }
  std::vector<SqlRow> rows = query(
      "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 "
      "AND NOT attisdropped ORDER BY attnum",
      {dialect().quote_identifier(table)});
  std::vector<std::string> columns;
  for (const SqlRow& row : rows) {
    columns.push_back(row[0].value_or(""));
  }
  return columns;
}

int PostgresConnection::server_version() const {
  return PQserverVersion(m_conn.get());
}

std::string PostgresConnection::qualified_table(std::string_view name) const {
  if (name.find('.') != std::string_view::npos) {
    return std::string(name);
  }
  return fmt::format("{}.{}", m_schema, name);
}

std::filesystem::path PostgresConnection::default_backup_path(std::string_view timestamp) const {
  // In the working directory: app.20261121T142305Z.dump (pg_restore reads it).
  return std::filesystem::current_path() / fmt::format("{}.{}.dump", m_target.database, timestamp);
}

void PostgresConnection::create_schema_for(std::string_view state_table) {
  std::size_t dot = state_table.find('.');
  std::string schema = dot != std::string_view::npos  ? std::string(state_table.substr(0, dot))
                       : m_target.search_path.empty() ? std::string()
                                                      : m_target.search_path.front();
  if (!schema.empty()) {
    execute(fmt::format("CREATE SCHEMA IF NOT EXISTS {}", dialect().quote_identifier(schema)));
  }
}

void PostgresConnection::check_backup() const {
  if (!program_on_path("pg_dump")) {
    throw DbError(
        "--backup runs pg_dump, which is not on PATH: install PostgreSQL's client programs "
        "(Debian and Ubuntu: apt-get install postgresql-client; Fedora: dnf install postgresql; "
        "macOS: brew install libpq) or add the folder that has pg_dump to PATH. Nothing was "
        "changed");
  }
}

void PostgresConnection::backup(const std::filesystem::path& path) {
  // pg_dump in its custom format (pg_restore reads it). The password travels in the
  // environment, never on a command line other users could list. The file is made owner-only
  // first: pg_dump would create it world-readable (under the usual umask), and it truncates an
  // existing file without changing its mode.
  std::vector<std::string> conninfo;
  std::map<std::string, std::string> env;
  for (const auto& [keyword, value] : m_target.options) {
    if (keyword == "password") {
      env["PGPASSWORD"] = value;
    } else {
      conninfo.push_back(fmt::format("{}={}", keyword, conninfo_value(value)));
    }
  }
  create_backup_file(path);
  std::string failure;
  try {
    ChildResult dump = run_child({"pg_dump", "--format=custom", "--file=" + path.string(),
                                  "--dbname=" + fmt::format("{}", fmt::join(conninfo, " "))},
                                 env);
    if (dump.exit_code != 0) {
      failure = fmt::format("pg_dump exited with {}: {}", dump.exit_code, trim(dump.err));
    }
  } catch (const Error& e) {  // it could not even start
    failure = e.what();
  }
  if (!failure.empty()) {
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
    throw DbError(fmt::format("the backup of {} failed ({})", m_name, failure));
  }
}

}  // namespace migrate
