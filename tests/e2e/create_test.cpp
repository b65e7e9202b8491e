// migrate-create: a new, well-named migration file.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <ctime>
#include <regex>

#include "support/project.hpp"

using namespace migrate::test;
using Catch::Contains;

namespace {

std::string utc_minute(std::chrono::system_clock::time_point time) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm t{};
  gmtime_r(&seconds, &t);
  char text[16];
  std::strftime(text, sizeof text, "%Y%m%d%H%M", &t);
  return text;
}

}  // namespace

TEST_CASE("create writes <UTC minute>_<slug>.sql depending on the head, and prints its path",
          "[e2e][create]") {
  Project project;
  project.add("202601010000_create_users.sql",
              migration_text("CREATE TABLE users (id INTEGER);", "DROP TABLE users;"));
  project.add("HEAD", "202601010000_create_users\n");  // migrate's folder, not dbmate's
  auto before = std::chrono::system_clock::now();
  ProcessResult result = project.run("migrate-create", {"Add phone to users!"});
  auto after = std::chrono::system_clock::now();
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  std::string path = trimmed(result.out);
  std::smatch match;
  REQUIRE(
      std::regex_match(path, match, std::regex(R"(migrations/(\d{12})_add_phone_to_users\.sql)")));
  std::string id = match[1];
  CHECK((id == utc_minute(before) || id == utc_minute(after)));

  std::string text = read_text(project.root() / path);
  CHECK_THAT(text,
             Catch::StartsWith("-- Add phone to users!\n-- depends: 202601010000_create_users\n"
                               "-- migrate:up\n"));
  CHECK_THAT(text, Contains("-- migrate:down\n"));
  CHECK(trimmed(read_text(project.migrations() / "HEAD")) == id + "_add_phone_to_users");

  // The new file is part of the set: pending, after the first, the only head.
  nlohmann::json history = nlohmann::json::parse(project.run("migrate-history", {"--json"}).out);
  REQUIRE(history["migrations"].size() == 2);
  CHECK(history["migrations"][1]["id"] == id);
  CHECK(history["migrations"][1]["parents"] == nlohmann::json::array({"202601010000"}));
  CHECK(history["migrations"][1]["state"] == "pending");
}

TEST_CASE("create in a folder numbered in sequence writes the next number, not a timestamp",
          "[e2e][create]") {
  Project project;
  project.add("000003_c.sql", migration_text("CREATE TABLE c (x INTEGER);", "DROP TABLE c;"));
  project.add("000004_d.sql", migration_text("CREATE TABLE d (x INTEGER);", "DROP TABLE d;"));
  project.add("HEAD", "000004_d\n");
  ProcessResult result = project.run("migrate-create", {"add e"});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  CHECK(trimmed(result.out) == "migrations/000005_add_e.sql");
  CHECK(trimmed(read_text(project.migrations() / "HEAD")) == "000005_add_e");
}

TEST_CASE("create twice in the same minute never collides", "[e2e][create]") {
  Project project;
  ProcessResult first = project.run("migrate-create", {"one"});
  ProcessResult second = project.run("migrate-create", {"two"});
  ProcessResult third = project.run("migrate-create", {"-m", "three"});
  REQUIRE(first.exit_code == 0);
  REQUIRE(second.exit_code == 0);
  REQUIRE(third.exit_code == 0);
  std::string a = std::filesystem::path(trimmed(first.out)).filename().string().substr(0, 12);
  std::string b = std::filesystem::path(trimmed(second.out)).filename().string().substr(0, 12);
  std::string c = std::filesystem::path(trimmed(third.out)).filename().string().substr(0, 12);
  CHECK(a < b);
  CHECK(b < c);
  // A linear chain: every one depends on the one before.
  CHECK_THAT(read_text(project.root() / trimmed(third.out)), Contains("-- depends: " + b + "_two"));
  // The templates have nothing to apply yet; recorded anyway, the chain is whole.
  CHECK(project.run("migrate-upgrade").exit_code == 2);
  CHECK(project.run("migrate-upgrade", {"--allow-empty"}).exit_code == 0);
}

TEST_CASE("create after a far-future id bumps past it", "[e2e][create]") {
  Project project;
  project.add("99990101000000_future.sql", migration_text("SELECT 1;", "SELECT 1;"));
  ProcessResult result = project.run("migrate-create", {"next"});
  REQUIRE(result.exit_code == 0);
  CHECK(trimmed(result.out) == "migrations/99990101000001_next.sql");
}

TEST_CASE("create makes the migrations folder, and --empty leaves the sections empty",
          "[e2e][create]") {
  Project project;
  std::filesystem::remove_all(project.migrations());
  ProcessResult result = project.run("migrate-create", {"--empty", "first"});
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.err, Contains("created the migrations folder"));
  std::string text = read_text(project.root() / trimmed(result.out));
  CHECK(text == "-- first\n-- migrate:up\n\n-- migrate:down\n");
}

TEST_CASE("create with id-format = second writes 14-digit ids", "[e2e][create]") {
  Project project;
  write_text(project.root() / "migrate.conf", "[migrate]\n\tid-format = second\n");
  ProcessResult result = project.run("migrate-create", {"x"});
  REQUIRE(result.exit_code == 0);
  CHECK(std::regex_match(trimmed(result.out), std::regex(R"(migrations/\d{14}_x\.sql)")));
}

TEST_CASE("create from a subfolder finds migrate.conf above it", "[e2e][create]") {
  Project project;
  write_text(project.root() / "migrate.conf", "[migrate]\n\tdir = db/migrations\n");
  std::filesystem::create_directories(project.root() / "app" / "models");
  ProcessResult result =
      project.run("migrate-create", {"add x"}, {.cwd = project.root() / "app" / "models"});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  std::filesystem::path created = trimmed(result.out);
  CHECK(created.is_absolute());
  CHECK(created.parent_path() == project.root() / "db" / "migrations");
  CHECK(std::filesystem::exists(created));
}

TEST_CASE("create with several heads joins them", "[e2e][create]") {
  Project project;
  project.add("0001_root.sql", migration_text("SELECT 1;", "SELECT 1;"));
  project.add("0002_left.sql", migration_text("SELECT 1;", "SELECT 1;", "-- depends: 0001"));
  project.add("0003_right.sql", migration_text("SELECT 1;", "SELECT 1;", "-- depends: 0001"));
  ProcessResult result = project.run("migrate-create", {"next"});
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.err, Contains("2 heads"));
  CHECK_THAT(read_text(project.root() / trimmed(result.out)),
             Contains("-- depends: 0002_left 0003_right"));
}

TEST_CASE("create refuses a message with nothing to name the file after (exit 2)",
          "[e2e][create]") {
  Project project;
  CHECK(project.run("migrate-create", {}).exit_code == 2);
  ProcessResult result = project.run("migrate-create", {"!!!"});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Contains("no letters or digits"));
  CHECK(std::filesystem::is_empty(project.migrations()));
}
