// migrate-web's schema side against real SQLite databases, a real git repository and a
// PostgreSQL server: each environment's live drift, and what each migration does to the schema,
// read from a development database's catalog.
#include <fmt/format.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <future>
#include <string>

#include "support/api_json.hpp"
#include "support/http_client.hpp"
#include "support/logged_run.hpp"
#include "support/postgres.hpp"
#include "support/project.hpp"
#include "support/sqlite_probe.hpp"
#include "support/temp_dir.hpp"
#include "support/web_project.hpp"

using namespace migrate::test;
using Catch::Contains;
using nlohmann::json;

namespace {

const json& named(const json& list, const std::string& key, const std::string& value) {
  for (const json& item : list) {
    if (item[key] == value) {
      return item;
    }
  }
  FAIL("no " << key << " " << value << " in " << list.dump());
  throw std::logic_error("unreachable");
}

std::string joined(const json& strings) {
  std::string text;
  for (const json& s : strings) {
    text += s.get<std::string>() + "\n";
  }
  return text;
}

}  // namespace

TEST_CASE("/api/drift: each environment against the replay of what it applied", "[e2e][web]") {
  WebProject web;
  WebProcess server(web.project.root(), {}, web.options());
  json drift = get_json(server.port(), "/api/drift");
  REQUIRE(drift["environments"].size() == 3);

  // dev: 0003 was edited after it ran (the replay has posts.body, the database not) and 0004
  // ran but its file is gone (its table is in the database only).
  const json& dev = named(drift["environments"], "name", "dev");
  CHECK(dev["state"] == "drift");
  CHECK(dev["orphans"] == 1);
  CHECK_THAT(joined(dev["changes"]), Contains("gone") && Contains("body"));

  const json& staging = named(drift["environments"], "name", "staging");
  CHECK(staging["state"] == "none");
  CHECK(staging["changes"].empty());
  CHECK(staging["error"].is_null());

  // prod never answers: unknown, with why, and never its password.
  const json& prod = named(drift["environments"], "name", "prod");
  CHECK(prod["state"] == "unknown");
  CHECK(prod["error"].is_string());
  CHECK_THAT(drift.dump(), !Contains(WebProject::kPassword));

  // An index added by hand in staging shows on the next request; the files did not change.
  sqlite_exec(web.project.root() / "staging.db", "CREATE INDEX by_hand ON users (name)");
  json again = get_json(server.port(), "/api/drift");
  const json& changed = named(again["environments"], "name", "staging");
  CHECK(changed["state"] == "drift");
  CHECK_THAT(joined(changed["changes"]), Contains("by_hand"));
}

TEST_CASE("/api/drift: an environment whose database is not created yet is absent", "[e2e][web]") {
  Project project;
  std::ofstream(project.root() / "migrate.conf") << "[migrate]\n  database = sqlite:new.db\n";
  project.add("0001_a.sql", migration_text("CREATE TABLE a (id INTEGER);"));
  WebProcess server(project.root());
  json drift = get_json(server.port(), "/api/drift");
  REQUIRE(drift["environments"].size() == 1);
  CHECK(drift["environments"][0]["state"] == "absent");
  CHECK_FALSE(std::filesystem::exists(project.root() / "new.db"));  // never created by a read
}

