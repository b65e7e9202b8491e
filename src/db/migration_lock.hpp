#pragma once

#include <string_view>

#include "db/connection.hpp"

namespace migrate {

/// Holds the database's migration lock (Connection::lock_migrations) for a scope: taken before the
/// state table is read for real, released when the run ends, however it ends.
class MigrationLock {
 public:
  MigrationLock(Connection& connection, std::string_view state_table) : m_connection(connection) {
    m_connection.lock_migrations(state_table);
  }
  MigrationLock(const MigrationLock&) = delete;
  MigrationLock& operator=(const MigrationLock&) = delete;
  ~MigrationLock() { m_connection.unlock_migrations(); }

 private:
  Connection& m_connection;
};

}  // namespace migrate
