#pragma once

#include "lint/rule_family.hpp"

namespace migrate {

/// Transaction hygiene, timeouts and re-runnability, from what migrate knows of how it runs a
/// section: BEGIN/COMMIT where migrate owns the transaction or none is open, a BEGIN never
/// committed, a transaction:false section that a resume cannot run again, strong locks
/// without lock_timeout/statement_timeout, an enum value used in the transaction that added
/// it.
const RuleFamily& transaction_rules();

}  // namespace migrate
