// Transaction: begun on construction, rolled back on destruction unless committed.
#include <catch2/catch.hpp>

#include <stdexcept>

#include "db/database_url.hpp"
#include "db/sqlite/sqlite_connection.hpp"
#include "db/transaction.hpp"
#include "support/sqlite_probe.hpp"
#include "support/temp_dir.hpp"

using namespace migrate;
using namespace migrate::test;

namespace {

std::vector<std::string> values(const std::filesystem::path& file) {
  return sqlite_column(file, "SELECT x FROM a ORDER BY x");
}

}  // namespace

TEST_CASE("transaction: commit keeps, destruction without commit rolls back", "[db]") {
  TempDir dir;
  std::filesystem::path file = dir / "db.sqlite";
  SqliteConnection driver(parse_database_url("sqlite://" + file.string(), "/"), false,
                          std::chrono::milliseconds(1000));
  driver.execute("CREATE TABLE a (x)");
  {
    Transaction transaction(driver);
    CHECK(driver.in_transaction());
    driver.execute("INSERT INTO a VALUES (1)");
    transaction.commit();
    CHECK_FALSE(driver.in_transaction());
  }
  CHECK(values(file) == std::vector<std::string>{"1"});
  {
    Transaction transaction(driver);
    driver.execute("INSERT INTO a VALUES (2)");
  }
  CHECK_FALSE(driver.in_transaction());
  CHECK(values(file) == std::vector<std::string>{"1"});
  try {
    Transaction transaction(driver);
    driver.execute("INSERT INTO a VALUES (3)");
    throw std::runtime_error("boom");
  } catch (const std::runtime_error&) {
  }
  CHECK_FALSE(driver.in_transaction());
  CHECK(values(file) == std::vector<std::string>{"1"});
}

TEST_CASE("transaction: a transaction already rolled back by hand is left alone", "[db]") {
  TempDir dir;
  std::filesystem::path file = dir / "db.sqlite";
  SqliteConnection driver(parse_database_url("sqlite://" + file.string(), "/"), false,
                          std::chrono::milliseconds(1000));
  driver.execute("CREATE TABLE a (x)");
  {
    Transaction transaction(driver);
    driver.execute("INSERT INTO a VALUES (1)");
    driver.rollback();
    driver.execute("INSERT INTO a VALUES (2)");  // autocommit now: stays
  }
  CHECK(values(file) == std::vector<std::string>{"2"});
}
