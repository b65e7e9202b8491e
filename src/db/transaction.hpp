#pragma once

#include "db/connection.hpp"

namespace migrate {

/// A write transaction: begun on construction, rolled back on destruction unless committed, so
/// an exception anywhere in a migration leaves the database as it was.
class Transaction {
 public:
  explicit Transaction(Connection& connection) : m_connection(connection) { m_connection.begin(); }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction() {
    if (!m_done) {
      m_connection.rollback();
    }
  }
  void commit() {
    m_connection.commit();
    m_done = true;
  }

 private:
  Connection& m_connection;
  bool m_done = false;
};

}  // namespace migrate
