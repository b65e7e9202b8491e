#include "renumber/renumber_plan.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "graph/revision_graph.hpp"
#include "migration/stem_name.hpp"
#include "util/error.hpp"

namespace migrate {

namespace {

/// The ids a migration depends on now: its `depends:` line, or the one before it in id order.
std::vector<MigrationId> current_parents(const std::vector<Migration>& local, std::size_t i) {
  std::vector<MigrationId> ids;
  if (local[i].depends) {
    for (const MigrationRef& ref : *local[i].depends) {
      ids.push_back(ref.id);
    }
  } else if (i > 0) {
    ids.push_back(local[i - 1].id);
  }
  return ids;
}

/// The single head of upstream's migrations; refuses when there are several.
std::string upstream_head(const RevisionGraph& upstream) {
  std::vector<std::size_t> heads = upstream.heads();
  if (heads.size() > 1) {
    std::vector<std::string> stems;
    for (std::size_t head : heads) {
      stems.push_back(upstream.at(head).stem());
    }
    throw UsageError(fmt::format(
        "upstream's migrations have {} heads ({}): there is no single migration to chain this "
        "branch's after. Join them on upstream first (`migrate merge`)",
        heads.size(), fmt::join(stems, ", ")));
  }
  return heads.empty() ? std::string() : upstream.at(heads.front()).stem();
}

/// Refuses to renumber a work tree that lacks some of upstream's migrations: the chain would
/// point at files that are not here.
void require_upstream_present(const std::vector<Migration>& local, const RevisionGraph& upstream) {
  std::set<std::string> here;
  for (const Migration& m : local) {
    here.insert(m.stem());
  }
  std::vector<std::string> missing;
  for (const Migration& m : upstream.migrations()) {
    if (!here.contains(m.stem())) {
      missing.push_back(m.stem());
    }
  }
  if (!missing.empty()) {
    throw UsageError(fmt::format(
        "this work tree lacks {} of upstream's migrations (first: {}): renumbering chains this "
        "branch's migrations after upstream's, so bring them in first (`git rebase` onto, or "
        "`git merge`, the upstream branch)",
        missing.size(), missing.front()));
  }
}

/// The branch migration a `depends:` reference means, if any: the one with that stem, else
/// (the reference went stale when an earlier step of a rebase renumbered its target) the one
/// with that slug.
std::optional<std::size_t> branch_target(const std::vector<Migration>& local,
                                         const std::vector<std::size_t>& branch,
                                         const MigrationRef& ref) {
  std::size_t underscore = ref.text.find('_');
  for (std::size_t i : branch) {
    if (local[i].stem() == ref.text) {
      return i;
    }
  }
  if (underscore == std::string::npos) {
    return std::nullopt;
  }
  std::string slug = ref.text.substr(underscore + 1);
  std::optional<std::size_t> found;
  for (std::size_t i : branch) {
    if (local[i].slug == slug) {
      if (found) {
        return std::nullopt;  // two with that slug: no guessing
      }
      found = i;
    }
  }
  return found;
}

/// The branch's migrations parents first (their `depends:` among themselves), in id order
/// where that leaves a choice. Id order alone is not enough halfway through a rebase: a
/// migration renumbered at an earlier stop has a newer id than its children.
std::vector<std::size_t> branch_order(const std::vector<Migration>& local,
                                      const std::vector<std::size_t>& branch) {
  std::vector<std::vector<std::size_t>> parents(local.size());
  for (std::size_t i : branch) {
    for (const MigrationRef& ref : local[i].depends.value_or(std::vector<MigrationRef>{})) {
      if (std::optional<std::size_t> target = branch_target(local, branch, ref)) {
        parents[i].push_back(*target);
      }
    }
  }
  std::vector<std::size_t> ordered;
  std::vector<bool> placed(local.size(), false);
  while (ordered.size() < branch.size()) {
    std::size_t before = ordered.size();
    for (std::size_t i : branch) {  // branch is in id order: the first ready one wins
      bool ready = !placed[i] && std::all_of(parents[i].begin(), parents[i].end(),
                                             [&](std::size_t p) { return placed[p]; });
      if (ready) {
        ordered.push_back(i);
        placed[i] = true;
        break;
      }
    }
    if (ordered.size() == before) {  // a cycle: keep id order for the rest
      for (std::size_t i : branch) {
        if (!placed[i]) {
          ordered.push_back(i);
          placed[i] = true;
        }
      }
    }
  }
  return ordered;
}

}  // namespace

RenumberPlan plan_renumber(const std::vector<Migration>& local,
                           const std::set<std::string>& upstream_files,
                           const RevisionGraph& upstream,
                           const std::function<MigrationId(const MigrationId&)>& id_after) {
  require_upstream_present(local, upstream);
  RenumberPlan plan;
  plan.upstream_head = upstream_head(upstream);
  for (std::size_t i = 0; i < local.size(); ++i) {
    if (!upstream_files.contains(local[i].file.filename().string())) {
      plan.branch.push_back(i);
    }
  }
  plan.branch = branch_order(local, plan.branch);
  std::optional<MigrationId> newest;  // of upstream's
  for (const Migration& m : upstream.migrations()) {
    if (!newest || *newest < m.version()) {  // a Flyway baseline's B5 is 5
      newest = m.version();
    }
  }
  plan.new_head = plan.upstream_head;

  std::optional<MigrationId> last = newest;  // every new id must be after this one
  std::optional<MigrationId> parent_id;      // what the next one must depend on
  if (!plan.upstream_head.empty()) {
    parent_id = upstream.at(upstream.heads().front()).id;
  }
  std::string parent = plan.upstream_head;
  for (std::size_t i : plan.branch) {
    const Migration& m = local[i];
    MigrationId id = !last || *last < m.id ? m.id : id_after(*last);
    const bool name_ordered = m.format == MigrationFormat::stem;
    if (!(id == m.id) && name_ordered) {  // the stem keeps its words: 0002_x -> 0003_x
      id = MigrationId::from_row(stem_renumbered(m.id.text(), id.text()));
    }
    // A name-ordered folder's stem is its id; elsewhere the id and the slug make it.
    std::string stem = name_ordered ? id.text() : migration_stem(id, m.slug);
    std::vector<MigrationId> wanted;
    if (parent_id) {
      wanted.push_back(*parent_id);
    }
    bool renamed = !(id == m.id);
    if (renamed || current_parents(local, i) != wanted) {
      // A branch migration is not upstream's file: one of upstream's with its id is another.
      std::optional<std::size_t> clash = upstream.find(m.id);
      plan.steps.push_back(
          {i, id, stem, parent, renamed, clash ? upstream.at(*clash).stem() : std::string()});
    }
    last = id;
    parent_id = id;
    parent = stem;
    plan.new_head = parent;
  }
  return plan;
}

std::string pushed_refusal(const RenumberPlan& plan, const std::vector<Migration>& local,
                           const RenumberStep& pushed, const std::string& branch) {
  auto name = [&](const RenumberStep& step) {
    return local[step.migration].file.filename().string();
  };
  auto clash = std::find_if(plan.steps.begin(), plan.steps.end(),
                            [](const RenumberStep& step) { return !step.clash.empty(); });
  if (clash != plan.steps.end()) {
    std::string same_id = clash->migration == pushed.migration
                              ? fmt::format("and upstream's {} has the same id", clash->clash)
                              : fmt::format("and this branch's {} has the id of upstream's {}",
                                            name(*clash), clash->clash);
    return fmt::format(
        "{} is already on {}, {}: two migrations cannot share one, so `migrate merge` cannot "
        "join them. Renumber this branch's migrations with `migrate renumber --force`: a "
        "database that applied them under the old ids is re-keyed by its checksum on its next "
        "upgrade, and nothing runs twice",
        name(pushed), branch, same_id);
  }
  return fmt::format(
      "{} is already on {}: whoever pulled that branch may have applied it under its current id, "
      "and renumbering would make their databases see a new migration. Join the heads with "
      "`migrate merge` instead, or, if nobody uses that branch, renumber anyway with --force",
      name(pushed), branch);
}

std::string renamed_file_name(const std::filesystem::path& file, const MigrationId& old_id,
                              const MigrationId& new_id) {
  std::string name = file.filename().string();
  // Flyway's V1_1__x.sql / U1_1__x.sql: the version after the prefix (`_` as long as `.`).
  std::size_t start = name.starts_with('V') || name.starts_with('U') ? 1 : 0;
  return name.substr(0, start) + new_id.text() + name.substr(start + old_id.text().size());
}

}  // namespace migrate
