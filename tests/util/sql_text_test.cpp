// sql_text: white space and comments around SQL, with no grammar.
#include <catch2/catch.hpp>

#include "util/sql_text.hpp"

using namespace migrate;

TEST_CASE("sql_text: is_blank_sql sees white space and comments only", "[util]") {
  CHECK(is_blank_sql(""));
  CHECK(is_blank_sql("  \n\t\r\n"));
  CHECK(is_blank_sql("-- nothing to revert\n"));
  CHECK(is_blank_sql("-- a\n  -- b"));
  CHECK(is_blank_sql("/* block\n comment */\n-- line"));
  CHECK(is_blank_sql("/* unterminated"));
  CHECK_FALSE(is_blank_sql("SELECT 1;"));
  CHECK_FALSE(is_blank_sql("-- comment\nDROP TABLE t;"));
  CHECK_FALSE(is_blank_sql("/* c */ DROP TABLE t;"));
  CHECK_FALSE(is_blank_sql(";"));
  CHECK_FALSE(is_blank_sql("- not a comment"));
}

TEST_CASE("sql_text: the first keyword, after comments that nest only when asked", "[util]") {
  CHECK(first_sql_keyword("  -- why\n begin immediate;") == "BEGIN");
  CHECK(first_sql_keyword("/* a */ Rollback to x") == "ROLLBACK");
  CHECK(first_sql_keyword("/* a /* b */ c */ SELECT 1", true) == "SELECT");
  CHECK(first_sql_keyword("/* a /* b */ c */ SELECT 1") == "C");
  CHECK(first_sql_keyword("-- only a comment").empty());
  CHECK(blank_sql_prefix("  /* x */ SELECT") == 10);
}

TEST_CASE("sql_text: a -- comment ends at a carriage return for PostgreSQL only", "[util]") {
  // Found by fuzz/sql_split_fuzzer: PostgreSQL's lexer ends a -- comment at "\r", so
  // "--\r/*\n*/" is two comments to it. SQLite's ends one only at "\n": "-- x\rDROP TABLE t;"
  // is a comment there, and runs DROP TABLE on PostgreSQL.
  CHECK(blank_sql_prefix("--\r/*\n*/", true) == 8);
  CHECK(blank_sql_prefix("-- x\rDROP TABLE t;", true) == 5);
  CHECK(blank_sql_prefix("-- x\rDROP TABLE t;", false) == 18);
  CHECK(first_sql_keyword("-- x\rdrop table t;", true) == "DROP");
  CHECK(first_sql_keyword("-- x\rdrop table t;", false).empty());
  // Blank only when it is to both: a section PostgreSQL would run something of is not.
  CHECK_FALSE(is_blank_sql("-- x\rDROP TABLE t;"));
  CHECK(is_blank_sql("-- a\r\n-- b\n"));
}
