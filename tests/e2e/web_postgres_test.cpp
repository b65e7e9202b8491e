// migrate-web against a real PostgreSQL database whose URL holds a password: the state is read, and
// the password reaches neither the API nor the page.
#include <fmt/format.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>

#include "support/http_client.hpp"
#include "support/postgres.hpp"
#include "support/project.hpp"
#include "support/web_process.hpp"

using namespace migrate::test;
using Catch::Contains;
using nlohmann::json;

TEST_CASE(
    "postgres: migrate-web shows a PostgreSQL environment's state, never "
    "its password",
    "[postgres][e2e][web]") {
  PostgresDatabase db;
  const std::string password = "pg-web-s3cret";
  postgres_exec(postgres_admin_url(), "DROP ROLE IF EXISTS migrate_web");
  postgres_exec(postgres_admin_url(),
                fmt::format("CREATE ROLE migrate_web LOGIN PASSWORD '{}'", password));
  db.exec("GRANT ALL ON SCHEMA public TO migrate_web");
  std::string url = fmt::format("postgresql://migrate_web:{}@{}/{}", password,
                                postgres_tcp_host_port(), db.name());
  Project project;
  std::ofstream(project.root() / "migrate.conf") << fmt::format(
      "[env \"pg\"]\n  database = {}\n[env \"local\"]\n  "
      "database = sqlite:l.db\n",
      url);
  project.add("0001_users.sql", migration_text("CREATE TABLE users (id INTEGER);"));
  project.add("0002_posts.sql", migration_text("CREATE TABLE posts (id INTEGER);"));
  RunOptions options{.env = {{"MIGRATE_ENV", "pg"}}};
  REQUIRE(project.run("migrate-upgrade", {"0001"}, options).exit_code == 0);

  WebProcess server(project.root(), {}, options);
  HttpResponse list = http_get(server.port(), "/api/migrations");
  REQUIRE(list.status == 200);
  json data = json::parse(list.body);
  CHECK(data["environments"][0]["name"] == "pg");
  CHECK(data["environments"][0]["reachable"] == true);
  CHECK_THAT(data["environments"][0]["database"].get<std::string>(), Contains("migrate_web:***@"));
  CHECK(data["migrations"][0]["states"]["pg"]["state"] == "applied");
  CHECK(data["migrations"][0]["states"]["pg"]["applied"]["applied_by"].is_string());
  CHECK(data["migrations"][1]["states"]["pg"]["state"] == "pending");
  CHECK(data["migrations"][1]["states"]["local"]["state"] == "pending");
  for (const char* target : {"/", "/api/migrations", "/api/status", "/api/migrations/0001",
                             "/graph.svg", "/assets/app.js"}) {
    HttpResponse response = http_get(server.port(), target);
    INFO(target);
    CHECK(response.status == 200);
    CHECK_THAT(response.body, !Contains(password));
  }
  // A wrong password is reported (redacted), and the other environments still show.
  std::ofstream(project.root() / "migrate.conf", std::ios::app)
      << fmt::format("[env \"wrong\"]\n  database = postgresql://migrate_web:{}-no@{}/{}\n",
                     password, postgres_tcp_host_port(), db.name());
  json status = json::parse(http_get(server.port(), "/api/status").body);
  REQUIRE(status["environments"].size() == 3);
  CHECK(status["environments"][2]["reachable"] == false);
  CHECK_THAT(status["environments"][2]["error"].get<std::string>(), Contains("password"));
  CHECK_THAT(status.dump(), !Contains(password));
  CHECK(status["environments"][0]["current"]["pending"][0]["id"] == "0002");
}
