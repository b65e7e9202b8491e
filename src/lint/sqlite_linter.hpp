#pragma once

#include <vector>

#include "lint/finding.hpp"
#include "lint/lint_context.hpp"
#include "lint/linter.hpp"

namespace migrate {

class Connection;

/// lint_section where the engine has no parse tree but an authorizer (SQLite): the section
/// runs on `database` (a development database holding the schema the migrations before it
/// leave) as the runner runs it: in one transaction, foreign keys switched off around it for
/// `foreign_keys:off`, or statement by statement. What each statement does is what SQLite says:
/// its authorizer while preparing it (db/statement_trace) and its catalog before and after
/// (lint/sqlite_catalog); the rules of rules_sqlite judge that. A statement SQLite refuses is a
/// finding with SQLite's message, and the rest goes on without it. Tables it creates join
/// context.new_tables.
std::vector<Finding> lint_sqlite_section(Connection& database, const LintSection& section,
                                         LintContext& context);

}  // namespace migrate
