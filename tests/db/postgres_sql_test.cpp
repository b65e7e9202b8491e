// PostgreSQL's own parser (libpg_query) on migration SQL, no server involved: statement
// boundaries in every quoting form PostgreSQL has, statement offsets that point at the first
// token (so an error's line is right), syntax errors with their byte offset, and which
// statements start or end a transaction.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "db/postgres/postgres_sql.hpp"
#include "support/statements.hpp"

using namespace migrate;
using namespace migrate::test;

namespace {

/// Splits, and checks that every statement is the text found at its offset.
std::vector<Statement> split(const std::string& sql) {
  std::vector<Statement> statements = split_postgres_sql(sql);
  for (const Statement& s : statements) {
    INFO("statement at " << s.offset << ": " << s.sql);
    REQUIRE(s.offset < sql.size());
    CHECK(sql.substr(s.offset, s.sql.size()) == s.sql);
  }
  return statements;
}

/// The StatementError split_postgres_sql throws for `sql`.
StatementError split_error(const std::string& sql) {
  try {
    split_postgres_sql(sql);
  } catch (const StatementError& e) {
    return e;
  }
  FAIL("no error from: " << sql);
  throw;  // unreachable
}

}  // namespace

TEST_CASE("split_postgres_sql: plain statements, with and without a final semicolon", "[db]") {
  std::string sql = "CREATE TABLE a (id int);\nINSERT INTO a VALUES (1);\nSELECT * FROM a";
  auto statements = split(sql);
  CHECK(sqls(statements) == std::vector<std::string>{"CREATE TABLE a (id int)",
                                                     "INSERT INTO a VALUES (1)",
                                                     "SELECT * FROM a"});
  CHECK(offsets(statements) == std::vector<std::size_t>{0, 25, 51});
}

TEST_CASE("split_postgres_sql: nothing to run", "[db]") {
  CHECK(split("").empty());
  CHECK(split("   \n\t").empty());
  CHECK(split("-- only a comment\n/* and another */").empty());
  CHECK(split(";").empty());
  CHECK(split(" ; ;\n;").empty());
}

TEST_CASE("split_postgres_sql: empty statements between semicolons are dropped", "[db]") {
  std::string sql = "SELECT 1;; ;\n;SELECT 2;;";
  auto statements = split(sql);
  CHECK(sqls(statements) == std::vector<std::string>{"SELECT 1", "SELECT 2"});
  CHECK(offsets(statements) == std::vector<std::size_t>{0, 14});
}

TEST_CASE("split_postgres_sql: a function body in $$ keeps its semicolons", "[db]") {
  std::string body =
      "CREATE FUNCTION add_one(i int) RETURNS int AS $$\n"
      "BEGIN\n"
      "  i := i + 1;\n"
      "  RETURN i;\n"
      "END;\n"
      "$$ LANGUAGE plpgsql";
  std::string sql = body + ";\nSELECT add_one(1);\n";
  auto statements = split(sql);
  CHECK(sqls(statements) == std::vector<std::string>{body, "SELECT add_one(1)"});
  CHECK(offsets(statements) == std::vector<std::size_t>{0, body.size() + 2});
}

TEST_CASE("split_postgres_sql: a $tag$ body may contain $$ and semicolons", "[db]") {
  std::string body =
      "CREATE FUNCTION f() RETURNS text AS $body$\n"
      "  SELECT '$$;'::text || $x$;$x$;\n"
      "$body$ LANGUAGE sql";
  std::string sql = body + ";SELECT 1";
  auto statements = split(sql);
  CHECK(sqls(statements) == std::vector<std::string>{body, "SELECT 1"});
  CHECK(offsets(statements) == std::vector<std::size_t>{0, body.size() + 1});
}

TEST_CASE("split_postgres_sql: DO blocks are one statement each", "[db]") {
  std::string first = "DO $$ BEGIN PERFORM 1; PERFORM 2; END $$";
  std::string second = "DO LANGUAGE plpgsql $do$\nBEGIN\n  RAISE NOTICE 'a;b';\nEND;\n$do$";
  std::string sql = first + ";\n" + second + ";\n";
  auto statements = split(sql);
  CHECK(sqls(statements) == std::vector<std::string>{first, second});
  CHECK(offsets(statements) == std::vector<std::size_t>{0, first.size() + 2});
}

TEST_CASE("split_postgres_sql: CREATE FUNCTION … BEGIN ATOMIC … END is one statement", "[db]") {
  std::string function =
      "CREATE FUNCTION two() RETURNS int LANGUAGE sql\n"
      "BEGIN ATOMIC\n"
      "  SELECT 1;\n"
      "  SELECT 2;\n"
      "END";
  std::string sql = function + ";\nSELECT two();";
  auto statements = split(sql);
  CHECK(sqls(statements) == std::vector<std::string>{function, "SELECT two()"});
  CHECK(offsets(statements) == std::vector<std::size_t>{0, function.size() + 2});
}

