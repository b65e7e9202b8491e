#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/statement.hpp"

namespace migrate {

// PostgreSQL's own parser (libpg_query) applied to migration SQL, with no server involved: so
// a syntax error is found before anything runs, and `--sql` works offline.

/// The statements of a section, split by the real parser: dollar-quoted bodies, DO blocks,
/// BEGIN ATOMIC … END, nested comments, E'' strings. Throws StatementError (with the byte offset
/// of the syntax error) when the SQL does not parse.
std::vector<Statement> split_postgres_sql(std::string_view sql);

/// libpg_query's parse tree of `sql` as JSON (Dialect::parse_tree). Throws StatementError with
/// the byte offset of a syntax error.
std::string parse_postgres_sql(std::string_view sql);

/// True when the statement's parse tree is a transaction statement that starts or ends a
/// transaction (BEGIN, START TRANSACTION, COMMIT, END, ROLLBACK, ABORT, PREPARE TRANSACTION, …;
/// SAVEPOINT, RELEASE and ROLLBACK TO stay inside one).
bool postgres_controls_transaction(std::string_view statement);

/// True when PostgreSQL refuses to run `statement` inside a transaction block, by its parse tree:
/// CREATE/DROP INDEX CONCURRENTLY, REINDEX … CONCURRENTLY and REINDEX SCHEMA/DATABASE/SYSTEM,
/// VACUUM, CREATE/DROP DATABASE, TABLESPACE and SUBSCRIPTION, ALTER SYSTEM, DISCARD ALL, and
/// ALTER TYPE … ADD VALUE on a server before 12 (`server_version` as server_version_num;
/// 0 for unknown: a current server). False for SQL that does not parse.
bool postgres_cannot_run_in_transaction(std::string_view statement, int server_version = 0);

/// What `statement` leaves in its session, by its parse tree: `setting` for SET and RESET
/// (settings, ROLE, SESSION AUTHORIZATION; with the setting's name), `other` for DISCARD, DO
/// blocks and anything that mentions set_config(), `none` otherwise.
SessionChange postgres_session_change(std::string_view statement);

/// libpg_query's parse tree (its JSON) of `statement` when that is a CREATE INDEX statement;
/// nullopt for anything else, or SQL that does not parse.
std::optional<std::string> create_index_parse_tree(std::string_view statement);

/// The byte offset in `text` of PostgreSQL's 1-based character position (what the server and
/// libpg_query report for errors), counting UTF-8 characters.
std::size_t byte_offset_of_position(std::string_view text, int position);

}  // namespace migrate
