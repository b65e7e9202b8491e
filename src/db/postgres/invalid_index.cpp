#include "db/postgres/invalid_index.hpp"

#include <optional>

#include <fmt/format.h>

#include "db/connection.hpp"
#include "db/postgres/postgres_sql.hpp"

namespace migrate {

namespace {

// The parse tree's IndexStmt, read by the server's own JSON functions: whether it is
// CONCURRENTLY, the index's name, and its table, resolved as the failed statement resolved it
// (same session, same search_path). An index lives in its table's schema.
constexpr const char* kInvalidIndex = R"(
WITH statement AS (
  SELECT $1::jsonb #> '{stmts,0,stmt,IndexStmt}' AS node
), target AS (
  SELECT node ->> 'idxname' AS index_name,
         to_regclass(coalesce(quote_ident(node #>> '{relation,schemaname}') || '.', '') ||
                     quote_ident(node #>> '{relation,relname}')) AS table_oid
  FROM statement
  WHERE coalesce((node ->> 'concurrent')::boolean, false) AND node ? 'idxname'
)
SELECT format('%I.%I', n.nspname, c.relname)
FROM target
JOIN pg_class AS t ON t.oid = target.table_oid
JOIN pg_class AS c ON c.relname = target.index_name AND c.relnamespace = t.relnamespace
JOIN pg_namespace AS n ON n.oid = c.relnamespace
JOIN pg_index AS i ON i.indexrelid = c.oid
WHERE NOT i.indisvalid)";

}  // namespace

std::string invalid_index_hint(Connection& connection, std::string_view statement) {
  std::optional<std::string> tree = create_index_parse_tree(statement);
  if (!tree || connection.in_transaction()) {
    return {};
  }
  std::vector<SqlRow> rows;
  try {
    rows = connection.query(kInvalidIndex, {*tree});
  } catch (const DbError&) {
    return {};  // only a hint: the error itself is what the user gets
  }
  if (rows.empty() || !rows.front()[0]) {
    return {};
  }
  const std::string& index = *rows.front()[0];
  return fmt::format(
      "the index {0} exists but is invalid (pg_index.indisvalid is false): a CREATE "
      "INDEX CONCURRENTLY of it failed or was interrupted, and left it unusable. Drop it with "
      "DROP INDEX CONCURRENTLY {0}; then run again (IF NOT EXISTS would keep the invalid index: "
      "use it with care)",
      index);
}

}  // namespace migrate