TEST_CASE("split_postgres_sql: nested block comments", "[db]") {
  SECTION("inside a statement") {
    std::string sql = "SELECT 1 /* outer /* inner; */ still; comment */ + 1; SELECT 2";
    auto statements = split(sql);
    CHECK(sqls(statements) ==
          std::vector<std::string>{"SELECT 1 /* outer /* inner; */ still; comment */ + 1",
                                   "SELECT 2"});
    CHECK(offsets(statements) == std::vector<std::size_t>{0, 54});
  }
  SECTION("before a statement: the offset is the statement's first token") {
    std::string sql = "/* a /* b */ c; */ SELECT 1;\n/* d /* e */ f */\nSELECT 2;";
    auto statements = split(sql);
    CHECK(sqls(statements) == std::vector<std::string>{"SELECT 1", "SELECT 2"});
    CHECK(offsets(statements) == std::vector<std::size_t>{19, 47});
  }
}

TEST_CASE("split_postgres_sql: semicolons inside strings and identifiers", "[db]") {
  std::string sql =
      "INSERT INTO t VALUES (E'it\\'s; fine', 'a;''b');\n"
      "SELECT \"odd;name\" FROM \"we;ird\";\n"
      "SELECT U&'\\0041;';\n"
      "SELECT $$;$$";
  auto statements = split(sql);
  CHECK(sqls(statements) ==
        std::vector<std::string>{"INSERT INTO t VALUES (E'it\\'s; fine', 'a;''b')",
                                 "SELECT \"odd;name\" FROM \"we;ird\"", "SELECT U&'\\0041;'",
                                 "SELECT $$;$$"});
  CHECK(offsets(statements) == std::vector<std::size_t>{0, 48, 81, 100});
}

TEST_CASE("split_postgres_sql: comments before statements are not part of them", "[db]") {
  std::string sql =
      "-- create the table\n"
      "CREATE TABLE a (id int); -- trailing note\n"
      "\n"
      "/* the index */\n"
      "-- and a line comment\n"
      "CREATE INDEX a_id ON a (id);\n";
  auto statements = split(sql);
  CHECK(sqls(statements) ==
        std::vector<std::string>{"CREATE TABLE a (id int)", "CREATE INDEX a_id ON a (id)"});
  CHECK(offsets(statements) == std::vector<std::size_t>{20, 101});
  CHECK(sql.find("CREATE INDEX") == 101u);
}

TEST_CASE("split_postgres_sql: a comment after the last statement without semicolon", "[db]") {
  auto statements = split("SELECT 1; SELECT 2 -- the end");
  CHECK(sqls(statements) == std::vector<std::string>{"SELECT 1", "SELECT 2 -- the end"});
  CHECK(offsets(statements) == std::vector<std::size_t>{0, 10});
}

TEST_CASE("split_postgres_sql: CRLF line endings", "[db]") {
  std::string sql = "-- first\r\nCREATE TABLE a (id int);\r\n\r\nSELECT 'x\r\ny';\r\n";
  auto statements = split(sql);
  CHECK(sqls(statements) == std::vector<std::string>{"CREATE TABLE a (id int)", "SELECT 'x\r\ny'"});
  CHECK(offsets(statements) == std::vector<std::size_t>{10, 38});
}

TEST_CASE("split_postgres_sql: a syntax error throws with its byte offset and 42601", "[db]") {
  SECTION("in a later statement") {
    StatementError e = split_error("SELECT 1;\nSELEC 2;\nSELECT 3;");
    CHECK(std::string(e.what()) == "syntax error at or near \"SELEC\"");
    CHECK(e.offset() == 10u);
    CHECK(e.sqlstate() == "42601");
  }
  SECTION("in the middle of a statement") {
    StatementError e = split_error("CREATE TABLE a (id int);\nSELECT * FROM WHERE id = 1;");
    CHECK(std::string(e.what()) == "syntax error at or near \"WHERE\"");
    CHECK(e.offset() == 39u);
    CHECK(e.sqlstate() == "42601");
  }
  SECTION("at the end of the input") {
    StatementError e = split_error("SELECT (1");
    CHECK(std::string(e.what()) == "syntax error at end of input");
    CHECK(e.offset() == 9u);
  }
  SECTION("an unterminated string") {
    StatementError e = split_error("SELECT 1;\nSELECT 'abc");
    CHECK(std::string(e.what()) == "unterminated quoted string at or near \"'abc\"");
    CHECK(e.offset() == 17u);
    CHECK(e.sqlstate() == "42601");
  }
  SECTION("an unterminated dollar quote") {
    StatementError e = split_error("SELECT 1;\nDO $$ BEGIN NULL; END");
    CHECK(std::string(e.what()) ==
          "unterminated dollar-quoted string at or near \"$$ BEGIN NULL; END\"");
    CHECK(e.offset() == 13u);
  }
  SECTION("an unterminated nested comment") {
    StatementError e = split_error("SELECT 1; /* a /* b */ c");
    CHECK(std::string(e.what()) == "unterminated /* comment at or near \"/* a /* b */ c\"");
    CHECK(e.offset() == 10u);
  }
}

