// The plain tree the rules read libpg_query's JSON into.
#include <catch2/catch.hpp>

#include <climits>

#include "lint/pg_node.hpp"
#include "util/error.hpp"

using namespace migrate;

TEST_CASE("pg node: a wrapped node's fields, with libpg_query's defaults left out", "[lint]") {
  PgNode node =
      parse_pg_node_json(R"({"IndexStmt":{"idxname":"i","relation":{"relname":"t","inh":true},)"
                         R"("indexParams":[{"IndexElem":{"name":"a"}},{"IndexElem":{"name":"b"}}],)"
                         R"("concurrent":true,"stmt_len":42,"name":{"String":{"sval":"x"}}}})");
  CHECK(node.is("IndexStmt"));
  CHECK(node.text("idxname") == "i");
  CHECK(node.text("name") == "x");  // a String node's sval
  CHECK(node.flag("concurrent"));
  CHECK_FALSE(node.flag("unique"));  // absent: false
  CHECK(node.number("stmt_len") == 42);
  CHECK(node.number("missing") == 0);
  CHECK(node.list("indexParams").size() == 2);
  CHECK(node.list("missing").empty());
  CHECK(node.field("relation")->flag("inh"));
  CHECK(node.find_all("IndexElem").size() == 2);
}

TEST_CASE("pg node: numbers out of range and text that is not JSON", "[lint][bad-input]") {
  PgNode big = parse_pg_node_json(R"({"A_Const":{"location":99999999999999999999999}})");
  CHECK(big.number("location") == LONG_MAX);  // saturated, not thrown
  CHECK_THROWS_AS(parse_pg_node_json("{not json"), InternalError);
}
