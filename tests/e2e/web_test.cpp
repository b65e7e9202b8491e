// migrate-web: every route's status, content type and JSON against a real git repository and real
// SQLite databases in two environments, plus one that never answers; escaping, path traversal,
// passwords, reloading and stopping.
#include <fmt/format.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "support/api_json.hpp"
#include "support/http_client.hpp"
#include "support/project.hpp"
#include "support/raw_http.hpp"
#include "support/web_project.hpp"
#include "web/limited_server.hpp"

using namespace migrate::test;
using Catch::Contains;
using Catch::StartsWith;
using nlohmann::json;

namespace {

const json& migration(const json& list, const std::string& id) {
  for (const json& m : list["migrations"]) {
    if (m["id"] == id) {
      return m;
    }
  }
  FAIL("no migration " << id);
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("migrate-web serves the page and its assets with their content types", "[e2e][web]") {
  WebProject web;
  WebProcess server(web.project.root(), {}, web.options());
  HttpResponse page = http_get(server.port(), "/");
  CHECK(page.status == 200);
  CHECK(page.content_type == "text/html; charset=utf-8");
  CHECK_THAT(page.body, Contains("/assets/app.js"));
  for (auto [asset, type] : {std::pair{"/assets/app.js", "text/javascript; charset=utf-8"},
                             std::pair{"/assets/style.css", "text/css; charset=utf-8"},
                             std::pair{"/assets/index.html", "text/html; charset=utf-8"}}) {
    HttpResponse response = http_get(server.port(), asset);
    CHECK(response.status == 200);
    CHECK(response.content_type == type);
  }
  // The page's script never turns data into markup.
  CHECK_THAT(http_get(server.port(), "/assets/app.js").body, !Contains(".innerHTML"));
}

TEST_CASE(
    "/api/migrations: each migration, who added it, and its state in "
    "every environment",
    "[e2e][web]") {
  WebProject web;
  WebProcess server(web.project.root(), {}, web.options());
  json list = get_json(server.port(), "/api/migrations");

  REQUIRE(list["environments"].size() == 3);
  const json& dev = list["environments"][0];
  CHECK(dev["name"] == "dev");
  CHECK(dev["reachable"] == true);
  CHECK(dev["error"].is_null());
  REQUIRE(dev["orphans"].size() == 1);
  CHECK(dev["orphans"][0]["id"] == "0004");
  // The tool's own environment first, then the other [env] sections by name.
  CHECK(list["environments"][2]["name"] == "staging");
  CHECK(list["environments"][2]["reachable"] == true);
  const json& prod = list["environments"][1];
  CHECK(prod["name"] == "prod");
  CHECK(prod["reachable"] == false);
  CHECK_THAT(prod["error"].get<std::string>(), Contains("127.0.0.1"));
  CHECK_THAT(prod["database"].get<std::string>(), Contains("admin:***@"));

  REQUIRE(list["migrations"].size() == 3);
  const json& users = migration(list, "0001");
  CHECK(users["title"] == "Create users.");
  CHECK(users["commit"]["author"] == "Ann Example");
  CHECK(users["commit"]["date"] == "2026-11-21T14:23:05Z");
  CHECK(users["children"] == json::array({"0002"}));
  CHECK(users["tables"] == json::array({"users"}));
  CHECK(users["state"] == "applied");  // the first environment's, as history --json has it
  CHECK(users["states"]["dev"]["state"] == "applied");
  CHECK(users["states"]["dev"]["applied"]["duration_ms"].is_number());
  CHECK(users["states"]["staging"]["state"] == "applied");
  CHECK_FALSE(users["states"].contains("prod"));

  const json& xss = migration(list, "0002");
  CHECK(xss["title"] == WebProject::kXssTitle);  // data in JSON; the page renders it as text
  CHECK(xss["commit"]["author"] == WebProject::kXssAuthor);
  CHECK(xss["states"]["staging"]["state"] == "pending");

  const json& posts = migration(list, "0003");
  CHECK(posts["commit"].is_null());  // not committed yet
  CHECK(posts["states"]["dev"]["state"] == "changed");
  CHECK(posts["tables"] == json::array({"posts", "users"}));
  CHECK_THAT(list.dump(), !Contains(WebProject::kPassword));
}

TEST_CASE("/api/migrations/<id>: one migration with its SQL, family and states", "[e2e][web]") {
  WebProject web;
  WebProcess server(web.project.root(), {}, web.options());
  json xss = get_json(server.port(), "/api/migrations/0002");
  CHECK(xss["stem"] == "0002_xss");
  CHECK(xss["up"]["sql"] == "CREATE TABLE audit (id INTEGER);");
  CHECK(xss["up"]["first_line"].is_number());
  CHECK(xss["down"]["sql"] == "DROP TABLE audit;");
  CHECK(xss["parent_migrations"][0]["id"] == "0001");
  CHECK(xss["child_migrations"][0]["stem"] == "0003_posts");
  CHECK(xss["checksum"].get<std::string>().starts_with("sha256:"));
  CHECK(xss["environments"].size() == 3);
  // By stem as well as by id.
  CHECK(get_json(server.port(), "/api/migrations/0001_users")["id"] == "0001");
  json missing = get_json(server.port(), "/api/migrations/9999", 404);
  CHECK(missing["error"] == "not found");
}

TEST_CASE("/api/status: each environment's position, or why it cannot be read", "[e2e][web]") {
  WebProject web;
  WebProcess server(web.project.root(), {}, web.options());
  json status = get_json(server.port(), "/api/status");
  CHECK(status["migrations"] == 3);
  REQUIRE(status["environments"].size() == 3);
  const json& dev = status["environments"][0]["current"];
  CHECK(dev["changed"][0]["id"] == "0003");
  CHECK(dev["orphans"][0]["id"] == "0004");
  const json& staging = status["environments"][2]["current"];
  CHECK(staging["heads"][0]["id"] == "0001");
  CHECK(staging["pending"].size() == 2);
  CHECK(status["environments"][1]["current"].is_null());
  CHECK_THAT(status.dump(), !Contains(WebProject::kPassword));
}

TEST_CASE("/graph.svg: the lane graph, every title escaped", "[e2e][web]") {
  WebProject web;
  WebProcess server(web.project.root(), {}, web.options());
  HttpResponse svg = http_get(server.port(), "/graph.svg");
  CHECK(svg.status == 200);
  CHECK(svg.content_type == "image/svg+xml; charset=utf-8");
  CHECK_THAT(svg.body, Contains("id=\"m0001\""));
  CHECK_THAT(svg.body, Contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
  CHECK_THAT(svg.body, !Contains("<script>"));
}

TEST_CASE("migrate-web: unknown paths and traversal attempts are 404", "[e2e][web]") {
  WebProject web;
  WebProcess server(web.project.root(), {}, web.options());
  for (const char* target :
       {"/nope", "/index.html", "/assets/", "/assets/nope.js", "/assets/../migrate.conf",
        "/assets/../../../../etc/passwd", "/assets/%2e%2e/migrate.conf",
        "/assets/%2e%2e%2fmigrate.conf", "/assets/..%2F..%2Fetc%2Fpasswd",
        "/assets/app.js/../../migrate.conf", "/assets/%252e%252e%252fmigrate.conf",
        "/api/migrations/../status", "/api/migrations/..%2f..%2fmigrate.conf",
        "/api/migrations/%2e%2e", "/api/migrations/0001/../../../migrate.conf", "/api/nope",
        "//etc/passwd", "/graph.svg/..", "/%2e%2e/migrate.conf"}) {
    HttpResponse response = http_get(server.port(), target);
    INFO(target);
    CHECK(response.status == 404);
    CHECK_THAT(response.body, !Contains(WebProject::kPassword));
    CHECK_THAT(response.body, !Contains("root:"));
  }
  CHECK(http_get(server.port(), "/api/nope").content_type == "application/json; charset=utf-8");
}

TEST_CASE("migrate-web: a database that never answers delays only its own requests", "[e2e][web]") {
  WebProject web;
  WebProcess server(web.project.root(), {}, web.options());
  // prod's server accepts the connection and says nothing: this request waits for libpq's connect
  // timeout.
  std::future<HttpResponse> slow =
      std::async(std::launch::async, [&] { return http_get(server.port(), "/api/migrations"); });
  for (const char* target : {"/", "/assets/app.js"}) {
    HttpResponse quick = http_get(server.port(), target);
    CHECK(quick.status != 0);
  }
  // An unknown migration is answered from the folder alone, without waiting for prod.
  CHECK(http_get(server.port(), "/api/migrations/9999").status == 404);
  CHECK(slow.wait_for(std::chrono::seconds(0)) != std::future_status::ready);
  HttpResponse answered = slow.get();
  REQUIRE(answered.status == 200);
  CHECK(json::parse(answered.body)["environments"][1]["reachable"] == false);
}

TEST_CASE("migrate-web: a new migration or upgrade shows on the next request", "[e2e][web]") {
  WebProject web;
  WebProcess server(web.project.root(), {}, web.options());
  CHECK(get_json(server.port(), "/api/migrations")["migrations"].size() == 3);
  web.project.add("0005_tags.sql", migration_text("CREATE TABLE tags (id INTEGER);"));
  REQUIRE(web.run("migrate-upgrade", {"--env", "staging", "--allow-changed"}).exit_code == 0);
  json list = get_json(server.port(), "/api/migrations");
  REQUIRE(list["migrations"].size() == 4);
  CHECK(migration(list, "0005")["states"]["dev"]["state"] == "pending");
  CHECK(migration(list, "0005")["states"]["staging"]["state"] == "applied");
  CHECK(get_json(server.port(), "/api/migrations/0005")["title"] == "tags");
}

TEST_CASE(
    "migrate-web: a broken migration file is a 500 with its message, the "
    "page still loads",
    "[e2e][web]") {
  WebProject web;
  WebProcess server(web.project.root(), {}, web.options());
  web.project.add("0005_broken.sql", "-- migrate:down\nDROP TABLE x;\n");
  json error = get_json(server.port(), "/api/migrations", 500);
  CHECK_THAT(error["error"].get<std::string>(), Contains("0005_broken.sql"));
  CHECK(http_get(server.port(), "/").status == 200);
}

TEST_CASE("migrate-web prints its URL, and SIGTERM stops it cleanly", "[e2e][web]") {
  WebProject web;
  WebProcess server(web.project.root(), {}, web.options());
  ProcessResult result = server.stop();
  CHECK(result.exit_code == 0);
  CHECK(result.out == fmt::format("http://127.0.0.1:{}/\n", server.port()));
  CHECK(result.err.empty());
}

TEST_CASE(
    "migrate-web --bind beyond loopback warns that the page has no "
    "authentication",
    "[e2e][web]") {
  WebProject web;
  WebProcess server(web.project.root(), {"--bind", "0.0.0.0"}, web.options());
  CHECK(http_get(server.port(), "/").status == 200);
  ProcessResult result = server.stop();
  CHECK_THAT(result.err, Contains("no authentication"));
  // Every address: the one to open here is the loopback one.
  CHECK_THAT(result.out, StartsWith("http://127.0.0.1:"));
}

TEST_CASE("migrate-web: a port in use is a usage error", "[e2e][web]") {
  WebProject web;
  WebProcess first(web.project.root(), {}, web.options());
  ProcessResult second =
      web.project.run("migrate-web", {"--port", std::to_string(first.port())}, web.options());
  CHECK(second.exit_code == 2);
  CHECK_THAT(second.err, Contains("--port"));
}

TEST_CASE("migrate-web: a Host header that is not its own is 403 (DNS rebinding)",
          "[e2e][web][security]") {
  WebProject web;
  WebProcess server(web.project.root(), {}, web.options());
  std::string port = std::to_string(server.port());
  for (const std::string& host :
       {"evil.example:" + port, std::string("evil.example"), std::string("localhost"),
        "127.0.0.1.evil.example:" + port, std::string()}) {
    for (const char* target : {"/", "/api/status"}) {
      INFO(host << " " << target);
      RawConnection connection(server.port());
      connection.send(host.empty()
                          ? fmt::format("GET {} HTTP/1.1\r\nConnection: close\r\n\r\n", target)
                          : get_request(target, host));
      std::string response = connection.receive();
      CHECK(status_of(response) == 403);
      CHECK_THAT(response, Contains("the Host header does not name this server"));
      CHECK_THAT(response, !Contains("users") && !Contains(WebProject::kPassword));
    }
  }
  for (const std::string& host :
       {"localhost:" + port, "LOCALHOST:" + port, "127.0.0.1:" + port, "[::1]:" + port}) {
    INFO(host);
    RawConnection connection(server.port());
    connection.send(get_request("/api/status", host));
    CHECK(status_of(connection.receive()) == 200);
  }
}

TEST_CASE("migrate-web keeps answering while connections trickle their requests in",
          "[e2e][web][security]") {
  WebProject web;
  WebProcess server(web.project.root(), {}, web.options());
  // More trickling connections than the server has worker threads, each sending a byte now
  // and then, well inside its 5 s wait for data: without a deadline for the whole request they
  // hold every thread for the two minutes they trickle, and the page's request times out.
  std::vector<std::unique_ptr<RawConnection>> slow;
  const std::size_t connections = migrate::RequestLimits{}.threads + 8;
  for (std::size_t i = 0; i < connections; ++i) {
    slow.push_back(std::make_unique<RawConnection>(server.port()));
    slow.back()->send(
        fmt::format("GET /api/status HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n", server.port()));
  }
  std::atomic<bool> done = false;
  std::thread trickle([&] {
    for (int i = 0; !done && i < 1200; ++i) {
      for (auto& connection : slow) {
        connection->send("X");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  HttpResponse page =
      http_request(server.port(), "GET", "/assets/style.css", {}, std::chrono::seconds(60));
  done = true;
  trickle.join();
  INFO(page.error);
  CHECK(page.status == 200);
}

TEST_CASE("migrate-web refuses oversized requests", "[e2e][web][security]") {
  WebProject web;
  WebProcess server(web.project.root(), {}, web.options());
  std::string host = fmt::format("127.0.0.1:{}", server.port());
  SECTION("headers beyond 64 KiB") {
    RawConnection connection(server.port());
    std::string request = "GET /api/status HTTP/1.1\r\nHost: " + host + "\r\n";
    for (int i = 0; i < 100; ++i) {
      request += fmt::format("X-Padding-{}: {}\r\n", i, std::string(1000, 'x'));
    }
    connection.send(request + "\r\n");
    std::string response = connection.receive();
    CHECK(status_of(response) == 400);
    CHECK(connection.closed_by_server(std::chrono::seconds(60)));
  }
  SECTION("a body beyond 64 KiB, refused unread") {
    RawConnection connection(server.port());
    connection.send("POST /api/status HTTP/1.1\r\nHost: " + host +
                    "\r\nContent-Length: 100000000\r\nConnection: close\r\n\r\n");
    CHECK(status_of(connection.receive()) == 413);
  }
  SECTION("any body: no route takes one") {
    RawConnection connection(server.port());
    connection.send("POST /api/status HTTP/1.1\r\nHost: " + host +
                    "\r\nContent-Length: 5\r\nConnection: close\r\n\r\n");
    std::string response = connection.receive();
    CHECK(status_of(response) == 413);
    CHECK_THAT(response, Contains("migrate-web takes no request body"));
  }
  // The server still answers.
  CHECK(http_get(server.port(), "/assets/style.css").status == 200);
}

TEST_CASE("/api/migrations: a Flyway folder's repeatables, with their state in each environment",
          "[e2e][web][flyway]") {
  Project project;
  project.add("V1__t.sql", "CREATE TABLE t (x INTEGER);\n");
  project.add("R__v.sql", "CREATE VIEW IF NOT EXISTS v AS SELECT x FROM t;\n");
  project.add("R__w.sql", "CREATE VIEW IF NOT EXISTS w AS SELECT x FROM t;\n");
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  project.add("R__w.sql", "DROP VIEW IF EXISTS w;\nCREATE VIEW w AS SELECT x * 2 AS x FROM t;\n");
  WebProcess server(project.root());
  json list = get_json(server.port(), "/api/migrations");
  REQUIRE(list["environments"].size() == 1);
  const json& repeatables = list["environments"][0]["repeatables"];
  REQUIRE(repeatables.size() == 2);
  CHECK(repeatables[0]["id"] == "R__v");
  CHECK(repeatables[0]["state"] == "applied");
  CHECK(repeatables[1]["id"] == "R__w");
  CHECK(repeatables[1]["state"] == "due");
  CHECK(repeatables[1]["reason"] == "changed since applied");
  CHECK(list["migrations"].size() == 1);  // beside the graph, not in it
}
