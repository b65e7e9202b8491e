// WebServer in this process, with short request limits: what a slow or oversized request
// costs it.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "config/environment.hpp"
#include "support/raw_http.hpp"
#include "support/temp_dir.hpp"
#include "web/web_server.hpp"

using namespace migrate;
using namespace std::chrono_literals;
using migrate::test::RawConnection;
using migrate::test::TempDir;

namespace {

/// A WebServer on a free port of 127.0.0.1, listening on a thread of its own until destroyed.
class RunningServer {
 public:
  explicit RunningServer(const RequestLimits& limits)
      : m_server(source(m_dir, m_environment), limits) {
    m_port = m_server.bind("127.0.0.1", 0);
    m_thread = std::thread([this] { m_server.listen(); });
  }
  ~RunningServer() {
    m_server.stop();
    m_thread.join();
  }
  int port() const { return m_port; }
  std::string host() const { return fmt::format("127.0.0.1:{}", m_port); }

 private:
  static WebSource source(const TempDir& dir, const Environment& environment) {
    Config config;
    config.root = dir.path();
    config.migrations_dir = dir / "migrations";
    config.database_url = "sqlite:app.db";
    config.database_base = dir.path();
    return WebSource{config, &environment, dir.path()};
  }

  TempDir m_dir;
  MapEnvironment m_environment{{}};
  WebServer m_server;
  int m_port = 0;
  std::thread m_thread;
};

}  // namespace

TEST_CASE("web server: a request that trickles in is cut off at its deadline", "[web]") {
  RunningServer server({.read_time = 1s, .idle_time = 1s, .write_time = 5s, .threads = 2});
  // Two connections hold both threads, a header line every 200 ms, each well inside the
  // per-wait timeout: only the deadline for the whole request ends them.
  std::vector<std::unique_ptr<RawConnection>> slow;
  for (int i = 0; i < 2; ++i) {
    slow.push_back(std::make_unique<RawConnection>(server.port()));
    REQUIRE(slow.back()->send("GET / HTTP/1.1\r\nHost: " + server.host() + "\r\n"));
  }
  std::atomic<bool> done = false;
  std::thread trickle([&] {
    for (int i = 0; !done && i < 600; ++i) {
      for (auto& connection : slow) {
        connection->send("X-Slow: 1\r\n");
      }
      std::this_thread::sleep_for(200ms);
    }
  });
  // A normal request is answered once they are cut off.
  RawConnection normal(server.port());
  REQUIRE(normal.send(test::get_request("/assets/style.css", server.host())));
  std::string response = normal.receive(60s);
  done = true;
  trickle.join();
  CHECK(test::status_of(response) == 200);
  for (auto& connection : slow) {
    std::string cut = connection->receive(60s);
    CHECK(test::status_of(cut) == 400);
    CHECK(connection->closed_by_server(5s));
  }
}

TEST_CASE("web server: keep-alive does not renew a connection's deadline", "[web]") {
  // Each request trickles in within 1 s, well inside read_time, and the next follows at once:
  // with a deadline per request, keep-alive let the connection hold its thread for all of
  // httplib's 5 requests. Per connection, it is cut off once read_time has passed in all.
  RunningServer server({.read_time = 2s, .idle_time = 2s, .write_time = 5s, .threads = 1});
  RawConnection connection(server.port());
  constexpr int kRequests = 5;  // httplib's keep-alive count: the most one connection gets
  for (int i = 0; i < kRequests; ++i) {
    if (!connection.send("GET /assets/style.css HTTP/1.1\r\nHost: " + server.host() + "\r\n")) {
      break;
    }
    std::this_thread::sleep_for(400ms);
    connection.send("X-Slow: 1\r\n");
    std::this_thread::sleep_for(400ms);
    connection.send("\r\n");
  }
  std::string responses = connection.receive(60s);
  CHECK(test::status_of(responses) == 200);  // the first arrived in time
  std::size_t answered = test::occurrences(responses, "HTTP/1.1 200");
  CHECK(answered < kRequests);
  CHECK(connection.closed_by_server(5s));
}

TEST_CASE("web server: a request bigger than the limit is refused", "[web]") {
  RunningServer server({.max_bytes = 4096, .threads = 2});
  SECTION("headers") {
    RawConnection connection(server.port());
    std::string request = "GET / HTTP/1.1\r\nHost: " + server.host() + "\r\n";
    for (int i = 0; i < 100; ++i) {
      request += fmt::format("X-Padding-{}: {}\r\n", i, std::string(100, 'x'));
    }
    connection.send(request + "\r\n");
    std::string response = connection.receive(60s);
    CHECK(test::status_of(response) == 400);
  }
  SECTION("a request line without end") {
    RawConnection connection(server.port());
    connection.send("GET /" + std::string(8000, 'a'));
    CHECK(connection.closed_by_server(60s));
  }
}

TEST_CASE("web server: respond answers raw request bytes through the host check", "[web]") {
  TempDir dir;
  test::write_text(dir / "migrations" / "202601010000_create_users.sql",
                   "-- Create users.\n-- migrate:up\nCREATE TABLE users (id INTEGER);\n");
  MapEnvironment environment{{}};
  Config config;
  config.root = dir.path();
  config.migrations_dir = dir / "migrations";
  config.database_url = "sqlite:app.db";
  config.database_base = dir.path();
  WebServer server(WebSource{config, &environment, std::filesystem::current_path()});
  // Not bound: it answers as on port 80, which a Host header may leave out.
  std::string listed = server.respond(test::get_request("/api/migrations", "localhost"));
  CHECK(test::status_of(listed) == 200);
  CHECK(listed.find("202601010000") != std::string::npos);
  std::string forged = server.respond(test::get_request("/api/migrations", "evil.example"));
  CHECK(test::status_of(forged) == 403);
  CHECK(server.respond("").empty());
}
