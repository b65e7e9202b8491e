#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

#include "support/sqlite_probe.hpp"

namespace migrate::test {

// PostgreSQL for the tests: the throwaway cluster that scripts/with-postgres.sh starts for
// `make test`. Without it, a PostgreSQL test fails (it is never skipped) with a message that
// says how to get one.

/// The cluster's superuser URL to the `postgres` database.
std::string postgres_admin_url();
/// 127.0.0.1 and the cluster's TCP port, where logins need passwords.
std::string postgres_tcp_host_port();

/// A fresh database for one test, dropped (with any leftover connections) afterwards. Read it
/// with libpq directly, independent of migrate's driver.
class PostgresDatabase {
 public:
  PostgresDatabase();
  PostgresDatabase(const PostgresDatabase&) = delete;
  PostgresDatabase& operator=(const PostgresDatabase&) = delete;
  ~PostgresDatabase();

  const std::string& name() const { return m_name; }
  /// Superuser URL over the unix socket.
  const std::string& url() const { return m_url; }

  Rows rows(const std::string& sql) const;
  std::vector<std::string> column(const std::string& sql) const;
  void exec(const std::string& sql) const;
  /// The tables and views of a schema, sorted.
  std::vector<std::string> relations(const std::string& schema = "public") const;
  /// The ids in a state table, in id order.
  std::vector<std::string> applied_ids(const std::string& table = "schema_migrations") const;

 private:
  std::string m_name;
  std::string m_url;
};

/// A role (NOLOGIN) for one test: `stem` and the process's id, so that tests running at once
/// do not share it. Dropped at the end: declare it before the PostgresDatabase that names it in
/// grants or policies, so that the database goes first.
class PostgresRole {
 public:
  explicit PostgresRole(const std::string& stem);
  PostgresRole(const PostgresRole&) = delete;
  PostgresRole& operator=(const PostgresRole&) = delete;
  ~PostgresRole();

  const std::string& name() const { return m_name; }
  /// The name in double quotes, as SQL must spell a name with capitals or spaces.
  std::string quoted() const { return "\"" + m_name + "\""; }

 private:
  std::string m_name;
};

/// Runs SQL through libpq on any URL (admin work: roles, the other end of a lock).
Rows postgres_rows(const std::string& url, const std::string& sql);
void postgres_exec(const std::string& url, const std::string& sql);

/// The PostgreSQL processes whose command line mentions `text` (a throwaway cluster's folder).
std::vector<pid_t> postgres_processes_mentioning(const std::string& text);

/// Opens `tmp` (a TMPDIR for a throwaway cluster) to its owner: `postgres`, when the tests run
/// as root, must enter it.
void let_cluster_owner_in(const std::filesystem::path& tmp);

}  // namespace migrate::test
