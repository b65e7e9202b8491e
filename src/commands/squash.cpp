#include "commands/squash.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "commands/context.hpp"
#include "commands/workspace.hpp"
#include "graph/revision_spec.hpp"
#include "migration/migration_writer.hpp"
#include "output/console.hpp"
#include "target/target.hpp"
#include "target/target_status.hpp"
#include "util/error.hpp"
#include "util/file.hpp"
#include "util/file_transaction.hpp"
#include "util/text.hpp"

namespace migrate {

namespace {

/// FROM..TO as one line of migrations, oldest first; throws GraphError saying why it is not.
std::vector<std::size_t> squash_range(const RevisionGraph& graph, std::size_t from,
                                      std::size_t to) {
  if (to < from) {
    throw GraphError(fmt::format("{} comes after {}: give the older migration first (FROM TO)",
                                 graph.at(from).stem(), graph.at(to).stem()));
  }
  std::vector<std::size_t> range{to};
  for (std::size_t m = to; m != from;) {
    if (graph.parents(m).size() != 1) {
      throw GraphError(fmt::format(
          "{} {}: a squash replaces one line of migrations, without merge points inside",
          graph.at(m).stem(),
          graph.parents(m).empty() ? "is a root, and it is not " + graph.at(from).stem()
                                   : fmt::format("joins {} branches", graph.parents(m).size())));
    }
    std::size_t parent = graph.parents(m).front();
    if (graph.children(parent).size() != 1) {
      throw GraphError(fmt::format(
          "{} has {} children ({}): a squash replaces one line of migrations, without branch "
          "points inside",
          graph.at(parent).stem(), graph.children(parent).size(),
          list_stems(graph, graph.children(parent))));
    }
    range.push_back(parent);
    m = parent;
  }
  std::reverse(range.begin(), range.end());
  for (std::size_t m : range) {
    if (!graph.replaces(m).empty()) {
      throw GraphError(fmt::format("{} is a squash itself: squash the originals, or prune first",
                                   graph.at(m).stem()));
    }
    if (std::optional<std::size_t> squash = graph.replaced_by(m)) {
      throw GraphError(fmt::format("{} is squashed already, by {}", graph.at(m).stem(),
                                   graph.at(*squash).stem()));
    }
  }
  return range;
}

/// The ups in order, the downs in reverse, each under a comment naming where it came from.
void combine_sections(const RevisionGraph& graph, const std::vector<std::size_t>& range,
                      Migration& squash, Console& console) {
  const SectionOptions up_options = graph.at(range.front()).up.options;
  std::vector<std::string> ups, downs;
  bool reversible = true;
  for (std::size_t m : range) {
    const Migration& original = graph.at(m);
    if (!(original.up.options == up_options)) {
      throw GraphError(fmt::format(
          "{} and {} have different section options: a squash runs as one section; squash "
          "stretches whose options agree",
          graph.at(range.front()).stem(), original.stem()));
    }
    ups.push_back(fmt::format("-- {}: {}\n{}", original.stem(), original.title(), original.up.sql));
    if (!original.reversible()) {
      reversible = false;
    } else if (original.down && !original.down->blank()) {
      downs.insert(downs.begin(), fmt::format("-- {}: {}\n{}", original.stem(), original.title(),
                                              original.down->sql));
    }
  }
  squash.up.sql = fmt::format("{}", fmt::join(ups, "\n\n"));
  squash.up.options = up_options;
  if (reversible) {
    squash.down.emplace();
    squash.down->sql = fmt::format("{}", fmt::join(downs, "\n\n"));
  } else {
    console.note("a migration in the range is irreversible, so the squash has no down section");
  }
}

/// The text of `child` depending on `parent_stem` instead of `old_parent`: only its
/// `depends:` header changes (with_depends). Throws before anything is written when the file
/// has no header to change (a golang-migrate file).
std::string repointed(const Migration& child, const Migration& old_parent,
                      const std::string& parent_stem) {
  std::vector<std::string> parents;
  if (child.depends) {
    for (const MigrationRef& ref : *child.depends) {
      parents.push_back(ref.id == old_parent.id ? parent_stem : ref.text);
    }
  } else {
    parents.push_back(parent_stem);
  }
  std::string text = read_file(child.file);
  std::string out = with_depends(text, parents);
  if (out == text) {
    throw GraphError(fmt::format(
        "{} has no '-- migrate:up' line to put '-- depends: {}' above (a golang-migrate file?): "
        "write it by hand, or squash a range without children. Nothing was written",
        child.file.string(), parent_stem));
  }
  return out;
}

ExitCode create_squash(Context& context, const SquashOptions& options) {
  RevisionGraph graph = load_graph(context);
  std::vector<std::size_t> range =
      squash_range(graph, resolve_ref(graph, options.from), resolve_ref(graph, options.to));
  const Migration& first = graph.at(range.front());
  const Migration& last = graph.at(range.back());

  Migration squash;
  squash.id = new_migration_id(context, graph);
  std::string title(trim(options.message));
  if (title.empty()) {
    title = fmt::format("Squash {} to {}", first.id, last.id);
  }
  squash.slug = make_slug(title);
  squash.doc = {title, "", fmt::format("Replaces these {} migrations:", range.size())};
  for (std::size_t m : range) {
    squash.doc.push_back(fmt::format("  {}: {}", graph.at(m).stem(), graph.at(m).title()));
    squash.replaces.push_back({graph.at(m).id, graph.at(m).stem(), 0});
  }
  squash.depends.emplace();  // explicit even for a root: the id is the newest, not FROM's
  for (std::size_t parent : graph.parents(range.front())) {
    squash.depends->push_back({graph.at(parent).id, graph.at(parent).stem(), 0});
  }
  combine_sections(graph, range, squash, context.console);

  // Every child's new text first, so a child that cannot be re-pointed stops the squash before
  // anything is written.
  std::vector<std::size_t> children = graph.children(range.back());
  std::vector<std::string> texts;
  for (std::size_t child : children) {
    texts.push_back(repointed(graph.at(child), last, squash.stem()));
  }
  // The squash, its children and migrations/HEAD change together or not at all.
  FileTransaction files;
  std::filesystem::path path = stage_new_migration(context, squash, children.empty(), files);
  for (std::size_t i = 0; i < children.size(); ++i) {
    files.write(graph.at(children[i]).file, texts[i]);
  }
  files.apply();
  files.keep();
  for (std::size_t child : children) {
    context.console.info("{} now depends on {}", graph.at(child).file.string(), squash.stem());
  }
  context.console.note(fmt::format(
      "the {} originals stay until every database is past the squash; then remove them with "
      "migrate-squash --prune",
      range.size()));
  context.console.result(path.string() + "\n");
  return ExitCode::success;
}

ExitCode prune(Context& context, const SquashOptions& options) {
  RevisionGraph graph = load_graph(context);
  std::vector<std::size_t> squashes;
  for (std::size_t m = 0; m < graph.size(); ++m) {
    if (!graph.replaces(m).empty()) {
      squashes.push_back(m);
    }
  }
  if (squashes.empty()) {
    context.console.info("Nothing to prune: no migration replaces others.");
    return ExitCode::success;
  }
  // A database that ran part of a squashed range still needs the originals to finish it.
  std::vector<std::string> problems;
  for (const Target& target : configured_targets(context.config, context.environment)) {
    try {
      DatabaseStatus status = read_target_status(target, graph, {}).status;
      for (std::size_t squash : squashes) {
        if (!status.ran_part_of(graph, squash) || status.applied(squash)) {
          continue;
        }
        const std::vector<std::size_t>& originals = graph.replaces(squash);
        bool ran_all = std::all_of(originals.begin(), originals.end(),
                                   [&](std::size_t m) { return status.applied(m); });
        problems.push_back(fmt::format(
            "{} has applied {} of what {} replaces{}: run migrate-upgrade there first",
            target.description(), ran_all ? "all" : "part", graph.at(squash).stem(),
            ran_all ? fmt::format(", but has not recorded {} yet", graph.at(squash).stem())
                    : std::string()));
      }
    } catch (const Error& e) {
      if (!options.force) {
        problems.push_back(fmt::format("cannot check {}: {}", target.description(), e.what()));
      }
    }
  }
  if (!problems.empty()) {
    throw CheckFailed(
        fmt::format("not pruning, nothing was changed:\n  {}\n(--force prunes "
                    "although a database could not be checked)",
                    fmt::join(problems, "\n  ")));
  }
  // Every removal and rewrite together or not at all: a prune that stopped half-way would
  // leave a squash that replaces missing files, or originals without their squash's mark.
  FileTransaction files;
  std::vector<std::string> done;
  for (std::size_t squash : squashes) {
    for (std::size_t original : graph.replaces(squash)) {
      const Migration& m = graph.at(original);
      files.remove(m.file);
      if (m.down && m.down->file != m.file) {
        files.remove(m.down->file);  // a golang-migrate pair
      }
      done.push_back(fmt::format("removed {}", m.file.string()));
    }
    // The squash is now an ordinary migration: its replaces: lines go.
    const Migration& kept = graph.at(squash);
    std::string text = read_file(kept.file);
    std::string out;
    LineCursor cursor(text);
    Line line;
    while (cursor.next(line)) {
      bool directive =
          std::any_of(kept.replaces.begin(), kept.replaces.end(),
                      [&](const MigrationRef& ref) { return ref.line == line.number; });
      if (!directive) {
        out += text.substr(line.offset, cursor.position() - line.offset);
      }
    }
    files.write(kept.file, out);
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
