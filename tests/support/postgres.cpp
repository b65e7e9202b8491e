#include "support/postgres.hpp"

#include <libpq-fe.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <memory>
#include <stdexcept>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "support/processes.hpp"

namespace migrate::test {

namespace {

const char* kNoServer =
    "PostgreSQL tests need a server: run them through `make test`, which starts a throwaway "
    "cluster, or as `scripts/with-postgres.sh build/tests/migrate_tests`";

std::string environment(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') {
    FAIL(kNoServer);
    return {};
  }
  return value;
}

struct RawPostgres {
  explicit RawPostgres(const std::string& url) : handle(PQconnectdb(url.c_str()), &PQfinish) {
    if (PQstatus(handle.get()) != CONNECTION_OK) {
      throw std::runtime_error("cannot connect to " + url + ": " + PQerrorMessage(handle.get()));
    }
    PQsetNoticeProcessor(
        handle.get(), [](void*, const char*) {}, nullptr);
  }
  std::unique_ptr<PGconn, decltype(&PQfinish)> handle{nullptr, &PQfinish};
};

}  // namespace

std::string postgres_admin_url() {
  return environment("MIGRATE_TEST_POSTGRES_URL");
}

std::string postgres_tcp_host_port() {
  return environment("MIGRATE_TEST_POSTGRES_HOST") + ":" +
         environment("MIGRATE_TEST_POSTGRES_PORT");
}

Rows postgres_rows(const std::string& url, const std::string& sql) {
  RawPostgres connection(url);
  std::unique_ptr<PGresult, decltype(&PQclear)> result(PQexec(connection.handle.get(), sql.c_str()),
                                                       &PQclear);
  ExecStatusType status = PQresultStatus(result.get());
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    throw std::runtime_error(sql + ": " + PQresultErrorMessage(result.get()));
  }
  Rows rows;
  for (int r = 0; r < PQntuples(result.get()); ++r) {
    std::vector<std::string>& row = rows.emplace_back();
    for (int c = 0; c < PQnfields(result.get()); ++c) {
      row.emplace_back(PQgetisnull(result.get(), r, c) ? "NULL" : PQgetvalue(result.get(), r, c));
    }
  }
  return rows;
}

void postgres_exec(const std::string& url, const std::string& sql) {
  postgres_rows(url, sql);
}

PostgresDatabase::PostgresDatabase() {
  static std::atomic<int> counter{0};
  std::string admin = postgres_admin_url();
  m_name = fmt::format("migrate_test_{}_{}", ::getpid(), counter++);
  postgres_exec(admin, fmt::format("DROP DATABASE IF EXISTS {} WITH (FORCE)", m_name));
  postgres_exec(admin, fmt::format("CREATE DATABASE {}", m_name));
  m_url = fmt::format("postgresql://postgres@/{}?host={}&port={}", m_name,
                      environment("MIGRATE_TEST_POSTGRES_DIR"),
                      environment("MIGRATE_TEST_POSTGRES_PORT"));
}

PostgresDatabase::~PostgresDatabase() {
  try {
    postgres_exec(postgres_admin_url(),
                  fmt::format("DROP DATABASE IF EXISTS {} WITH (FORCE)", m_name));
  } catch (const std::exception&) {  // the cluster is thrown away anyway
  }
}

Rows PostgresDatabase::rows(const std::string& sql) const {
  return postgres_rows(m_url, sql);
}

std::vector<std::string> PostgresDatabase::column(const std::string& sql) const {
  std::vector<std::string> values;
  for (const auto& row : rows(sql)) {
    values.push_back(row.at(0));
  }
  return values;
}

void PostgresDatabase::exec(const std::string& sql) const {
  postgres_exec(m_url, sql);
}

std::vector<std::string> PostgresDatabase::relations(const std::string& schema) const {
  return column(fmt::format(
      "SELECT c.relname FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace "
      "WHERE n.nspname = '{}' AND c.relkind IN ('r', 'v', 'm', 'p') ORDER BY 1",
      schema));
}

PostgresRole::PostgresRole(const std::string& stem)
    : m_name(fmt::format("{}_{}", stem, ::getpid())) {
  postgres_exec(postgres_admin_url(),
                fmt::format("DROP ROLE IF EXISTS {0}; CREATE ROLE {0}", quoted()));
}

PostgresRole::~PostgresRole() {
  try {
    postgres_exec(postgres_admin_url(), "DROP ROLE IF EXISTS " + quoted());
  } catch (const std::exception&) {  // the cluster is thrown away anyway
  }
}

std::vector<std::string> PostgresDatabase::applied_ids(const std::string& table) const {
  // Versions by number, then names (a Flyway repeatable's R__…, a baseline's B5) as text.
  return column(
      fmt::format("SELECT id FROM {} ORDER BY id !~ '^[0-9]', "
                  "CASE WHEN id ~ '^[0-9]+(\\.[0-9]+)?$' THEN id::numeric END, id",
                  table));
}

std::vector<pid_t> postgres_processes_mentioning(const std::string& text) {
  return processes_where([&](const std::string& cmdline) {
    return cmdline.find(text) != std::string::npos && cmdline.find("postgres") != std::string::npos;
  });
}

void let_cluster_owner_in(const std::filesystem::path& tmp) {
  std::filesystem::permissions(
      tmp, std::filesystem::perms::others_exec | std::filesystem::perms::group_exec,
      std::filesystem::perm_options::add);
}

}  // namespace migrate::test
