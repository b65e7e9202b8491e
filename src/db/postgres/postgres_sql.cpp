#include "db/postgres/postgres_sql.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "db/postgres/pg_query_handle.hpp"
#include "util/sql_text.hpp"
#include "util/text.hpp"

namespace migrate {

namespace {

constexpr bool kPostgres = true;  // its comments: nested blocks, lines ended by CR too

}  // namespace

std::size_t byte_offset_of_position(std::string_view text, int position) {
  std::size_t offset = 0;
  for (int character = 1; character < position && offset < text.size(); ++character) {
    ++offset;
    while (offset < text.size() && (static_cast<unsigned char>(text[offset]) & 0xC0) == 0x80) {
      ++offset;  // a UTF-8 continuation byte belongs to the same character
    }
  }
  return offset;
}

std::vector<Statement> split_postgres_sql(std::string_view sql) {
  std::string text(sql);  // libpg_query wants a NUL-terminated string
  PgQuerySplit split(pg_query_split_with_parser(text.c_str()));
  if (split->error != nullptr) {
    std::size_t offset =
        split->error->cursorpos > 0 ? byte_offset_of_position(text, split->error->cursorpos) : 0;
    throw StatementError(split->error->message, offset, "42601");
  }
  std::vector<Statement> statements;
  for (int i = 0; i < split->n_stmts; ++i) {
    std::size_t location = static_cast<std::size_t>(split->stmts[i]->stmt_location);
    std::size_t length = static_cast<std::size_t>(split->stmts[i]->stmt_len);
    std::string_view statement =
        std::string_view(text).substr(location, length == 0 ? std::string_view::npos : length);
    std::size_t skip = blank_sql_prefix(statement, kPostgres);
    statement.remove_prefix(skip);
    if (!statement.empty()) {
      statements.push_back({std::string(trim_right(statement)), location + skip});
    }
  }
  return statements;
}

std::string parse_postgres_sql(std::string_view sql) {
  std::string text(sql);  // libpg_query wants a NUL-terminated string
  PgQueryParse parse(pg_query_parse(text.c_str()));
  if (parse->error != nullptr) {
    std::size_t offset =
        parse->error->cursorpos > 0 ? byte_offset_of_position(text, parse->error->cursorpos) : 0;
    throw StatementError(parse->error->message, offset, "42601");
  }
  return parse->parse_tree != nullptr ? std::string(parse->parse_tree) : std::string();
}

namespace {

/// The parse tree of `statement` when its statement node is `node` (a single statement parsed:
/// libpg_query's JSON names it first, {"version":…,"stmts":[{"stmt":{"<node>":…).
std::optional<std::string> parse_tree_of(std::string_view statement, std::string_view node) {
  std::string text(statement);
  PgQueryParse parse(pg_query_parse(text.c_str()));
  if (parse->error != nullptr || parse->parse_tree == nullptr) {
    return std::nullopt;
  }
  std::string_view tree = parse->parse_tree;
  if (tree.find("\"stmts\":[{\"stmt\":{\"" + std::string(node) + "\":{") ==
      std::string_view::npos) {
    return std::nullopt;
  }
  return std::string(tree);
}

}  // namespace

std::optional<std::string> create_index_parse_tree(std::string_view statement) {
  if (first_sql_keyword(statement, kPostgres) != "CREATE") {
    return std::nullopt;  // a cheap filter; the parse tree decides
  }
  return parse_tree_of(statement, "IndexStmt");
}

namespace {

/// The string value of `"key":"…"` at or after `from` in a parse tree's JSON, empty when absent.
std::string json_string(std::string_view tree, std::string_view key, std::size_t from) {
  std::string needle = "\"" + std::string(key) + "\":\"";
  std::size_t at = tree.find(needle, from);
  if (at == std::string_view::npos) {
    return {};
  }
  at += needle.size();
  return std::string(tree.substr(at, tree.find('"', at) - at));
}

}  // namespace

SessionChange postgres_session_change(std::string_view statement) {
  std::string word = first_sql_keyword(statement, kPostgres);
  if (word == "SET" || word == "RESET") {  // SET CONSTRAINTS is not a VariableSetStmt
    std::optional<std::string> tree = parse_tree_of(statement, "VariableSetStmt");
    if (!tree) {
      return {};
    }
    std::size_t node = tree->find("\"VariableSetStmt\":{");
    std::string kind = json_string(*tree, "kind", node);
    SessionChange change{SessionEffect::setting};
    if (kind != "VAR_RESET_ALL") {
      change.setting = json_string(*tree, "name", node);
      std::transform(change.setting.begin(), change.setting.end(), change.setting.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    }
    change.reset = kind == "VAR_RESET" || kind == "VAR_RESET_ALL" || kind == "VAR_SET_DEFAULT";
    change.local = tree->find("\"is_local\":true", node) != std::string::npos;
    return change;
  }
  if (word == "DISCARD" || word == "DO") {
    return {SessionEffect::other};
  }
  // set_config(name, value, false) sets for the session from any statement; a mention in a
  // string or comment costs one needless reset, never a missed one.
  std::string lower(statement);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return {lower.find("set_config") != std::string::npos ? SessionEffect::other
                                                        : SessionEffect::none};
}

bool postgres_cannot_run_in_transaction(std::string_view statement, int server_version) {
  // The first word is a cheap filter; the parse tree decides.
  static constexpr std::array<std::string_view, 6> kCandidates = {"CREATE",  "DROP",  "VACUUM",
                                                                  "REINDEX", "ALTER", "DISCARD"};
  std::string word = first_sql_keyword(statement, kPostgres);
  if (std::find(kCandidates.begin(), kCandidates.end(), word) == kCandidates.end()) {
    return false;
  }
  std::string text(statement);
  PgQueryParse parse(pg_query_parse(text.c_str()));
  if (parse->error != nullptr || parse->parse_tree == nullptr) {
    return false;
  }
  // {"version":…,"stmts":[{"stmt":{"<node>":{…: the statement's own node, then its fields.
  std::string_view tree = parse->parse_tree;
  constexpr std::string_view kStmt = "\"stmts\":[{\"stmt\":{\"";
  std::size_t at = tree.find(kStmt);
  if (at == std::string_view::npos) {
    return false;
  }
  std::string_view node = tree.substr(at + kStmt.size());
  std::string_view fields = node.substr(node.find('{'));
  node = node.substr(0, node.find('"'));
  auto has = [&](std::string_view field) { return fields.find(field) != std::string_view::npos; };
  if (node == "IndexStmt" || node == "DropStmt") {
    return has("\"concurrent\":true");
  }
  if (node == "VacuumStmt") {
    return has("\"is_vacuumcmd\":true");  // ANALYZE is a VacuumStmt too, and runs anywhere
  }
  if (node == "ReindexStmt") {
    return has("\"defname\":\"concurrently\"") || has("\"REINDEX_OBJECT_SCHEMA\"") ||
           has("\"REINDEX_OBJECT_DATABASE\"") || has("\"REINDEX_OBJECT_SYSTEM\"");
  }
  if (node == "AlterEnumStmt") {  // ADD VALUE has newVal and no oldVal (RENAME VALUE has both)
    return server_version != 0 && server_version < 120000 && has("\"newVal\"") &&
           !has("\"oldVal\"");
  }
  if (node == "DiscardStmt") {
    return has("\"DISCARD_ALL\"");
  }
  static constexpr std::array<std::string_view, 7> kAlways = {
      "CreatedbStmt",        "DropdbStmt",      "CreateTableSpaceStmt",
      "DropTableSpaceStmt",  "AlterSystemStmt", "CreateSubscriptionStmt",
      "DropSubscriptionStmt"};
  return std::find(kAlways.begin(), kAlways.end(), node) != kAlways.end();
}

bool postgres_controls_transaction(std::string_view statement) {
  // The first word is a cheap filter (most statements are CREATE, ALTER, INSERT…); the parse
  // tree decides.
  static constexpr std::array<std::string_view, 7> kCandidates = {
      "BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT", "PREPARE"};
  std::string word = first_sql_keyword(statement, kPostgres);
  if (std::find(kCandidates.begin(), kCandidates.end(), word) == kCandidates.end()) {
    return false;
  }
  std::optional<std::string> parsed = parse_tree_of(statement, "TransactionStmt");
  if (!parsed) {
    return false;
  }
  // {"stmts":[{"stmt":{"TransactionStmt":{"kind":"TRANS_STMT_…"…. Savepoints are
  // TransactionStmts that stay inside a transaction.
  std::string_view tree = *parsed;
  constexpr std::string_view kNode = "{\"stmt\":{\"TransactionStmt\":{\"kind\":\"";
  std::size_t node = tree.find(kNode);
  if (node == std::string_view::npos) {
    return false;
  }
  std::string_view kind = tree.substr(node + kNode.size());
  kind = kind.substr(0, kind.find('"'));
  return kind != "TRANS_STMT_SAVEPOINT" && kind != "TRANS_STMT_RELEASE" &&
         kind != "TRANS_STMT_ROLLBACK_TO";
}

}  // namespace migrate
