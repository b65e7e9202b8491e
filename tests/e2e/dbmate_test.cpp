// dbmate itself (from the npm registry, installed by `make test`) and migrate on one database:
// a folder dbmate applied is adopted, migrate carries on, and dbmate still reads its own state
// as it left it. On SQLite and on PostgreSQL.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <optional>
#include <regex>

#include <fmt/format.h>

#include "support/postgres.hpp"
#include "support/project.hpp"
#include "support/sqlite_probe.hpp"

using namespace migrate::test;
using Catch::Contains;
using Strings = std::vector<std::string>;

namespace {

std::filesystem::path dbmate_path() {
  std::filesystem::path path = std::filesystem::path(MIGRATE_NPM_BIN_DIR) / "dbmate";
  INFO(
      "dbmate comes from the npm registry: `make test` installs it "
      "(scripts/install-test-peers.sh)");
  REQUIRE(std::filesystem::exists(path));
  return path;
}

/// dbmate run in the project on `url`, with the folder migrate reads and no schema dump.
ProcessResult dbmate(const Project& project, const std::string& url, const Strings& args) {
  Strings argv = {dbmate_path().string(), "--url",      url,
                  "--migrations-dir",     "migrations", "--no-dump-schema"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, {.cwd = project.root()});
}

/// A dbmate migration as `dbmate new` lays it out, with `down` (possibly empty: dbmate runs an
/// empty down as nothing).
std::string dbmate_file(const std::string& up, const std::string& down) {
  return fmt::format("-- migrate:up\n{}\n\n-- migrate:down\n{}\n", up, down);
}

}  // namespace

TEST_CASE(
    "dbmate: a database dbmate migrated is adopted, migrate carries on, dbmate still reads "
    "its state",
    "[e2e][adopt][dbmate]") {
  for (bool postgres : {false, true}) {
    INFO((postgres ? "PostgreSQL" : "SQLite"));
    Project project;
    std::optional<PostgresDatabase> server;
    std::string migrate_url = "sqlite:migrate.db";
    std::string dbmate_url = "sqlite:migrate.db";
    if (postgres) {
      server.emplace();
      migrate_url = server->url();
      // dbmate spells a unix socket as ?socket=; the rest of the URL is the same.
      dbmate_url =
          std::regex_replace(migrate_url, std::regex("\\?host="), "?sslmode=disable&socket=");
    }
    auto tables = [&]() -> Strings {
      if (postgres) {
        return server->relations();
      }
      return schema_objects(project.db());
    };
    auto dbmate_rows = [&]() -> Strings {
      return postgres
                 ? server->column("SELECT version FROM schema_migrations ORDER BY 1")
                 : sqlite_column(project.db(), "SELECT version FROM schema_migrations ORDER BY 1");
    };

    project.add("20240101000000_create_a.sql",
                dbmate_file("CREATE TABLE a (x int);", "DROP TABLE a;"));
    project.add("20240102000000_create_b.sql", dbmate_file("CREATE TABLE b (x int);", ""));
    ProcessResult up = dbmate(project, dbmate_url, {"up"});
    INFO(up.out << up.err);
    REQUIRE(up.exit_code == 0);
    project.add("20240103000000_create_c.sql",
                dbmate_file("CREATE TABLE c (x int);", "DROP TABLE c;"));
    Strings theirs = dbmate_rows();
    REQUIRE(theirs == Strings{"20240101000000", "20240102000000"});

    // migrate's default table name is dbmate's: every command says so, and what to do.
    ProcessResult refused = project.run("migrate-upgrade", {"--database", migrate_url});
    INFO(refused.err);
    CHECK(refused.exit_code == 2);
    CHECK_THAT(refused.err, Contains("is dbmate's state table, not migrate's"));

    std::ofstream(project.root() / "migrate.conf")
        << fmt::format("[migrate]\n\tdatabase = {}\n\ttable = migrate_migrations\n", migrate_url);
    ProcessResult not_adopted = project.run("migrate-upgrade");
    INFO(not_adopted.err);
    CHECK(not_adopted.exit_code == 2);
    CHECK_THAT(not_adopted.err, Contains("Run `migrate adopt` first"));
    Strings before = tables();
    CHECK(std::count(before.begin(), before.end(), "c") == 0);

    ProcessResult adopt = project.run("migrate-adopt");
    INFO(adopt.out << adopt.err);
    REQUIRE(adopt.exit_code == 0);
    CHECK_THAT(adopt.out, Contains("2 recorded (nothing run)"));
    ProcessResult current = project.run("migrate-current");
    CHECK_THAT(current.out, Contains("20240102000000_create_b"));
    CHECK_THAT(current.out, Contains("pending   1: 20240103000000_create_c"));

    ProcessResult carry_on = project.run("migrate-upgrade");
    INFO(carry_on.out << carry_on.err);
    REQUIRE(carry_on.exit_code == 0);
    Strings now = tables();
    CHECK(std::count(now.begin(), now.end(), "c") == 1);

    // dbmate's table is as dbmate left it, and dbmate still reads it: what it applied is
    // applied; what migrate applied since is not in its table (migrate never writes it).
    CHECK(dbmate_rows() == theirs);
    ProcessResult status = dbmate(project, dbmate_url, {"status"});
    INFO(status.out << status.err);
    CHECK(status.exit_code == 0);
    CHECK_THAT(status.out, Contains("[X] 20240101000000_create_a.sql\n"
                                    "[X] 20240102000000_create_b.sql\n"
                                    "[ ] 20240103000000_create_c.sql\n"));
    CHECK_THAT(status.out, Contains("Applied: 2\nPending: 1"));
  }
}
