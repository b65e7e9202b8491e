//===- migrate-dump: the database's schema, canonical ---------------------===//
#include "cli/tool.hpp"
#include "commands/dump.hpp"

int main(int argc, char** argv) {
  migrate::Tool tool("migrate-dump",
                     "Print the database's schema as the SQL statements that create it, read from "
                     "the database's own catalog: objects in dependency order, the same bytes for "
                     "the same schema on every run and machine. migrate's state table and other "
                     "tools' are left out. --json prints the schema model instead. Never creates "
                     "the database.",
                     /*json=*/true);
  migrate::DumpOptions options;
  tool.app().add_option("-o,--output", options.output,
                        "Write the dump to FILE (whole or not at all) instead of standard output");
  return tool.run(argc, argv,
                  [&](migrate::Context& context) { return migrate::run_dump(context, options); });
}
