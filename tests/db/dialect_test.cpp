// Dialect: what migrate knows of an engine's SQL with no database at all (splitting, spelling,
// capabilities), and the literals and inline_parameters of the state-table statements written
// out for --sql scripts, run with the C API to show SQLite reads back what was meant.
#include <catch2/catch.hpp>

#include <string>

#include "db/postgres/postgres_dialect.hpp"
#include "db/sqlite/sqlite_dialect.hpp"
#include "support/sqlite_probe.hpp"
#include "support/temp_dir.hpp"

using namespace migrate;
using namespace migrate::test;

namespace {

std::string sql_literal(const SqlValue& value) {
  return sqlite_dialect().literal(value);
}

std::string inline_parameters(const SqlCommand& command) {
  return sqlite_dialect().inline_parameters(command);
}

}  // namespace

TEST_CASE("dialect: a literal quotes text, doubles quotes, NULL for no value", "[db]") {
  CHECK(sql_literal(std::string("plain")) == "'plain'");
  CHECK(sql_literal(std::string("it's")) == "'it''s'");
  CHECK(sql_literal(std::string("''")) == "''''''");
  CHECK(sql_literal(std::string("")) == "''");
  CHECK(sql_literal(std::string("two\nlines; -- not a comment")) ==
        "'two\nlines; -- not a comment'");
  CHECK(sql_literal(std::nullopt) == "NULL");
}

TEST_CASE("dialect: inline_parameters replaces every $n, $10 included", "[db]") {
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
  // A number beyond the values is not read as a shorter one with digits after it.
  CHECK(inline_parameters({"SELECT $12, $2", {"a", "b"}}) == "SELECT $12, 'b'");
  CHECK(inline_parameters(
            {"SELECT $100, $10", {"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"}}) ==
        "SELECT $100, '10'");
}

TEST_CASE("dialect: inlined values read back exactly in SQLite", "[db]") {
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

TEST_CASE("dialect: sections split with no database, by each engine's own rules", "[db]") {
  std::string trigger =
      "CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN UPDATE u SET n = n + 1; END;\nSELECT 1;";
  CHECK(sqlite_dialect().split(trigger).size() == 2);
  std::string function =
      "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;\nSELECT f();";
  std::vector<Statement> statements = postgres_dialect().split(function);
  REQUIRE(statements.size() == 2);
  CHECK(statements[1].sql.starts_with("SELECT f()"));
  CHECK(statements[1].offset == function.find("SELECT f()"));
  CHECK_THROWS_AS(postgres_dialect().split("CREATE TABLE (;"), StatementError);
}

TEST_CASE("dialect: names, parameters and capabilities", "[db]") {
  for (const Dialect* dialect : {static_cast<const Dialect*>(&sqlite_dialect()),
                                 static_cast<const Dialect*>(&postgres_dialect())}) {
    INFO(dialect->name());
    CHECK(dialect->quote_identifier("app.schema_migrations") == "\"app\".\"schema_migrations\"");
    CHECK(dialect->quote_identifier("we\"ird") == "\"we\"\"ird\"");
    CHECK(dialect->placeholder(3) == "$3");
    CHECK(dialect->capabilities().transactional_ddl);
    CHECK(dialect->state_table_ddl("\"t\"").starts_with("CREATE TABLE IF NOT EXISTS \"t\" ("));
  }
  CHECK(sqlite_dialect().name() == "sqlite");
  CHECK(postgres_dialect().name() == "postgresql");
  CHECK(sqlite_dialect().foreign_key_switch() != nullptr);
  CHECK(postgres_dialect().foreign_key_switch() == nullptr);
  CHECK(postgres_dialect().capabilities().advisory_locks);
  CHECK_FALSE(sqlite_dialect().capabilities().advisory_locks);
  CHECK(postgres_dialect().capabilities().schemas);
  CHECK_FALSE(sqlite_dialect().capabilities().schemas);
  CHECK(sqlite_dialect().controls_transaction("ROLLBACK TRANSACTION"));
  CHECK_FALSE(sqlite_dialect().controls_transaction("ROLLBACK TO SAVEPOINT a"));
  CHECK(postgres_dialect().controls_transaction("COMMIT"));
  CHECK(postgres_dialect().session_change("SET search_path TO x").effect == SessionEffect::setting);
  CHECK(sqlite_dialect().session_change("SET search_path TO x").effect == SessionEffect::none);
}
