#include "commands/web.hpp"

#include <fmt/format.h>

#include "commands/context.hpp"
#include "output/console.hpp"
#include "util/error.hpp"
#include "util/stop_signals.hpp"
#include "web/web_server.hpp"

namespace migrate {

namespace {

bool is_loopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.starts_with("127.");
}

/// "http://127.0.0.1:8080/", with IPv6 addresses in brackets. A server bound to every address
/// (0.0.0.0, ::) is opened on this machine through the loopback one.
std::string url_of(std::string host, int port) {
  if (host == "0.0.0.0") {
    host = "127.0.0.1";
  } else if (host == "::") {
    host = "::1";
  }
  bool ipv6 = host.find(':') != std::string::npos;
  return fmt::format("http://{}{}{}:{}/", ipv6 ? "[" : "", host, ipv6 ? "]" : "", port);
}

}  // namespace

ExitCode run_web(Context& context, const WebOptions& options) {
  if (options.port < 0 || options.port > 65535) {
    throw UsageError(fmt::format(
        "--port {}: use a port number from 1 to 65535, or 0 for a free one", options.port));
  }
  if (!is_loopback(options.bind)) {
    context.console.warning(fmt::format(
        "listening on {}: the page has no authentication, and anyone who can reach this address "
        "sees the migrations and the state of every configured database",
        options.bind));
  }
  WebServer server(WebSource{context.config, &context.environment, context.cwd});
  int port = server.bind(options.bind, options.port);
  // Before listen() starts the pool's threads, so that they inherit the blocked signals.
  StopSignals stop_signals([&server](std::string_view /*signal*/) { server.stop(); });
  context.console.result(url_of(options.bind, port) + "\n");
  server.listen();
  return ExitCode::success;
}

}  // namespace migrate
