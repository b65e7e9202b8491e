#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace httplib {
class Server;
struct Request;
}  // namespace httplib

namespace migrate {

/// How long a connection to migrate-web may take, and how big a request may be. cpp-httplib
/// 0.11 bounds each wait for data (5 s) but not a request as a whole, so a few connections
/// that trickle a byte at a time (slowloris) held every worker thread for as long as they
/// liked, and a request's headers could grow without end. The times are per connection, not
/// per request, so keep-alive does not multiply them: a connection holds a worker thread for
/// at most read_time + write_time, however it behaves.
struct RequestLimits {
  /// For a connection to send its requests (lines, headers and bodies, and the waits between
  /// them on keep-alive), from when a worker thread takes it up.
  std::chrono::milliseconds read_time{10'000};
  /// Between two requests on a kept-alive connection, nothing arriving (within read_time).
  std::chrono::milliseconds idle_time{5'000};
  /// For a connection's responses to leave, however slowly the client reads, from the first.
  std::chrono::milliseconds write_time{30'000};
  /// A request's line, headers and body together. The page only sends small GETs.
  std::size_t max_bytes = 64 * 1024;
  /// Worker threads: a few slow connections leave others to serve the page meanwhile.
  std::size_t threads = 32;
};

/// A cpp-httplib server whose every connection keeps to `limits`: a request that does not
/// arrive in the connection's time, or is too big, is answered 400 (a declared body too big: 413)
/// or dropped, and its connection closed; so is a connection after a request with a body
/// (has_body), which a handler may then refuse unread. Routes, handlers and options are set on it
/// as on any httplib::Server (compiled in limited_server.cpp and web_server.cpp only).
std::unique_ptr<httplib::Server> make_limited_server(const RequestLimits& limits);

/// For tests and fuzzing, no socket: one request read from `raw_request`'s bytes by `server`
/// (made by make_limited_server; an InternalError otherwise) as a connection's first request on
/// `port`, from a client on 127.0.0.1 that then closed its side, and the bytes it answers
/// (empty when there is no request line at all). Of the limits only the size applies: a request
/// gets at most max_bytes, and reading past them fails; nothing waits.
std::string respond_to_bytes(httplib::Server& server, std::string_view raw_request, int port);

/// Whether a request says a body follows (Content-Length above 0, or Transfer-Encoding).
bool has_body(const httplib::Request& request);

}  // namespace migrate
