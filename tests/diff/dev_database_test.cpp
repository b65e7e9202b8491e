// Development databases on a real PostgreSQL: the test cluster named as dev-database, and a
// throwaway cluster of migrate's own when none is.
#include <catch2/catch.hpp>

#include <filesystem>

#include "db/connection.hpp"
#include "diff/dev_database.hpp"
#include "diff/throwaway_cluster.hpp"
#include "support/postgres.hpp"

using namespace migrate;
using namespace migrate::test;
using Catch::Contains;

namespace {

std::vector<std::string> dev_databases() {
  std::vector<std::string> names;
  for (const Rows::value_type& row :
       postgres_rows(postgres_admin_url(),
                     "SELECT datname FROM pg_database WHERE datname LIKE 'migrate_dev_%'")) {
    names.push_back(row.at(0));
  }
  return names;
}

}  // namespace

TEST_CASE("dev_database: databases created on dev-database and dropped after", "[diff][postgres]") {
  DevDatabases dev("postgresql", postgres_admin_url());
  {
    std::unique_ptr<DevDatabase> one = dev.open();
    std::unique_ptr<DevDatabase> two = dev.open();
    one->connection().execute("CREATE TABLE t (a int)");
    CHECK(two->connection().query("SELECT count(*) FROM pg_class WHERE relname = 't'")[0][0] ==
          "0");
    CHECK(dev_databases().size() == 2);
  }
  CHECK(dev_databases().empty());
}

TEST_CASE("dev_database: without dev-database, a throwaway cluster of its own, removed after",
          "[diff][postgres]") {
  std::filesystem::path folder;
  {
    ThrowawayCluster cluster;
    folder = cluster.folder();
    CHECK(std::filesystem::exists(folder / "data" / "PG_VERSION"));
    CHECK(postgres_rows(cluster.url(), "SHOW listen_addresses") == Rows{{""}});
    DevDatabases dev("postgresql", cluster.url());
    std::unique_ptr<DevDatabase> db = dev.open();
    db->connection().execute("CREATE TABLE t (a int)");
  }
  CHECK_FALSE(std::filesystem::exists(folder));
  // DevDatabases starts one itself when it has no URL.
  DevDatabases own("postgresql", "");
  std::unique_ptr<DevDatabase> db = own.open();
  CHECK(db->connection().query("SELECT 1")[0][0] == "1");
}
