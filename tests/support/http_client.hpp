#pragma once

#include <chrono>
#include <string>

namespace migrate::test {

// A small HTTP/1.1 client for the web tests (cpp-httplib, compiled in http_client.cpp only).

/// What a server answered; status 0 when it could not be reached (then `error` says why).
struct HttpResponse {
  int status = 0;
  std::string content_type;
  std::string body;
  std::string error;
};

/// A request to 127.0.0.1:`port`. `target` is sent exactly as given (no normalising or encoding),
/// so tests can send "/assets/%2e%2e/x". A non-empty `body` is sent as JSON.
HttpResponse http_request(int port, const std::string& method, const std::string& target,
                          const std::string& body = {},
                          std::chrono::seconds timeout = std::chrono::seconds(60));

inline HttpResponse http_get(int port, const std::string& target) {
  return http_request(port, "GET", target);
}

/// A TCP port on 127.0.0.1 that nothing listens on right now.
int free_tcp_port();

}  // namespace migrate::test
