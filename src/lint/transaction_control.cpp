#include "lint/transaction_control.hpp"

#include <string_view>

namespace migrate {

TransactionControl transaction_control(const PgNode& node) {
  if (!node.is("TransactionStmt")) {
    return TransactionControl::none;
  }
  std::string_view kind = node.text("kind");
  if (kind == "TRANS_STMT_BEGIN" || kind == "TRANS_STMT_START") {
    return TransactionControl::begin;
  }
  if (kind == "TRANS_STMT_COMMIT" || kind == "TRANS_STMT_ROLLBACK" ||
      kind == "TRANS_STMT_PREPARE") {
    return TransactionControl::end;
  }
  return TransactionControl::none;
}

}  // namespace migrate
