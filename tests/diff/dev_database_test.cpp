// Development databases on a real PostgreSQL: the test cluster named as dev-database, and a
// throwaway cluster of migrate's own when none is.
#include <catch2/catch.hpp>

#include <filesystem>
#include <thread>

#include <unistd.h>

#include <fmt/format.h>

#include "db/connection.hpp"
#include "diff/dev_database.hpp"
#include "diff/throwaway_cluster.hpp"
#include "support/postgres.hpp"
#include "support/scoped_variable.hpp"
#include "support/sqlite_probe.hpp"
#include "support/temp_dir.hpp"

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
    cluster.start();
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

TEST_CASE("dev_database: a cluster folder a killed migrate left is removed by the next one",
          "[diff][postgres]") {
  TempDir tmp;
  std::filesystem::permissions(
      tmp.path(), std::filesystem::perms::others_exec | std::filesystem::perms::group_exec,
      std::filesystem::perm_options::add);  // for the cluster's owner
  ScopedVariable tmpdir("TMPDIR", tmp.path().string());
  std::filesystem::path stale = tmp / "migrate-dev-killed";
  std::filesystem::create_directories(stale / "data");
  write_text(stale / "data" / "postmaster.pid", "999999\n");   // no such process
  std::filesystem::path fresh = tmp / "migrate-dev-starting";  // another migrate's, just made
  std::filesystem::create_directories(fresh);
  auto old = std::filesystem::file_time_type::clock::now() - std::chrono::minutes(5);
  std::filesystem::last_write_time(stale, old);
  ThrowawayCluster cluster;
  cluster.start();
  CHECK_FALSE(std::filesystem::exists(stale));
  CHECK(std::filesystem::exists(fresh));
  CHECK(cluster.folder().parent_path() == tmp.path());
}

TEST_CASE("dev_database: a shared SQLite database is a file another program opens, removed after",
          "[diff]") {
  TempDir tmp;
  ScopedVariable tmpdir("TMPDIR", tmp.path().string());
  DevDatabases dev("sqlite", "");
  std::filesystem::path file;
  {
    std::unique_ptr<DevDatabase> db = dev.open_shared();
    REQUIRE_THAT(db->url(), Catch::StartsWith("sqlite://" + (tmp / "migrate-sqlite-").string()));
    file = db->url().substr(std::string("sqlite://").size());
    sqlite_exec(file, "CREATE TABLE made_outside (a INTEGER)");  // another connection's
    CHECK(db->connection().query("SELECT name FROM sqlite_schema")[0][0] == "made_outside");
  }
  CHECK_FALSE(std::filesystem::exists(file.parent_path()));
  CHECK(dev.open()->url() == "sqlite::memory:");  // in memory: no other program reaches it
}

TEST_CASE(
    "dev_database: abandon() undoes the hooks alive, the newest first, and later ones at once",
    "[diff]") {
  TempDir tmp;
  ScopedVariable tmpdir("TMPDIR", tmp.path().string());
  DevDatabases dev("sqlite", "");
  std::vector<std::string> undone;
  std::unique_ptr<DevDatabase> db = dev.open_shared();
  std::filesystem::path folder = std::filesystem::path(db->url().substr(9)).parent_path();
  {
    DevDatabases::AbandonHook gone(dev, [&] { undone.push_back("gone"); });
  }
  DevDatabases::AbandonHook first(dev, [&] { undone.push_back("first"); });
  DevDatabases::AbandonHook second(dev, [&] { undone.push_back("second"); });
  dev.abandon();
  CHECK(undone == std::vector<std::string>{"second", "first"});
  CHECK_FALSE(std::filesystem::exists(folder));  // the shared database's
  DevDatabases::AbandonHook late(dev, [&] { undone.push_back("late"); });
  CHECK(undone.back() == "late");
}

TEST_CASE("dev_database: a shared PostgreSQL database's URL names it on dev-database",
          "[diff][postgres]") {
  DevDatabases dev("postgresql", postgres_admin_url());
  std::unique_ptr<DevDatabase> db = dev.open_shared();
  db->connection().execute("CREATE TABLE t (a int)");
  CHECK(postgres_rows(db->url(),
                      "SELECT current_database(), count(*) FROM pg_class WHERE "
                      "relname = 't' GROUP BY 1")
            .at(0)
            .at(1) == "1");
  CHECK_THAT(postgres_rows(db->url(), "SELECT current_database()").at(0).at(0),
             Catch::StartsWith("migrate_dev_"));
}

TEST_CASE("dev_database: opened from several threads at once, each its own, all dropped",
          "[diff][postgres]") {
  // This process's only: tests running beside this one make their own.
  auto mine = [] {
    return postgres_rows(postgres_admin_url(),
                         fmt::format("SELECT datname FROM pg_database WHERE datname LIKE "
                                     "'migrate\\_dev\\_{}\\_%'",
                                     ::getpid()))
        .size();
  };
  std::size_t before = mine();
  {
    DevDatabases dev("postgresql", postgres_admin_url());
    std::vector<std::unique_ptr<DevDatabase>> opened(4);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < opened.size(); ++i) {
      threads.emplace_back([&, i] {
        for (int round = 0; round < 3; ++round) {  // made and dropped while the others work
          opened[i] = dev.open();
          opened[i]->connection().execute(fmt::format("CREATE TABLE t{} (a int)", i));
        }
      });
    }
    for (std::thread& thread : threads) {
      thread.join();
    }
    for (std::size_t i = 0; i < opened.size(); ++i) {
      CHECK(opened[i]->connection().query("SELECT count(*) FROM pg_class WHERE relname LIKE 't%' "
                                          "AND relkind = 'r'")[0][0] == "1");
    }
    CHECK(mine() == before + 4);
    // Throwaway: its commits do not wait for the disk, even after a migration's RESET ALL.
    Connection& connection = opened[0]->connection();
    CHECK(connection.query("SHOW synchronous_commit")[0][0] == "off");
    connection.execute("SET synchronous_commit = on; RESET ALL");
    CHECK(connection.query("SHOW synchronous_commit")[0][0] == "off");
  }
  CHECK(mine() == before);
}
