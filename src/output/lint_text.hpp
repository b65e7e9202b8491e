#pragma once

namespace migrate {

class Console;
struct Finding;

/// A linter's finding for people, as migrate-lint and the gate print it: `file:line: severity:
/// message [rule]`, then why it matters and the safe way (its SQL indented).
void print_finding(Console& console, const Finding& finding);

}  // namespace migrate
