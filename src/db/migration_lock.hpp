#pragma once

#include <string_view>

#include "db/driver.hpp"

namespace migrate {

/// Holds the database's migration lock (Driver::lock_migrations) for a scope: taken before the
/// state table is read for real, released when the run ends, however it ends.
class MigrationLock {
 public:
  MigrationLock(Driver& driver, std::string_view state_table) : m_driver(driver) {
    m_driver.lock_migrations(state_table);
  }
  MigrationLock(const MigrationLock&) = delete;
  MigrationLock& operator=(const MigrationLock&) = delete;
  ~MigrationLock() { m_driver.unlock_migrations(); }

 private:
  Driver& m_driver;
};

}  // namespace migrate