TEST_CASE("/api/schema-changes and /api/migrations/<id>/schema: what each up section does",
          "[e2e][web]") {
  WebProject web;
  WebProcess server(web.project.root(), {}, web.options());
  json list = get_json(server.port(), "/api/schema-changes");
  REQUIRE(list["migrations"].size() == 3);
  CHECK(named(list["migrations"], "id", "0001")["tables"] == json{"users"});
  CHECK(named(list["migrations"], "id", "0002")["tables"] == json{"audit"});
  CHECK(named(list["migrations"], "id", "0003")["tables"] == json{"posts"});

  json posts = get_json(server.port(), "/api/migrations/0003_posts/schema");
  REQUIRE(posts["changes"].size() == 1);
  CHECK(posts["changes"][0]["change"] == "added");
  CHECK(posts["changes"][0]["object"] == "table posts");
  CHECK(posts["changes"][0]["before"].is_null());
  CHECK_THAT(posts["changes"][0]["after"].get<std::string>(), Contains("body"));
  CHECK(posts["error"].is_null());
  CHECK(get_json(server.port(), "/api/migrations/9999/schema", 404)["error"] == "not found");

  // An edit changes its key, and the next request shows the new definition; a migration after
  // it whose up fails names its error.
  web.project.add("0002_xss.sql",
                  migration_text("CREATE TABLE audit (id INTEGER, at TEXT);", "DROP TABLE audit;"));
  web.project.add("0005_broken.sql", migration_text("ALTER TABLE nowhere ADD COLUMN x TEXT;"));
  json audit = get_json(server.port(), "/api/migrations/0002/schema");
  CHECK_THAT(audit["changes"][0]["after"].get<std::string>(), Contains("at"));
  json broken = get_json(server.port(), "/api/migrations/0005/schema");
  CHECK_THAT(broken["error"].get<std::string>(), Contains("nowhere"));
  CHECK(broken["changes"].empty());
  json listed = get_json(server.port(), "/api/schema-changes");
  CHECK_THAT(named(listed["migrations"], "id", "0005")["error"].get<std::string>(),
             Contains("nowhere"));
}

TEST_CASE("postgres: migrate-web's drift and schema changes on a PostgreSQL environment",
          "[postgres][e2e][web]") {
  PostgresDatabase db;
  PostgresDatabase server_database;  // dev-database: development databases are made beside it
  Project project;
  std::ofstream(project.root() / "migrate.conf") << fmt::format(
      "[migrate]\n  database = {}\n  dev-database = {}\n", db.url(), server_database.url());
  project.add("0001_users.sql",
              migration_text("CREATE TABLE users (id serial PRIMARY KEY, name text);",
                             "DROP TABLE users;"));
  project.add("0002_mood.sql", migration_text("CREATE TYPE mood AS ENUM ('ok');"
                                              "ALTER TABLE users ADD COLUMN m mood;",
                                              "ALTER TABLE users DROP COLUMN m; DROP TYPE mood;"));
  REQUIRE(project.run("migrate-upgrade", {}).exit_code == 0);
  WebProcess server(project.root());

  json drift = get_json(server.port(), "/api/drift");
  CHECK(drift["environments"][0]["state"] == "none");
  db.exec("ALTER TABLE users ADD COLUMN phone text");
  json after = get_json(server.port(), "/api/drift");
  CHECK(after["environments"][0]["state"] == "drift");
  CHECK_THAT(joined(after["environments"][0]["changes"]), Contains("phone"));

  json mood = get_json(server.port(), "/api/migrations/0002/schema");
  CHECK(named(mood["changes"], "object", "type public.mood")["change"] == "added");
  CHECK(named(mood["changes"], "object", "table public.users")["change"] == "altered");
  CHECK(mood["tables"] == json{"public.users"});
}

TEST_CASE("postgres: SIGTERM while migrate-web's throwaway cluster starts leaves nothing behind",
          "[postgres][e2e][web][crash]") {
  PostgresDatabase db;
  TempDir tmp;
  let_cluster_owner_in(tmp.path());
  Project project;
  // No dev-database: the page starts a cluster of its own under TMPDIR at its first need.
  std::ofstream(project.root() / "migrate.conf")
      << fmt::format("[migrate]\n  database = {}\n", db.url());
  project.add("0001_t.sql", migration_text("CREATE TABLE t (a int);", "DROP TABLE t;"));
  WebProcess server(project.root(), {}, {.env = {{"TMPDIR", tmp.path().string()}}});
  auto drift = std::async(std::launch::async,
                          [&] { return http_get(server.port(), "/api/schema-changes"); });
  REQUIRE(eventually([&] { return !postgres_processes_mentioning(tmp.path().string()).empty(); },
                     std::chrono::seconds(10)));
  ProcessResult stopped = server.stop();
  INFO(stopped.err);
  CHECK(stopped.exit_code == 0);
  drift.wait();
  CHECK(eventually([&] { return postgres_processes_mentioning(tmp.path().string()).empty(); },
                   std::chrono::seconds(5)));
  CHECK(std::filesystem::is_empty(tmp.path()));
}
