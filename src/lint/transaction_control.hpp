#pragma once

#include "lint/pg_node.hpp"

namespace migrate {

/// What a statement does to the transaction: opens one (BEGIN, START TRANSACTION), ends one
/// (COMMIT, ROLLBACK, PREPARE TRANSACTION), or neither (savepoints stay inside one).
enum class TransactionControl { none, begin, end };

TransactionControl transaction_control(const PgNode& node);

}  // namespace migrate
