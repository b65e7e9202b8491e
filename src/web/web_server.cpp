#include "web/web_server.hpp"

#include <malloc.h>

#include <fmt/format.h>
#include <httplib.h>

#include "graph/graph_layout.hpp"
#include "graph/graph_marks.hpp"
#include "graph/svg_graph.hpp"
#include "output/json_output.hpp"
#include "util/error.hpp"
#include "web/authorship_cache.hpp"
#include "web/host_check.hpp"
#include "web/limited_server.hpp"
#include "web/web_assets.hpp"
#include "web/web_schema.hpp"

namespace migrate {

namespace {

constexpr const char* kJson = "application/json; charset=utf-8";
constexpr const char* kText = "text/plain; charset=utf-8";

// Defence in depth on top of escaping: no inline or foreign script can run on the page, and
// nothing is sniffed into a type it was not sent as. The SVG's own <style> needs inline styles.
const httplib::Headers kSecurityHeaders = {
    {"Content-Security-Policy",
     "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
     "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "no-referrer"},
    {"Cache-Control", "no-store"},  // every reload reads the files and databases again
};

void send_asset(httplib::Response& response, std::string_view name) {
  std::optional<WebAsset> asset = find_web_asset(name);
  if (!asset) {
    response.status = 404;
    return;
  }
  response.set_content(asset->bytes.data(), asset->bytes.size(), std::string(asset->content_type));
}

/// The graph index of `key` (an id's digits, or a file stem), if there is one.
std::optional<std::size_t> find_migration(const RevisionGraph& graph, const std::string& key) {
  for (std::size_t m = 0; m < graph.size(); ++m) {
    const Migration& migration = graph.at(m);
    if (migration.id.text() == key || migration.stem() == key) {
      return m;
    }
  }
  return std::nullopt;
}

std::string graph_svg(const History& history) {
  GraphStates states;
  for (const TargetRead& target : history.targets) {
    if (target.status) {
      states = graph_states(*target.status, target.database);
      break;
    }
  }
  return draw_svg_graph(history.graph, lay_out(history.graph), states);
}

/// Hands the memory a request freed back to the system. A request on a big history allocates
/// tens of MB on whichever threads read it (the pool's, parallel_for's), and glibc keeps each
/// thread's arena at its peak: without this the server's RSS climbs with the number of
/// requests (bench/README.md, f).
void release_free_memory() {
  ::malloc_trim(0);
}

/// The body of an error response: JSON for the API, plain text elsewhere (never HTML, so
/// nothing in a message can become markup).
void set_error_body(const httplib::Request& request, httplib::Response& response,
                    const std::string& message) {
  if (request.path.starts_with("/api/")) {
    response.set_content(web_error_json(message), kJson);
  } else {
    response.set_content(message + "\n", kText);
  }
}

}  // namespace

struct WebServer::Impl {
  WebSource source;
  AuthorshipCache authorship;
  WebSchema schema{source};                 ///< after `source`, which it reads
  std::unique_ptr<httplib::Server> server;  ///< make_limited_server's
  std::string host;                         ///< as bound (--bind)
  int port = 80;  ///< as bound; before bind(), the one respond() takes requests on

  explicit Impl(const RequestLimits& limits) : server(make_limited_server(limits)) {}

