#include <catch2/catch.hpp>

#include "web/host_check.hpp"

using migrate::is_own_host;

TEST_CASE("host check: the names of this server, with its port", "[web]") {
  for (const char* host :
       {"localhost:8080", "LocalHost:8080", "127.0.0.1:8080", "[::1]:8080", "[::1]:8080"}) {
    INFO(host);
    CHECK(is_own_host(host, "127.0.0.1", "127.0.0.1", 8080));
  }
  // The address it is bound to, and the one a request came in on (a wildcard bind).
  CHECK(is_own_host("192.168.1.5:8080", "192.168.1.5", "192.168.1.5", 8080));
  CHECK(is_own_host("10.0.0.2:8080", "0.0.0.0", "10.0.0.2", 8080));
  CHECK(is_own_host("[fe80::1]:8080", "::", "fe80::1", 8080));
}

TEST_CASE("host check: any other name or port is refused (DNS rebinding)", "[web]") {
  for (const char* host :
       {"evil.example:8080", "evil.example", "localhost", "localhost:8081", "127.0.0.1:80", "",
        "localhost.evil.example:8080", "127.0.0.1:8080.evil.example", "127.0.0.1:8080:8080",
        "[::1]", "::1:8080", "10.0.0.2:8080"}) {
    INFO(host);
    CHECK_FALSE(is_own_host(host, "127.0.0.1", "127.0.0.1", 8080));
  }
}

TEST_CASE("host check: on port 80 a browser leaves the port out", "[web]") {
  for (const char* host : {"localhost", "localhost:80", "127.0.0.1", "[::1]", "[::1]:80"}) {
    INFO(host);
    CHECK(is_own_host(host, "127.0.0.1", "127.0.0.1", 80));
  }
  CHECK_FALSE(is_own_host("evil.example", "127.0.0.1", "127.0.0.1", 80));
}
