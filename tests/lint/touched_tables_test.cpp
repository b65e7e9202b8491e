#include <catch2/catch.hpp>

#include "lint/touched_tables.hpp"

using migrate::touched_tables;
using Tables = std::set<std::string>;

TEST_CASE("touched_tables: the statements that change or name a table", "[lint]") {
  CHECK(touched_tables("CREATE TABLE users (id int);") == Tables{"users"});
  CHECK(touched_tables("create table if not exists Public.Users (id int)") == Tables{"users"});
  CHECK(touched_tables("ALTER TABLE ONLY \"Accounts\" ADD COLUMN x int") == Tables{"accounts"});
  CHECK(touched_tables("DROP TABLE IF EXISTS old_things;") == Tables{"old_things"});
  CHECK(touched_tables("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON ONLY posts (x)") ==
        Tables{"posts"});
  CHECK(touched_tables("CREATE INDEX ON tags (name)") == Tables{"tags"});
  CHECK(touched_tables("INSERT INTO audit (x) VALUES (1); INSERT OR IGNORE INTO seen VALUES (2)") ==
        Tables{"audit", "seen"});
  CHECK(touched_tables("UPDATE users SET a = 1; DELETE FROM sessions; TRUNCATE TABLE logs") ==
        Tables{"logs", "sessions", "users"});
  CHECK(touched_tables("CREATE TABLE posts (author_id int REFERENCES users (id))") ==
        Tables{"posts", "users"});
}

TEST_CASE("touched_tables: nothing in plain queries", "[lint]") {
  CHECK(touched_tables("SELECT * FROM users WHERE x = 'UPDATE'").empty());
  CHECK(touched_tables("").empty());
}

TEST_CASE("touched_tables: comments and string literals are not statements", "[lint]") {
  CHECK(touched_tables("-- CREATE TABLE not_this (x int)\nSELECT 1;").empty());
  CHECK(touched_tables("/* DROP TABLE nor_this; */ SELECT 1").empty());
  CHECK(touched_tables("INSERT INTO notes VALUES ('it''s UPDATE users SET x = 1')") ==
        Tables{"notes"});
  CHECK(touched_tables("CREATE TABLE \"Quoted.Name\" (x int); CREATE TABLE `b` (); "
                       "CREATE TABLE [c] ()") == Tables{"quoted.name", "b", "c"});
}

TEST_CASE("touched_tables: UPDATE that is not an UPDATE statement names no table", "[lint]") {
  CHECK(touched_tables("CREATE TABLE posts (user_id int REFERENCES users (id) ON UPDATE CASCADE "
                       "ON DELETE CASCADE)") == Tables{"posts", "users"});
  CHECK(touched_tables("SELECT * FROM jobs FOR UPDATE SKIP LOCKED").empty());
  CHECK(touched_tables("INSERT INTO counts VALUES (1) ON CONFLICT (id) DO UPDATE SET n = 2") ==
        Tables{"counts"});
  CHECK(touched_tables("CREATE TRIGGER t AFTER INSERT OR UPDATE OF name ON users FOR EACH ROW "
                       "EXECUTE FUNCTION f()")
            .empty());
  CHECK(touched_tables("WITH moved AS (DELETE FROM inbox RETURNING *) UPDATE ONLY archive SET "
                       "n = 1") == Tables{"archive", "inbox"});
}

TEST_CASE("touched_tables: unfinished text is read as far as it goes", "[lint][bad-input]") {
  CHECK(touched_tables("CREATE TABLE").empty());
  CHECK(touched_tables("CREATE TABLE \"unclosed") == Tables{"unclosed"});
  CHECK(touched_tables("INSERT INTO x VALUES ('unclosed").size() == 1);
  CHECK(touched_tables("UPDATE public.") == Tables{"public"});
}

TEST_CASE("touched_tables: PostgreSQL's quoting does not hide what follows", "[lint]") {
  // Dollar quotes: a function body is read as SQL, a comment's text does not swallow the rest.
  CHECK(touched_tables("COMMENT ON TABLE users IS $$It's here$$; CREATE TABLE orders (x int)") ==
        Tables{"orders"});
  CHECK(touched_tables("CREATE FUNCTION f() RETURNS trigger AS $body$ BEGIN INSERT INTO audit "
                       "VALUES (1); RETURN NEW; END $body$ LANGUAGE plpgsql; SELECT $1") ==
        Tables{"audit"});
  // E'…' strings escape with a backslash.
  CHECK(touched_tables("INSERT INTO msgs VALUES (E'it\\'s'); CREATE TABLE orders (x int)") ==
        Tables{"msgs", "orders"});
  // Block comments nest.
  CHECK(touched_tables("/* a /* b */ don't */ CREATE TABLE orders (x int)") == Tables{"orders"});
  // A doubled quote inside a quoted name is one quote.
  CHECK(touched_tables("CREATE TABLE \"a\"\"b\" (x int)") == Tables{"a\"b"});
}

TEST_CASE("touched_tables: a keyword where the table would be is no table", "[lint]") {
  CHECK(touched_tables("CREATE RULE r AS ON UPDATE TO t DO INSTEAD UPDATE other SET x = 1") ==
        Tables{"other"});
  CHECK(touched_tables("UPDATE OR IGNORE counters SET n = 1") == Tables{"counters"});
  CHECK(touched_tables("GRANT SELECT, UPDATE ON accounts TO app").empty());
  CHECK(touched_tables("CREATE TRIGGER t AFTER TRUNCATE ON logs EXECUTE FUNCTION f()").empty());
}
