#include "commands/dump.hpp"

#include "commands/context.hpp"
#include "commands/workspace.hpp"
#include "output/console.hpp"
#include "output/json_output.hpp"
#include "schema/schema_dump.hpp"
#include "target/target.hpp"
#include "target/target_schema.hpp"
#include "util/file.hpp"

namespace migrate {

ExitCode run_dump(Context& context, const DumpOptions& options) {
  SchemaModel model = read_target_schema(tool_target(context.config));
  std::string text = context.json ? schema_json(model) : dump_schema(model);
  if (options.output.empty() || options.output == "-") {
    context.console.result(text);
    return ExitCode::success;
  }
  std::filesystem::path path = context.cwd / options.output;
  write_file_atomically(path, text);
  context.console.info("wrote {}", display_path(path, context.cwd).string());
  return ExitCode::success;
}

}  // namespace migrate
