// migrate-current: where the database is, for people and for scripts.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sqlite3.h>

#include <memory>

#include "support/logged_run.hpp"
#include "support/project.hpp"
#include "support/sqlite_probe.hpp"

using namespace migrate::test;
using Catch::Contains;

TEST_CASE("current on a database that does not exist yet does not create it", "[e2e][current]") {
  Project project;
  project.add("0001_create_a.sql", migration_text("CREATE TABLE a (x INTEGER);", "DROP TABLE a;"));
  ProcessResult result = project.run("migrate-current");
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Contains("nothing applied"));
  CHECK_THAT(result.out, Contains("pending   1: 0001_create_a"));
  CHECK_FALSE(std::filesystem::exists(project.db()));
}

TEST_CASE("current --check exits 3 while anything is pending, 0 when up to date",
          "[e2e][current]") {
  Project project;
  project.add("0001_create_a.sql", migration_text("CREATE TABLE a (x INTEGER);", "DROP TABLE a;"));
  CHECK(project.run("migrate-current", {"--check"}).exit_code == 3);
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  ProcessResult result = project.run("migrate-current", {"--check"});
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Contains("current   0001_create_a (head)"));
  CHECK_THAT(result.out, Contains("none: up to date"));
}

TEST_CASE("current --check exits 3 for an applied migration edited afterwards", "[e2e][current]") {
  Project project;
  project.add("0001_create_a.sql", migration_text("CREATE TABLE a (x INTEGER);", "DROP TABLE a;"));
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  project.add("0001_create_a.sql", migration_text("CREATE TABLE a (y INTEGER);", "DROP TABLE a;"));
  ProcessResult result = project.run("migrate-current", {"--check"});
  CHECK(result.exit_code == 3);
  CHECK_THAT(result.out, Contains("changed   migrations/0001_create_a.sql"));
}

TEST_CASE("current --json has the stable shape", "[e2e][current]") {
  Project project;
  project.add("0001_create_a.sql", migration_text("CREATE TABLE a (x INTEGER);", "DROP TABLE a;"));
  project.add("0002_create_b.sql", migration_text("CREATE TABLE b (x INTEGER);", "DROP TABLE b;"));
  project.add("0003_create_c.sql", migration_text("CREATE TABLE c (x INTEGER);", "DROP TABLE c;"));
  REQUIRE(project.run("migrate-upgrade", {"0002"}).exit_code == 0);
  std::filesystem::remove(project.migrations() / "0002_create_b.sql");
  project.add("0003_create_c.sql",
              migration_text("CREATE TABLE c (x INTEGER);", "DROP TABLE c;", "-- depends: 0001"));
  ProcessResult result = project.run("migrate-current", {"--json"});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  nlohmann::json json = nlohmann::json::parse(result.out);
  CHECK(json["database"] == "sqlite:migrate.db");
  CHECK(json["applied"] == 1);
  REQUIRE(json["heads"].size() == 1);
  CHECK(json["heads"][0]["stem"] == "0001_create_a");
  REQUIRE(json["pending"].size() == 1);
  CHECK(json["pending"][0]["id"] == "0003");
  CHECK(json["pending"][0]["file"] == "migrations/0003_create_c.sql");
  REQUIRE(json["orphans"].size() == 1);
  CHECK(json["orphans"][0]["id"] == "0002");
  CHECK(json["changed"].empty());
  CHECK(json["up_to_date"] == false);
}

TEST_CASE("current with a database named by DATABASE_URL and by --database", "[e2e][current]") {
  Project project;
  project.add("0001_create_a.sql", migration_text("CREATE TABLE a (x INTEGER);", "DROP TABLE a;"));
  REQUIRE(project.run("migrate-upgrade", {"--database", "sqlite:other.db"}).exit_code == 0);
  CHECK(std::filesystem::exists(project.root() / "other.db"));
  CHECK_FALSE(std::filesystem::exists(project.db()));
  ProcessResult by_env =
      project.run("migrate-current", {"--check"}, {.env = {{"DATABASE_URL", "sqlite:other.db"}}});
  CHECK(by_env.exit_code == 0);
  CHECK_THAT(by_env.out, Contains("database  sqlite:other.db"));
  // The flag wins over the environment.
  ProcessResult by_flag =
      project.run("migrate-current", {"--check", "--database", "sqlite:third.db"},
                  {.env = {{"DATABASE_URL", "sqlite:other.db"}}});
  CHECK(by_flag.exit_code == 3);
}

TEST_CASE("current: a migration stopped part-way is not 'up to date', in words, JSON and --check",
          "[e2e][current]") {
  Project project;
  project.add("0001_stepwise.sql",
              "-- migrate:up transaction:false\nCREATE TABLE x (n INTEGER);\n"
              "INSERT INTO nope VALUES (2);\n-- migrate:down\nDROP TABLE x;\n");
  REQUIRE(project.run("migrate-upgrade").exit_code == 1);
  ProcessResult current = project.run("migrate-current");
  CHECK(current.exit_code == 0);
  CHECK_THAT(current.out, !Contains("none: up to date"));
  CHECK_THAT(current.out,
             Contains("pending   none, but not up to date: 1 stopped part-way (below)"));
  CHECK_THAT(current.out, Contains("partial   0001_stepwise"));
  CHECK(project.run("migrate-current", {"--check"}).exit_code == 3);
  CHECK_THAT(project.run("migrate-current", {"--json"}).out, Contains("\"up_to_date\": false"));
}

