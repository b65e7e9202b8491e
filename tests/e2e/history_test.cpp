// migrate-history: every migration, for people and as JSON.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/project.hpp"

using namespace migrate::test;
using Catch::Contains;

TEST_CASE("history lists every migration newest first with its state", "[e2e][history]") {
  Project project;
  project.add("0001_create_a.sql",
              migration_text("CREATE TABLE a (x INTEGER);", "DROP TABLE a;", "-- Create a."));
  project.add("0002_create_b.sql",
              migration_text("CREATE TABLE b (x INTEGER);", "DROP TABLE b;", "-- Create b."));
  REQUIRE(project.run("migrate-upgrade", {"0001"}).exit_code == 0);
  ProcessResult result = project.run("migrate-history");
  CHECK(result.exit_code == 0);
  std::size_t b = result.out.find("0002_create_b");
  std::size_t a = result.out.find("0001_create_a");
  REQUIRE(a != std::string::npos);
  REQUIRE(b != std::string::npos);
  CHECK(b < a);
  CHECK_THAT(result.out, Contains("pending   0002_create_b  Create b."));
  CHECK_THAT(result.out, Contains("applied   0001_create_a  Create a."));
}

TEST_CASE("history shows merges and -v the documentation, parents and checksum", "[e2e][history]") {
  Project project;
  project.add("0001_root.sql", migration_text("SELECT 1;", "SELECT 1;"));
  project.add("0002_left.sql", migration_text("SELECT 2;", "SELECT 1;", "-- depends: 0001"));
  project.add("0003_right.sql", migration_text("SELECT 3;", "SELECT 1;", "-- depends: 0001"));
  project.add("0004_join.sql",
              migration_text("", "",
                             "-- Join the branches.\n--\n-- Both are shared already.\n"
                             "-- depends: 0002_left 0003_right"));
  ProcessResult list = project.run("migrate-history");
  CHECK_THAT(list.out, Contains("merges 0002_left, 0003_right"));
  CHECK_THAT(list.out, Contains("after 0001_root"));
  ProcessResult verbose = project.run("migrate-history", {"-v"});
  CHECK(verbose.exit_code == 0);
  CHECK_THAT(verbose.out, Contains("0004_join (head)"));
  CHECK_THAT(verbose.out, Contains("parents   0002_left, 0003_right"));
  CHECK_THAT(verbose.out, Contains("| Both are shared already."));
  CHECK_THAT(verbose.out, Contains("checksum  sha256:"));
}

TEST_CASE("history --json lists migrations in apply order with their state", "[e2e][history]") {
  Project project;
  project.add("0001_create_a.sql",
              migration_text("CREATE TABLE a (x INTEGER);", "DROP TABLE a;", "-- Create a."));
  project.add("0002_create_b.sql", migration_text("CREATE TABLE b (x INTEGER);", std::nullopt));
  REQUIRE(project.run("migrate-upgrade", {"0001"}).exit_code == 0);
  ProcessResult result = project.run("migrate-history", {"--json"});
  REQUIRE(result.exit_code == 0);
  nlohmann::json json = nlohmann::json::parse(result.out);
  REQUIRE(json["migrations"].size() == 2);
  const nlohmann::json& a = json["migrations"][0];
  CHECK(a["id"] == "0001");
  CHECK(a["title"] == "Create a.");
  CHECK(a["state"] == "applied");
  CHECK(a["parents"].empty());
  CHECK(a["reversible"] == true);
  CHECK(a["applied"]["applied_at"].get<std::string>().size() == 24);
  const nlohmann::json& b = json["migrations"][1];
  CHECK(b["state"] == "pending");
  CHECK(b["parents"] == nlohmann::json::array({"0001"}));
  CHECK(b["head"] == true);
  CHECK(b["reversible"] == false);
  CHECK(b["applied"].is_null());
  CHECK(json["orphans"].empty());
}
