#pragma once

namespace migrate {

class Connection;
struct Plan;

/// Sections of the formats whose tool sends each file as it is (golang-migrate:
/// runs_outside_transaction_when_needed) run outside a transaction, statement by statement with
/// their progress recorded (as `transaction:false` does), when one of their statements cannot
/// run inside one on this connection's server (CREATE INDEX CONCURRENTLY, VACUUM…): where that
/// tool runs them, migrate must too; a Flyway section that mixes them with statements that can
/// is a ParseError at the first that cannot, as Flyway refuses it. Every other section keeps
/// its own transaction mode. Call
/// it on each plan before it is printed, scripted or run, so all three agree.
void apply_format_transaction_rules(Plan& plan, const Connection& connection);

}  // namespace migrate