TEST_CASE("current: an applied migration edited since is not 'up to date' either",
          "[e2e][current]") {
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x INTEGER);", "DROP TABLE a;"));
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x INTEGER, y TEXT);", "DROP TABLE a;"));
  ProcessResult current = project.run("migrate-current");
  CHECK_THAT(current.out,
             Contains("pending   none, but not up to date: 1 changed since applied (below)"));
  CHECK(project.run("migrate-current", {"--check"}).exit_code == 3);
  CHECK_THAT(project.run("migrate-current", {"--json"}).out, Contains("\"up_to_date\": false"));
}

TEST_CASE("current and history -q still print what they report", "[e2e][current]") {
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x INTEGER);", "DROP TABLE a;"));
  REQUIRE(project.run("migrate-upgrade", {"-q"}).exit_code == 0);
  ProcessResult current = project.run("migrate-current", {"-q"});
  CHECK(current.exit_code == 0);
  CHECK_THAT(current.out, Contains("current   0001_a (head)"));
  CHECK_THAT(current.out, Contains("pending   none: up to date"));
  ProcessResult history = project.run("migrate-history", {"-q"});
  CHECK(history.exit_code == 0);
  CHECK_THAT(history.out, Contains("applied   0001_a"));
}

TEST_CASE("every --json command prints a JSON error on stdout when it fails", "[e2e][current]") {
  Project project;
  project.add("0001_a.sql", "-- Only a comment.\n");
  for (const char* tool : {"migrate-current", "migrate-history"}) {
    INFO(tool);
    ProcessResult result = project.run(tool, {"--json"});
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.out, Contains("\"error\": \"migrations/0001_a.sql: no '-- migrate:up' line"));
    CHECK_THAT(result.out, Contains("\"exit_code\": 2"));
    CHECK_THAT(result.err, Contains("no '-- migrate:up' line"));
  }
  // A bad flag, even before --json on the command line.
  ProcessResult flag = project.run("migrate-current", {"--bogus", "--json"});
  CHECK(flag.exit_code == 2);
  CHECK_THAT(flag.out, Contains("\"exit_code\": 2"));
  CHECK_THAT(flag.out, Contains("--bogus"));
  // A database that cannot be reached: exit 1, and JSON still.
  std::filesystem::remove(project.migrations() / "0001_a.sql");
  ProcessResult db = project.run("migrate-current",
                                 {"--json", "--database", "postgres://u:secret@127.0.0.1:1/none"});
  CHECK(db.exit_code == 1);
  CHECK_THAT(db.out, Contains("\"exit_code\": 1"));
  CHECK_THAT(db.out, !Contains("secret"));
}

TEST_CASE(
    "current and history read the folder and the database at once, and say first what "
    "is wrong with the folder",
    "[e2e][current]") {
  // The folder is read on a thread of its own while the database is opened: whichever fails
  // alone is reported as before, and with both broken the folder's problem comes first.
  Project project;
  project.add("0001_create_a.sql", migration_text("CREATE TABLE a (x INTEGER);", "DROP TABLE a;"));
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  std::string database = read_text(project.db());
  auto tool = GENERATE(as<std::string>{}, "migrate-current", "migrate-history");
  SECTION("the database alone unreadable") {
    write_text(project.db(), "not a database");
    ProcessResult result = project.run(tool);
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.err, Contains("not a database"));
  }
  SECTION("the folder alone broken") {
    project.add("0002_broken.sql", "no sections at all\n");
    ProcessResult result = project.run(tool);
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Contains("0002_broken.sql"));
  }
  SECTION("both: the folder first, and only") {
    project.add("0002_broken.sql", "no sections at all\n");
    write_text(project.db(), "not a database");
    ProcessResult result = project.run(tool);
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Contains("0002_broken.sql"));
    CHECK_THAT(result.err, !Contains("not a database"));
    CHECK(read_text(project.db()) == "not a database");  // opened read-only, never written
  }
  SECTION("neither: the same answer as ever") {
    ProcessResult result = project.run(tool);
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.out, Contains("0001_create_a"));
    CHECK(read_text(project.db()) == database);
  }
}

TEST_CASE(
    "current: a folder that does not load is reported at once, even while the database "
    "waits for a lock",
    "[e2e][current][lock-wait]") {
  Project project;
  project.add("0001_create_a.sql", migration_text("CREATE TABLE a (x INTEGER);", "DROP TABLE a;"));
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  project.add("0002_broken.sql", "no sections at all\n");
  // Another process's exclusive lock: a reader waits for it up to the lock timeout (60 s).
  sqlite3* raw = nullptr;
  int opened = sqlite3_open(project.db().c_str(), &raw);
  std::unique_ptr<sqlite3, decltype(&sqlite3_close)> other(raw, &sqlite3_close);  // closed always
  REQUIRE(opened == SQLITE_OK);
  REQUIRE(sqlite3_exec(other.get(), "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr) == SQLITE_OK);

  LoggedRun current = start_logged(project, "migrate-current", {});
  // The folder's error stops the database's wait: it comes long before the 60 s are up.
  bool told = eventually(
      [&] {
        return std::filesystem::exists(current.err) &&
               read_text(current.err).find("0002_broken.sql") != std::string::npos;
      },
      std::chrono::seconds(30));
  REQUIRE(sqlite3_exec(other.get(), "ROLLBACK", nullptr, nullptr, nullptr) == SQLITE_OK);
  other.reset();
  ProcessResult result = current.process.wait();
  std::string said = read_text(current.err);
  INFO(said);
  CHECK(told);
  CHECK(result.exit_code == 2);
  CHECK_THAT(said, !Contains("locked"));
}
