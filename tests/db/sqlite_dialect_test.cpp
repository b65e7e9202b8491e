// SqliteDialect: SQLite's statement boundaries (sqlite3_complete) and transaction statements,
// with no database open.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "db/sqlite/sqlite_dialect.hpp"
#include "support/statements.hpp"

using namespace migrate;
using namespace migrate::test;

TEST_CASE("sqlite_dialect: split separates statements with their offsets", "[db]") {
  const SqliteDialect& dialect = sqlite_dialect();
  const std::string sql =
      "CREATE TABLE a (x TEXT);\n"
      "\n"
      "-- a comment; with a semicolon\n"
      "INSERT INTO a VALUES ('semi;colon');\n"
      "/* block; comment */ INSERT INTO a VALUES ('it''s; fine');\n"
      "SELECT 1";
  std::vector<Statement> statements = dialect.split(sql);
  CHECK(sqls(statements) == std::vector<std::string>{
                                "CREATE TABLE a (x TEXT);",
                                "INSERT INTO a VALUES ('semi;colon');",
                                "INSERT INTO a VALUES ('it''s; fine');",
                                "SELECT 1",
                            });
  for (const Statement& s : statements) {
    CHECK(sql.substr(s.offset, s.sql.size()) == s.sql);
  }
  CHECK(offsets(statements) == std::vector<std::size_t>{0, sql.find("INSERT"),
                                                        sql.find("INSERT", 60),
                                                        sql.find("SELECT")});
}

TEST_CASE("sqlite_dialect: split keeps a trigger body whole", "[db]") {
  const SqliteDialect& dialect = sqlite_dialect();
  const std::string trigger =
      "CREATE TRIGGER log_a AFTER INSERT ON a BEGIN\n"
      "  INSERT INTO log VALUES (new.x);\n"
      "  UPDATE counter SET n = n + 1;\n"
      "END;";
  std::vector<Statement> statements =
      dialect.split("CREATE TABLE a (x);\n" + trigger + "\nDROP TABLE b;");
  CHECK(sqls(statements) ==
        std::vector<std::string>{"CREATE TABLE a (x);", trigger, "DROP TABLE b;"});
  CHECK(statements[1].offset == 20);
  // A CASE … END inside the body does not end the trigger.
  const std::string with_case =
      "CREATE TRIGGER t2 AFTER UPDATE ON a BEGIN\n"
      "  UPDATE b SET y = CASE WHEN new.x > 0 THEN 'pos' ELSE 'neg' END;\n"
      "  DELETE FROM c;\n"
      "END;";
  CHECK(sqls(dialect.split(with_case + "\nSELECT 1;")) ==
        std::vector<std::string>{with_case, "SELECT 1;"});
}

TEST_CASE("sqlite_dialect: split skips empty statements and blank text", "[db]") {
  const SqliteDialect& dialect = sqlite_dialect();
  CHECK(dialect.split("").empty());
  CHECK(dialect.split("  \n-- only a comment\n/* and; another */\n").empty());
  CHECK(sqls(dialect.split(";;\n SELECT 1;;\n;\n-- trailing; comment")) ==
        std::vector<std::string>{"SELECT 1;"});
  // A comment after the last statement's semicolon is not a statement of its own.
  CHECK(sqls(dialect.split("SELECT 1; -- done\nSELECT 2; /* end */")) ==
        std::vector<std::string>{"SELECT 1;", "SELECT 2;"});
}

TEST_CASE("sqlite_dialect: controls_transaction recognises BEGIN, COMMIT, END and ROLLBACK",
          "[db]") {
  const SqliteDialect& dialect = sqlite_dialect();
  for (const char* statement : {"BEGIN;", "begin immediate;", "BEGIN TRANSACTION;", "COMMIT;",
                                "commit transaction", "END;", "END TRANSACTION;", "ROLLBACK;",
                                "rollback transaction;", "-- comment\n/* c */ BEGIN EXCLUSIVE;"}) {
    INFO(statement);
    CHECK(dialect.controls_transaction(statement));
  }
  for (const char* statement :
       {"ROLLBACK TO sp;", "rollback to savepoint sp;", "ROLLBACK TRANSACTION TO SAVEPOINT sp;",
        "rollback transaction to sp", "SAVEPOINT sp;", "RELEASE sp;",
        "CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END;",
        "INSERT INTO a VALUES ('BEGIN');", "-- BEGIN\nSELECT 1;", "BEGINNING;"}) {
    INFO(statement);
    CHECK_FALSE(dialect.controls_transaction(statement));
  }
}

TEST_CASE("sqlite_dialect: VACUUM cannot run in a transaction, other statements can", "[db]") {
  const SqliteDialect& dialect = sqlite_dialect();
  CHECK(dialect.cannot_run_in_transaction("VACUUM"));
  CHECK(dialect.cannot_run_in_transaction("  -- tidy up\n  vacuum main"));
  CHECK_FALSE(dialect.cannot_run_in_transaction("CREATE TABLE vacuum (x)"));
  CHECK_FALSE(dialect.cannot_run_in_transaction("PRAGMA foreign_keys = OFF"));
  CHECK_FALSE(dialect.cannot_run_in_transaction("INSERT INTO t VALUES ('VACUUM')"));
}