TEST_CASE("split_postgres_sql: an error after UTF-8 text has a byte offset", "[db]") {
  // 'é' is 2 bytes and '€' 3: PostgreSQL counts characters, the offset is in bytes.
  std::string sql = "SELECT 'é';\nSELECT '€';\nSELEC 3;";
  StatementError e = split_error(sql);
  CHECK(std::string(e.what()) == "syntax error at or near \"SELEC\"");
  REQUIRE(e.offset().has_value());
  CHECK(*e.offset() == sql.find("SELEC 3"));
  CHECK(*e.offset() == 27u);

  auto statements = split("SELECT 'é'; SELECT 2");
  CHECK(offsets(statements) == std::vector<std::size_t>{0, 13});
}

TEST_CASE("byte_offset_of_position counts UTF-8 characters", "[db]") {
  std::string text = "aé€😀b";  // 1 + 2 + 3 + 4 + 1 bytes
  CHECK(byte_offset_of_position(text, 1) == 0u);
  CHECK(byte_offset_of_position(text, 2) == 1u);
  CHECK(byte_offset_of_position(text, 3) == 3u);
  CHECK(byte_offset_of_position(text, 4) == 6u);
  CHECK(byte_offset_of_position(text, 5) == 10u);
  CHECK(byte_offset_of_position(text, 6) == 11u);  // just past the end
  CHECK(byte_offset_of_position(text, 60) == 11u);
  CHECK(byte_offset_of_position(text, 0) == 0u);
  CHECK(byte_offset_of_position("plain", 4) == 3u);
}

TEST_CASE("postgres_controls_transaction: statements that start or end a transaction", "[db]") {
  for (const char* statement :
       {"BEGIN", "begin;", "BEGIN WORK", "BEGIN ISOLATION LEVEL SERIALIZABLE", "START TRANSACTION",
        "start transaction read only", "COMMIT", "COMMIT AND CHAIN", "END", "end transaction",
        "ROLLBACK", "ABORT", "PREPARE TRANSACTION 'tx1'", "COMMIT PREPARED 'tx1'",
        "ROLLBACK PREPARED 'tx1'", "-- done\nCOMMIT", "/* a /* nested */ comment */ COMMIT"}) {
    INFO(statement);
    CHECK(postgres_controls_transaction(statement));
  }
}

TEST_CASE("postgres_controls_transaction: statements that stay inside one", "[db]") {
  for (const char* statement : {
           "SAVEPOINT s1",
           "RELEASE s1",
           "RELEASE SAVEPOINT s1",
           "ROLLBACK TO s1",
           "ROLLBACK TO SAVEPOINT s1",
           "PREPARE q AS SELECT 1",
           "CREATE TABLE begin_log (id int)",
           "CREATE FUNCTION f() RETURNS int AS $$ begin return 1; end $$ LANGUAGE plpgsql",
           "CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END",
           "DO $$ BEGIN PERFORM 1; END $$",
           "DO $$ BEGIN COMMIT; END $$",
           "SELECT 'BEGIN'",
           "-- BEGIN\nSELECT 1",
           "begin_table",
           "",
       }) {
    INFO(statement);
    CHECK_FALSE(postgres_controls_transaction(statement));
  }
}

TEST_CASE("create_index_parse_tree: CREATE INDEX statements, by their parse tree",
          "[db][invalid-index]") {
  for (const char* statement :
       {"CREATE INDEX CONCURRENTLY a_x ON a (x)", "create unique index concurrently a_x on s.a (x)",
        "/* why */ CREATE INDEX CONCURRENTLY IF NOT EXISTS a_x ON a USING gin (x)",
        "CREATE INDEX a_x ON a (x) WHERE x > 0"}) {
    INFO(statement);
    std::optional<std::string> tree = create_index_parse_tree(statement);
    REQUIRE(tree);
    CHECK_THAT(*tree, Catch::Contains("\"IndexStmt\":{\"idxname\":\"a_x\""));
  }
  for (const char* statement :
       {"CREATE TABLE a (x int)", "CREATE INDEX CONCURRENTLY", "SELECT 'CREATE INDEX a ON b (c)'",
        "create or replace view v as select 1", "ALTER INDEX a_x RENAME TO b_x"}) {
    INFO(statement);
    CHECK_FALSE(create_index_parse_tree(statement));
  }
}

