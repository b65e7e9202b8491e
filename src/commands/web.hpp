#pragma once

#include <string>

#include "util/exit_code.hpp"

namespace migrate {

struct Context;

struct WebOptions {
  int port = 0;                    ///< 0: a free port chosen by the system
  std::string bind = "127.0.0.1";  ///< anything but loopback is warned about: no authentication
};

/// migrate-web: serves the history page (web/web_server.hpp) until Ctrl-C or SIGTERM, after
/// printing its URL on stdout once it listens. Reads only: no request changes a file or a
/// database.
ExitCode run_web(Context& context, const WebOptions& options);

}  // namespace migrate
