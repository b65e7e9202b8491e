#pragma once

#include <chrono>
#include <cstddef>
#include <memory>

namespace httplib {
class Server;
struct Request;
}  // namespace httplib

namespace migrate {

/// How long one request to migrate-web may take to arrive, and how big it may be. cpp-httplib
/// 0.11 bounds each wait for data (5 s) but not a request as a whole, so a few connections
/// that trickle a byte at a time (slowloris) held every worker thread for as long as they
/// liked, and a request's headers could grow without end.
struct RequestLimits {
  /// To receive a request (line, headers and body) from when the server starts waiting for it.
  std::chrono::milliseconds read_time{10'000};
  /// Between two requests on a kept-alive connection, nothing arriving.
  std::chrono::milliseconds idle_time{5'000};
  /// To send one response, however slowly the client reads.
  std::chrono::milliseconds write_time{30'000};
  /// A request's line, headers and body together. The page only sends small GETs.
  std::size_t max_bytes = 64 * 1024;
  /// Worker threads: a few slow connections leave others to serve the page meanwhile.
  std::size_t threads = 32;
};

/// A cpp-httplib server whose every connection keeps to `limits`: a request that does not
/// arrive in time, or is too big, is answered 400 (a declared body too big: 413) or dropped,
/// and its connection closed; so is a connection after a request with a body (has_body), which
/// a handler may then refuse unread. Routes, handlers and options are set on it as on any
/// httplib::Server (compiled in limited_server.cpp and web_server.cpp only).
std::unique_ptr<httplib::Server> make_limited_server(const RequestLimits& limits);

/// Whether a request says a body follows (Content-Length above 0, or Transfer-Encoding).
bool has_body(const httplib::Request& request);

}  // namespace migrate
