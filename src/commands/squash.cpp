#include "commands/squash.hpp"

#include <fmt/format.h>

#include "commands/context.hpp"
#include "commands/workspace.hpp"
#include "graph/revision_spec.hpp"
#include "migration/migration_writer.hpp"
#include "output/console.hpp"
#include "squash/squash_plan.hpp"
#include "target/target.hpp"
#include "target/target_status.hpp"
#include "util/error.hpp"
#include "util/file.hpp"
#include "util/file_transaction.hpp"

namespace migrate {

namespace {

ExitCode create_squash(Context& context, const SquashOptions& options) {
  FileTransaction files(context.config.migrations_dir);
  files.lock();  // before the folder is read: the plan is made from it
  RevisionGraph graph = load_graph(context);
  SquashInput input{.from = resolve_ref(graph, options.from),
                    .to = resolve_ref(graph, options.to),
                    .id = new_migration_id(context, graph),
                    .message = options.message};
  squash_range(graph, input.from, input.to);  // a range that is not one is said first
  for (std::size_t child : graph.children(input.to)) {
    input.child_texts.push_back(read_file(graph.at(child).file));
  }
  SquashPlan plan = plan_squash(graph, input);
  if (plan.irreversible) {
    context.console.note(
        "a migration in the range is irreversible, so the squash has no down section");
  }
  // The squash, its children and migrations/HEAD change together or not at all.
  std::filesystem::path path =
      stage_new_migration(context, plan.squash, plan.children.empty(), files);
  for (const FileEdit& child : plan.children) {
    files.write(child.file, child.text);
  }
  files.apply();
  files.keep();
  for (const FileEdit& child : plan.children) {
    context.console.info("{} now depends on {}", child.file.string(), plan.squash.stem());
  }
  context.console.note(fmt::format(
      "the {} originals stay until every database is past the squash; then remove them with "
      "migrate-squash --prune",
      plan.range.size()));
  context.console.result(path.string() + "\n");
  return ExitCode::success;
}

ExitCode prune(Context& context, const SquashOptions& options) {
  FileTransaction files(context.config.migrations_dir);
  files.lock();  // before the folder is read: the plan is made from it
  RevisionGraph graph = load_graph(context);
  std::vector<std::size_t> squashes = squashes_of(graph);
  if (squashes.empty()) {
    context.console.info("Nothing to prune: no migration replaces others.");
    return ExitCode::success;
  }
  // A database that ran part of a squashed range still needs the originals to finish it.
  std::vector<TargetRead> databases;
  for (const Target& target : configured_targets(context.config, context.environment)) {
    databases.push_back(read_target(target, graph, {}));
  }
  check_prunable(graph, squashes, databases, options.force);
  // Every removal and rewrite together or not at all: a prune that stopped half-way would
  // leave a squash that replaces missing files, or originals without their squash's mark.
  std::vector<std::string> done;
  for (std::size_t squash : squashes) {
    for (std::size_t original : graph.replaces(squash)) {
      const Migration& m = graph.at(original);
      for (const std::filesystem::path& file : m.files()) {
        files.remove(file);  // both halves of a golang-migrate pair
      }
      done.push_back(fmt::format("removed {}", m.file.string()));
    }
    // The squash is now an ordinary migration: its replaces: lines go.
    const Migration& kept = graph.at(squash);
    files.write(kept.file, without_replaces(read_file(kept.file), kept));
    done.push_back(fmt::format("{} replaces nothing now", kept.file.string()));
  }
  files.apply();
  files.keep();
  for (const std::string& line : done) {
    context.console.info("{}", line);
  }
  return ExitCode::success;
}

}  // namespace

ExitCode run_squash(Context& context, const SquashOptions& options) {
  if (options.prune) {
    if (!options.from.empty() || !options.to.empty()) {
      throw UsageError("--prune takes no FROM and TO: it prunes every squash that is done");
    }
    return prune(context, options);
  }
  if (options.from.empty() || options.to.empty()) {
    throw UsageError("migrate-squash FROM TO: name the first and the last migration to replace");
  }
  return create_squash(context, options);
}

}  // namespace migrate
