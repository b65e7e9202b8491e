#include "squash/squash_plan.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "graph/revision_graph.hpp"
#include "migration/migration_writer.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace migrate {

namespace {

/// The ups in order, the downs in reverse, each under a comment naming where it came from.
/// Returns false when the range is irreversible (the squash then has no down section).
bool combine_sections(const RevisionGraph& graph, const std::vector<std::size_t>& range,
                      Migration& squash) {
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
  }
  return reversible;
}

/// `child`'s file depending on the squash instead of `old_parent`. Throws before anything is
/// written when the file has no header to change (a golang-migrate file).
FileEdit repointed(const Migration& child, const std::string& text, const Migration& old_parent,
                   const std::string& squash_stem) {
  std::optional<std::string> out = with_parent_replaced(text, child, old_parent.id, squash_stem);
  if (!out) {
    throw GraphError(fmt::format(
        "{} has no '-- migrate:up' line to put '-- depends: {}' above (a golang-migrate file?): "
        "write it by hand, or squash a range without children. Nothing was written",
        child.file.string(), squash_stem));
  }
  return {child.file, std::move(*out)};
}

}  // namespace

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
    const std::vector<std::size_t>& siblings = graph.children(parent);
    if (siblings.size() != 1) {
      throw GraphError(fmt::format(
          "{} has {} children ({}): a squash replaces one line of migrations, without branch "
          "points inside",
          graph.at(parent).stem(), siblings.size(), list_stems(graph, siblings)));
    }
    range.push_back(parent);
    m = parent;
  }
  std::reverse(range.begin(), range.end());
  for (std::size_t m : range) {
    if (graph.at(m).format == MigrationFormat::stem) {
      throw UsageError(fmt::format(
          "{} is a name-ordered folder's migration: its files have no place for the "
          "'-- replaces:' line a squash needs, and maragudk/migrate would run a squash as a new "
          "migration. Squash such a folder by hand",
          graph.at(m).stem()));
    }
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

SquashPlan plan_squash(const RevisionGraph& graph, const SquashInput& input) {
  SquashPlan plan;
  plan.range = squash_range(graph, input.from, input.to);
  const Migration& first = graph.at(plan.range.front());
  const Migration& last = graph.at(plan.range.back());

  Migration& squash = plan.squash;
  squash.id = input.id;
  std::string title(trim(input.message));
  if (title.empty()) {
    title = fmt::format("Squash {} to {}", first.id, last.id);
  }
  squash.slug = make_slug(title);
  squash.doc = {title, "", fmt::format("Replaces these {} migrations:", plan.range.size())};
  for (std::size_t m : plan.range) {
    squash.doc.push_back(fmt::format("  {}: {}", graph.at(m).stem(), graph.at(m).title()));
    squash.replaces.push_back({graph.at(m).id, graph.at(m).stem(), 0});
  }
  squash.depends.emplace();  // explicit even for a root: the id is the newest, not FROM's
  for (std::size_t parent : graph.parents(plan.range.front())) {
    squash.depends->push_back({graph.at(parent).id, graph.at(parent).stem(), 0});
  }
  plan.irreversible = !combine_sections(graph, plan.range, squash);

  const std::vector<std::size_t>& children = graph.children(plan.range.back());
  if (input.child_texts.size() != children.size()) {
    throw InternalError(fmt::format(  // a caller's mistake, not the user's
        "squash planned with {} file texts for the {} children of {}", input.child_texts.size(),
        children.size(), last.stem()));
  }
  for (std::size_t i = 0; i < children.size(); ++i) {
    plan.children.push_back(
        repointed(graph.at(children[i]), input.child_texts[i], last, squash.stem()));
  }
  return plan;
}

std::vector<std::size_t> squashes_of(const RevisionGraph& graph) {
  std::vector<std::size_t> squashes;
  for (std::size_t m = 0; m < graph.size(); ++m) {
    if (!graph.replaces(m).empty()) {
      squashes.push_back(m);
    }
  }
  return squashes;
}

void check_prunable(const RevisionGraph& graph, const std::vector<std::size_t>& squashes,
                    const std::vector<TargetRead>& databases, bool force) {
  std::vector<std::string> problems;
  for (const TargetRead& database : databases) {
    if (!database.status) {
      if (!force) {
        problems.push_back(
            fmt::format("cannot check {}: {}", database.description, database.error));
      }
      continue;
    }
    const DatabaseStatus& status = *database.status;
    for (std::size_t squash : squashes) {
      if (!status.ran_part_of(graph, squash) || status.applied(squash)) {
        continue;
      }
      const std::vector<std::size_t>& originals = graph.replaces(squash);
      bool ran_all = std::all_of(originals.begin(), originals.end(),
                                 [&](std::size_t m) { return status.applied(m); });
      problems.push_back(fmt::format(
          "{} has applied {} of what {} replaces{}: run migrate-upgrade there first",
          database.description, ran_all ? "all" : "part", graph.at(squash).stem(),
          ran_all ? fmt::format(", but has not recorded {} yet", graph.at(squash).stem())
                  : std::string()));
    }
  }
  if (!problems.empty()) {
    throw CheckFailed(
        fmt::format("not pruning, nothing was changed:\n  {}\n(--force prunes "
                    "although a database could not be checked)",
                    fmt::join(problems, "\n  ")));
  }
}

}  // namespace migrate
