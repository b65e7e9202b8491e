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
