// What --fix reads of index statements, on PostgreSQL's own parse trees.
#include <catch2/catch.hpp>

#include "db/engine.hpp"
#include "lint/index_statements.hpp"

using namespace migrate;

namespace {

/// The parse tree of one statement.
PgNode statement(const std::string& sql) {
  std::optional<std::string> json = engine_for_scheme("postgres")->dialect().parse_tree(sql);
  REQUIRE(json);
  PgNode tree = parse_pg_node_json(*json);
  return *tree.list("stmts").front().field("stmt");
}

}  // namespace

TEST_CASE("index statements: which are CONCURRENTLY operations", "[lint]") {
  CHECK(concurrent_operation(statement("CREATE INDEX CONCURRENTLY i ON t (x)")));
  CHECK(concurrent_operation(statement("DROP INDEX CONCURRENTLY i")));
  CHECK(concurrent_operation(statement("REINDEX INDEX CONCURRENTLY i")));
  CHECK(concurrent_operation(statement("REINDEX (CONCURRENTLY) INDEX i")));
  CHECK_FALSE(concurrent_operation(statement("CREATE INDEX i ON t (x)")));
  CHECK_FALSE(concurrent_operation(statement("REFRESH MATERIALIZED VIEW CONCURRENTLY m")));
}

TEST_CASE("index statements: the index a statement names, schema and all", "[lint]") {
  PgNode create = statement("CREATE INDEX t_id ON s1.t (id)");  // the names point into it
  PgNode drop = statement("DROP INDEX s2.t_id, t_id");
  IndexName created = created_index(create);
  CHECK(created.schema == "s1");
  CHECK(created.name == "t_id");
  std::vector<IndexName> dropped = dropped_indexes(drop);
  REQUIRE(dropped.size() == 2);
  CHECK_FALSE(created.same(dropped[0]));  // another schema
  CHECK(created.same(dropped[1]));        // unqualified: it may be
  CHECK(dropped_indexes(statement("DROP TABLE t")).empty());
}

TEST_CASE("index statements: where CONCURRENTLY goes", "[lint]") {
  CHECK(with_concurrently("CREATE INDEX i ON t (x)", concurrently_at("CREATE INDEX i ON t (x)")) ==
        "CREATE INDEX CONCURRENTLY i ON t (x)");
  std::string unique = "create  unique\n  index if not exists i on t (x)";
  CHECK(with_concurrently(unique, concurrently_at(unique)) ==
        "create  unique\n  index CONCURRENTLY if not exists i on t (x)");
  CHECK(with_concurrently("DROP INDEX i", concurrently_at("DROP INDEX i")) ==
        "DROP INDEX CONCURRENTLY i");
  CHECK_FALSE(concurrently_at("CREATE /* x */ INDEX i ON t (x)"));
  CHECK_FALSE(concurrently_at("CREATE INDEXES"));  // no such keyword: never inside a word
  CHECK(with_concurrently("DROP INDEX i", std::nullopt) == "DROP INDEX i");
}