  void add_routes();
  /// Reads the history and answers with `render(history)`.
  template <typename Render>
  void answer(httplib::Response& response, const char* content_type, Render render) {
    {
      History history = read_web_history(source, authorship, read_web_graph(source));
      response.set_content(render(history), content_type);
    }
    release_free_memory();
  }
};

void WebServer::Impl::add_routes() {
  server->set_default_headers(kSecurityHeaders);
  // Before anything is read for a request: one whose Host is not this server's came through
  // another name (DNS rebinding: a web page whose name now points at 127.0.0.1).
  server->set_pre_routing_handler(
      [this](const httplib::Request& request, httplib::Response& response) {
        if (!is_own_host(request.get_header_value("Host"), host, request.local_addr, port)) {
          response.status = 403;
          set_error_body(request, response,
                         fmt::format("forbidden: the Host header does not name this server (it "
                                     "answers to localhost:{0}, 127.0.0.1:{0}, [::1]:{0} and the "
                                     "address it listens on)",
                                     port));
          return httplib::Server::HandlerResponse::Handled;
        }
        // Every route is a GET: a body is refused unread (and ends the connection).
        if (has_body(request)) {
          response.status = 413;
          set_error_body(request, response, "migrate-web takes no request body");
          return httplib::Server::HandlerResponse::Handled;
        }
        return httplib::Server::HandlerResponse::Unhandled;
      });
  server->Get("/", [](const httplib::Request&, httplib::Response& response) {
    send_asset(response, "index.html");
  });
  // Names are looked up exactly in the embedded table: "..", "%2e%2e" (decoded by httplib
  // before routing) and slashes can never name anything outside it.
  server->Get(R"(/assets/([A-Za-z0-9_.-]+))",
              [](const httplib::Request& request, httplib::Response& response) {
                send_asset(response, request.matches[1].str());
              });
  server->Get("/graph.svg", [this](const httplib::Request&, httplib::Response& response) {
    answer(response, "image/svg+xml; charset=utf-8", graph_svg);
  });
  server->Get("/api/migrations", [this](const httplib::Request&, httplib::Response& response) {
    answer(response, kJson, web_migrations_json);
  });
  server->Get(R"(/api/migrations/([A-Za-z0-9_-]+))",
              [this](const httplib::Request& request, httplib::Response& response) {
                RevisionGraph graph = read_web_graph(source);
                std::optional<std::size_t> m = find_migration(graph, request.matches[1].str());
                if (!m) {
                  response.status = 404;  // before any database is asked
                  return;
                }
                History history = read_web_history(source, authorship, std::move(graph));
                response.set_content(web_migration_detail_json(history, *m), kJson);
                release_free_memory();
              });
  server->Get("/api/status", [this](const httplib::Request&, httplib::Response& response) {
    answer(response, kJson, web_status_json);
  });
  // The schema side is asked for apart, after the page is shown: it replays migrations on
  // development databases (seconds on PostgreSQL when its throwaway cluster must start).
  server->Get("/api/drift", [this](const httplib::Request&, httplib::Response& response) {
    response.set_content(web_drift_json(schema.drift(read_web_graph(source))), kJson);
    release_free_memory();
  });
  server->Get("/api/schema-changes", [this](const httplib::Request&, httplib::Response& response) {
    RevisionGraph graph = read_web_graph(source);
    response.set_content(web_schema_changes_json(graph, schema.changes(graph)), kJson);
    release_free_memory();
  });
  server->Get(R"(/api/migrations/([A-Za-z0-9_-]+)/schema)", [this](const httplib::Request& request,
                                                                   httplib::Response& response) {
    RevisionGraph graph = read_web_graph(source);
    std::optional<std::size_t> m = find_migration(graph, request.matches[1].str());
    if (!m) {
      response.status = 404;
      return;
    }
    response.set_content(web_migration_schema_json(schema.changes(graph).at(*m)), kJson);
    release_free_memory();
  });
}

WebServer::WebServer(WebSource source, const RequestLimits& limits)
    : m_impl(std::make_unique<Impl>(limits)) {
  m_impl->source = std::move(source);
  // SO_REUSEADDR only: httplib's default adds SO_REUSEPORT, with which a second server on the
  // same port would start and share (or steal) the first one's connections.
  // Headers and body go out in separate writes: without TCP_NODELAY, Nagle's algorithm holds the
  // body back until the client's delayed ACK (~40 ms per request on a kept-alive connection).
  m_impl->server->set_tcp_nodelay(true);
  m_impl->server->set_socket_options([](socket_t socket) {
    int yes = 1;
    ::setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  m_impl->add_routes();
  m_impl->server->set_error_handler(
      [](const httplib::Request& request, httplib::Response& response) {
        if (response.body.empty()) {
          set_error_body(request, response, response.status == 404 ? "not found" : "bad request");
        }
      });
  m_impl->server->set_exception_handler(
      [](const httplib::Request& request, httplib::Response& response, std::exception_ptr error) {
        std::string message = "internal error";
        try {
          std::rethrow_exception(error);
        } catch (const std::exception& e) {
          message = e.what();
        }
        response.status = 500;
        set_error_body(request, response, message);
      });
}

WebServer::~WebServer() = default;

int WebServer::bind(const std::string& host, int port) {
  int bound = port == 0 ? m_impl->server->bind_to_any_port(host)
                        : (m_impl->server->bind_to_port(host, port) ? port : -1);
  if (bound < 0) {
    throw UsageError(
        fmt::format("cannot listen on {}:{}: the address is in use or not this "
                    "machine's (choose another with --port or --bind)",
                    host, port));
  }
  m_impl->host = host;
  m_impl->port = bound;
  return bound;
}

void WebServer::listen() {
  m_impl->server->listen_after_bind();
}

std::string WebServer::respond(std::string_view raw_request) {
  return respond_to_bytes(*m_impl->server, raw_request, m_impl->port);
}

void WebServer::stop() {
  m_impl->schema.abandon();  // a computation under way ends now rather than finishing first
  m_impl->server->stop();
}

}  // namespace migrate
