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
