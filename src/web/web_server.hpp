#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "web/limited_server.hpp"
#include "web/web_source.hpp"

namespace migrate {

/// migrate-web's HTTP server (cpp-httplib, compiled in web_server.cpp only): the embedded page
/// of web/ and its read-only JSON API, every request read afresh from the files, git and the
/// databases (web/web_source.hpp). Requests run on the server's own thread pool, each
/// independent of the others.
///
///   GET /                        the page (index.html)
///   GET /assets/<name>           an embedded file of web/
///   GET /graph.svg               the lane graph (graph/svg_graph.hpp), states of the first
///                                reachable environment
///   GET /api/migrations          web_migrations_json
///   GET /api/migrations/<id>     web_migration_detail_json (<id>: the id or the file stem)
///   GET /api/status              web_status_json
///
/// Anything else is 404; a request that fails (a broken migration file) is 500 with the
/// message, as JSON on /api/ and as text elsewhere. A request whose Host header does not name
/// this server (web/host_check.hpp) is 403 before anything else, and every connection keeps to
/// `limits` (web/limited_server.hpp).
class WebServer {
 public:
  explicit WebServer(WebSource source, const RequestLimits& limits = {});
  ~WebServer();
  WebServer(const WebServer&) = delete;
  WebServer& operator=(const WebServer&) = delete;

  /// Binds `host`:`port` (0: a free port chosen by the system) and returns the port. Throws
  /// UsageError when the address cannot be bound.
  int bind(const std::string& host, int port);
  /// Serves until stop() is called (from another thread); returns then.
  void listen();
  /// Makes listen() return, after the requests under way finish (a schema computation under way
  /// is cut short: its development databases go at once). Safe from any thread.
  void stop();

  /// For tests and fuzzing: one request read from `raw_request`'s bytes, through the same
  /// routes, host check and limits as a connection's first request, answered into a string (the
  /// response's bytes as they would be sent; empty when there is no request line at all). No
  /// socket: the bytes come as from a client on 127.0.0.1 that then closed its side. Before
  /// bind(), the server answers as though bound to port 80, so `Host: localhost` names it. Safe
  /// from any thread, as requests are.
  std::string respond(std::string_view raw_request);

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace migrate