TEST_CASE("postgres_session_change: SETs are replayable, DO and DISCARD may change the session",
          "[db]") {
  auto effect = [](std::string_view sql) { return postgres_session_change(sql).effect; };
  CHECK(effect("SET search_path TO other") == SessionEffect::setting);
  CHECK(effect("  -- why\n set role app") == SessionEffect::setting);
  CHECK(effect("SET SESSION AUTHORIZATION app") == SessionEffect::setting);
  CHECK(effect("RESET ALL") == SessionEffect::setting);
  CHECK(effect("SET CONSTRAINTS ALL DEFERRED") == SessionEffect::none);
  CHECK(effect("DISCARD PLANS") == SessionEffect::other);
  CHECK(effect("DO $$ BEGIN EXECUTE 'SET x.y = 1'; END $$") == SessionEffect::other);
  CHECK(effect("SELECT set_config('search_path', 'a', false)") == SessionEffect::other);
  CHECK(effect("UPDATE t SET x = 1") == SessionEffect::none);
  CHECK(effect("CREATE TABLE t (x int)") == SessionEffect::none);
}

TEST_CASE("postgres_session_change: which setting, and whether it resets or is local", "[db]") {
  SessionChange set = postgres_session_change("SET Search_Path TO other");
  CHECK(set.setting == "search_path");
  CHECK_FALSE(set.reset);
  CHECK_FALSE(set.local);
  CHECK(postgres_session_change("set role app").setting == "role");
  CHECK(postgres_session_change("SET SESSION AUTHORIZATION app").setting ==
        "session_authorization");
  CHECK(postgres_session_change("SET LOCAL statement_timeout = 5").local);
  for (std::string_view reset : {"RESET ROLE", "SET search_path TO DEFAULT", "RESET ALL"}) {
    INFO(reset);
    CHECK(postgres_session_change(reset).reset);
  }
  CHECK(postgres_session_change("RESET ROLE").setting == "role");
  CHECK(postgres_session_change("RESET ALL").setting.empty());
}

TEST_CASE("postgres_cannot_run_in_transaction: by the parse tree, not the text", "[db]") {
  for (const char* sql : {
           "CREATE INDEX CONCURRENTLY i ON t (x)",
           "create unique index concurrently if not exists i on t (x)",
           "/* note */ CREATE INDEX\n  CONCURRENTLY i ON t USING gin (x)",
           "DROP INDEX CONCURRENTLY i",
           "REINDEX INDEX CONCURRENTLY i",
           "REINDEX (VERBOSE) TABLE CONCURRENTLY t",
           "REINDEX SCHEMA public",
           "REINDEX DATABASE app",
           "REINDEX SYSTEM app",
           "VACUUM",
           "VACUUM (ANALYZE) t",
           "VACUUM FULL t",
           "CREATE DATABASE other",
           "DROP DATABASE IF EXISTS other",
           "CREATE TABLESPACE fast LOCATION '/mnt/fast'",
           "DROP TABLESPACE fast",
           "ALTER SYSTEM SET work_mem = '64MB'",
           "DISCARD ALL",
           "CREATE SUBSCRIPTION s CONNECTION 'dbname=x' PUBLICATION p",
           "DROP SUBSCRIPTION s",
       }) {
    INFO(sql);
    CHECK(postgres_cannot_run_in_transaction(sql));
  }
  for (const char* sql : {
           "CREATE INDEX i ON t (x)",
           "CREATE INDEX concurrently_named ON t (x)",  // a name, not the keyword
           "CREATE TABLE concurrently (x int)", "DROP INDEX i", "DROP TABLE t", "REINDEX TABLE t",
           "REINDEX INDEX i", "ANALYZE t", "DISCARD PLANS", "ALTER TABLE t ADD COLUMN x int",
           "ALTER TYPE mood ADD VALUE 'ok'",  // since PostgreSQL 12, and with no version known
           "ALTER TYPE mood RENAME VALUE 'ok' TO 'fine'", "SELECT 'VACUUM'",
           "INSERT INTO t VALUES ('CREATE INDEX CONCURRENTLY')",
           "CREATE INDEX CONCURRENTLY",  // does not parse: the server will say why
       }) {
    INFO(sql);
    CHECK_FALSE(postgres_cannot_run_in_transaction(sql));
  }
  CHECK(postgres_cannot_run_in_transaction("ALTER TYPE mood ADD VALUE 'ok'", 110022));
  CHECK(
      postgres_cannot_run_in_transaction("ALTER TYPE mood ADD VALUE IF NOT EXISTS 'ok' BEFORE "
                                         "'sad'",
                                         110022));
  CHECK_FALSE(postgres_cannot_run_in_transaction("ALTER TYPE mood ADD VALUE 'ok'", 120000));
  CHECK_FALSE(
      postgres_cannot_run_in_transaction("ALTER TYPE mood RENAME VALUE 'a' TO 'b'", 110022));
}
