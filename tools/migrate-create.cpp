//===- migrate-create: write a new migration file -------------------------===//
#include "cli/tool.hpp"
#include "commands/create.hpp"

int main(int argc, char** argv) {
  migrate::Tool tool("migrate-create",
                     "Write a new migration file, migrations/<id>_<slug>.sql: the id is the UTC "
                     "time (YYYYMMDDHHMM, bumped past the newest existing id), the slug is the "
                     "message in snake case, and it depends on the current head(s). Prints the "
                     "new file's path.");
  migrate::CreateOptions options;
  std::vector<std::string> words;
  CLI::App& app = tool.app();
  app.add_option("message", words, "What the migration does, e.g. \"add phone to users\"");
  app.add_option("-m,--message", options.message, "The message (instead of the positional words)");
  app.add_flag("--empty", options.empty,
               "No guidance comments in the up and down sections (and, with `schema` or "
               "`schema-command` in migrate.conf, a blank migration instead of a generated one)");
  app.add_flag("--allow-destructive", options.allow_destructive,
               "With `schema` or `schema-command`: let the generated migration drop tables and "
               "columns");
  return tool.run(argc, argv, [&](migrate::Context& context) {
    for (const std::string& word : words) {
      options.message += (options.message.empty() ? "" : " ") + word;
    }
    return migrate::run_create(context, options);
  });
}
