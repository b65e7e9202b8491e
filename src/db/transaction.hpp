#pragma once

#include "db/driver.hpp"

namespace migrate {

/// A write transaction: begun on construction, rolled back on destruction unless committed, so
/// an exception anywhere in a migration leaves the database as it was.
class Transaction {
 public:
  explicit Transaction(Driver& driver) : m_driver(driver) { m_driver.begin(); }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction() {
    if (!m_done) {
      m_driver.rollback();
    }
  }
  void commit() {
    m_driver.commit();
    m_done = true;
  }

 private:
  Driver& m_driver;
  bool m_done = false;
};

}  // namespace migrate
