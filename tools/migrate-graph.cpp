//===- migrate-graph: the migration graph as DOT, SVG or PNG --------------===//
#include "cli/tool.hpp"
#include "commands/graph.hpp"

int main(int argc, char** argv) {
  migrate::Tool tool("migrate-graph",
                     "Draw the migration graph: one node per migration (id and title), heads, "
                     "merges and squashed ranges marked, applied and pending migrations coloured "
                     "when the database can be read. DOT by default, on stdout.",
                     /*json=*/false, migrate::HeapUse::short_reads);
  migrate::GraphOptions options;
  CLI::App& app = tool.app();
  app.add_option("--format", options.format,
                 "dot, svg or png (default: from -o's extension, else dot)")
      ->check(CLI::IsMember({"dot", "svg", "png"}));
  app.add_option("--layout", options.layout,
                 "For SVG: lanes (default; like git log --graph, fast at any size) or dot "
                 "(Graphviz's layout, for small graphs); PNG always uses dot")
      ->check(CLI::IsMember({"lanes", "dot"}));
  app.add_option(
         "-o,--output", options.output,
         "Write to FILE ('-': stdout, the default); its extension (.svg, .png, .dot or .gv) "
         "picks the format when --format is not given, and any other is refused")
      ->type_name("FILE");
  return tool.run(argc, argv,
                  [&](migrate::Context& context) { return migrate::run_graph(context, options); });
}
