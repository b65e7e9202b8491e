// sql_literal and inline_parameters: the values of the state-table statements written out for
// --sql scripts. The result is run with the C API to show SQLite reads back what was meant.
#include <catch2/catch.hpp>

#include <string>

#include "db/sql_literal.hpp"
#include "support/sqlite_probe.hpp"
#include "support/temp_dir.hpp"

using namespace migrate;
using namespace migrate::test;

TEST_CASE("sql_literal: quotes text, doubles quotes, NULL for no value", "[db]") {
  CHECK(sql_literal(std::string("plain")) == "'plain'");
  CHECK(sql_literal(std::string("it's")) == "'it''s'");
  CHECK(sql_literal(std::string("''")) == "''''''");
  CHECK(sql_literal(std::string("")) == "''");
  CHECK(sql_literal(std::string("two\nlines; -- not a comment")) ==
        "'two\nlines; -- not a comment'");
  CHECK(sql_literal(std::nullopt) == "NULL");
}

TEST_CASE("sql_literal: inline_parameters replaces every $n, $10 included", "[db]") {
  SqlCommand command{"INSERT INTO t VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                     {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"}};
  CHECK(inline_parameters(command) ==
        "INSERT INTO t VALUES ('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j')");
  CHECK(inline_parameters({"UPDATE t SET id = $2 WHERE id = $1", {"1", "it's"}}) ==
        "UPDATE t SET id = 'it''s' WHERE id = '1'");
  CHECK(inline_parameters({"SELECT $1, $1", {std::nullopt}}) == "SELECT NULL, NULL");
  // Not a parameter, or no value for it: left as written.
  CHECK(inline_parameters({"SELECT $0, $, $3, 5$", {"x"}}) == "SELECT $0, $, $3, 5$");
  CHECK(inline_parameters({"SELECT $1", {}}) == "SELECT $1");
  CHECK(inline_parameters({"SELECT 1$", {"x"}}) == "SELECT 1$");
}

TEST_CASE("sql_literal: inlined values read back exactly in SQLite", "[db]") {
  TempDir dir;
  std::filesystem::path file = dir / "db.sqlite";
  write_text(file, "");
  sqlite_exec(file, "CREATE TABLE t (a TEXT, b TEXT, c TEXT)");
  std::string tricky = "it's a 'quoted'; -- text\nwith $1 inside";
  sqlite_exec(file, inline_parameters({"INSERT INTO t VALUES ($1, $2, $3)",
                                       {tricky, std::nullopt, std::string("")}}));
  CHECK(sqlite_rows(file, "SELECT a, b, c, typeof(b) FROM t") ==
        Rows{{tricky, "NULL", "", "null"}});
}
