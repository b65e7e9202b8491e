//===- migrate-web: the history page, served locally -----------------------===//
#include "cli/tool.hpp"
#include "commands/web.hpp"

int main(int argc, char** argv) {
  migrate::Tool tool("migrate-web",
                     "Serve the migration history as a web page: every migration with the commit "
                     "that added it and its state in each configured environment, its SQL, and "
                     "the graph. Prints the URL, then serves until Ctrl-C. Reads only.");
  migrate::WebOptions options;
  tool.app().add_option("--port", options.port, "Port to listen on (default: a free one)");
  tool.app().add_option("--bind", options.bind,
                        "Address to listen on (default 127.0.0.1; any other is reachable from "
                        "elsewhere, and the page has no authentication)");
  return tool.run(argc, argv,
                  [&](migrate::Context& context) { return migrate::run_web(context, options); });
}
