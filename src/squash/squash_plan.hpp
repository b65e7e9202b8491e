#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "migration/migration.hpp"
#include "plan/database_status.hpp"
#include "target/target_read.hpp"

namespace migrate {

class RevisionGraph;

/// What migrate-squash FROM TO starts from: the range's ends in the graph, and what the command
/// reads before planning.
struct SquashInput {
  std::size_t from = 0;  ///< the range's first migration (index in the graph)
  std::size_t to = 0;    ///< its last one
  MigrationId id;        ///< the squash's id: newer than every migration's
  std::string message;   ///< its title; blank: one naming the range
  /// The text of each child of `to`, in graph.children(to)'s order: they are re-pointed.
  std::vector<std::string> child_texts;
};

/// A file a squash rewrites, and its new text.
struct FileEdit {
  std::filesystem::path file;
  std::string text;
};

/// What migrate-squash FROM TO writes: one new migration that `replaces:` the range, with their
/// up sections in order and their down sections in reverse, FROM's parents as its parents; and
/// TO's children re-pointed to it.
struct SquashPlan {
  std::vector<std::size_t> range;  ///< FROM..TO, oldest first
  Migration squash;                ///< the new migration (its file not named yet)
  /// A migration of the range is irreversible, so the squash has no down section.
  bool irreversible = false;
  std::vector<FileEdit> children;  ///< TO's children, depending on the squash instead of TO
};

/// FROM..TO as one line of migrations, oldest first. Throws GraphError saying why it is not
/// one: TO before FROM, a merge or a branch point inside, a root that is not FROM, or a
/// migration that is a squash or squashed already; UsageError for a name-ordered folder's
/// migration, whose files cannot say what a squash replaces.
std::vector<std::size_t> squash_range(const RevisionGraph& graph, std::size_t from, std::size_t to);

/// Plans the squash (DESIGN.md, "Squash semantics"). Throws what squash_range throws; GraphError
/// when the range's up sections have different options (the squash runs as one section) or a child
/// has no header to re-point (a golang-migrate file); UsageError when the message has nothing
/// to name the file after.
SquashPlan plan_squash(const RevisionGraph& graph, const SquashInput& input);

/// Every squash of the graph (a migration that replaces others), in order: what
/// `migrate-squash --prune` would finish.
std::vector<std::size_t> squashes_of(const RevisionGraph& graph);

/// Refuses to prune `squashes` while a database ran part of one without recording it: it
/// still needs the originals to finish (a database that could not be read counts too, unless
/// `force`). Throws CheckFailed listing every such database, and the way out.
void check_prunable(const RevisionGraph& graph, const std::vector<std::size_t>& squashes,
                    const std::vector<TargetRead>& databases, bool force);

}  // namespace migrate
