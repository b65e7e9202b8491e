// ReplayWalk: a development database holding each migration's ancestors in turn, for what runs
// the migration itself after them (the SQLite linter). Real SQLite databases in memory.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "db/connection.hpp"
#include "diff/dev_database.hpp"
#include "diff/replay.hpp"
#include "support/migration_builder.hpp"

using namespace migrate;
using namespace migrate::test;

namespace {

/// Whether `database` has the table `name`.
bool has_table(Connection& database, const std::string& name) {
  return !database
              .query("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = '" + name + "'")
              .empty();
}

}  // namespace

TEST_CASE("replay walk: a line of migrations is replayed once, a branch afresh", "[diff]") {
  // 1 <- 2 <- 3, and 4 beside 2 and 3 on 1.
  RevisionGraph graph({make_migration("1", {}, "CREATE TABLE t1 (id INTEGER);"),
                       make_migration("2", {{"1"}}, "CREATE TABLE t2 (id INTEGER);"),
                       make_migration("3", {{"2"}}, "CREATE TABLE t3 (id INTEGER);"),
                       make_migration("4", {{"1"}}, "CREATE TABLE t4 (id INTEGER);")});
  DevDatabases dev("sqlite", "");
  ReplayWalk walk(dev, graph);

  Connection& first = walk.before(0);  // no ancestors: empty
  CHECK_FALSE(has_table(first, "t1"));
  first.execute("CREATE TABLE t1 (id INTEGER); CREATE TABLE ran_by_caller (id INTEGER);");

  Connection& second = walk.before(1);  // what the caller ran of 1 stays: the same database
  CHECK(&second == &first);
  CHECK(has_table(second, "ran_by_caller"));
  second.execute("CREATE TABLE t2 (id INTEGER);");

  Connection& fourth = walk.before(3);  // 1 alone: 2 is no ancestor of 4, so a replay
  CHECK(has_table(fourth, "t1"));
  CHECK_FALSE(has_table(fourth, "t2"));
  CHECK_FALSE(has_table(fourth, "ran_by_caller"));
}
