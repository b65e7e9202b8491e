#pragma once

#include <filesystem>
#include <vector>

#include "migration/migration.hpp"
#include "migration/migration_id.hpp"
#include "util/clock.hpp"

namespace migrate {

class FileTransaction;

/// The id for a new migration in the folder's own style: the UTC time `now` (`id_seconds`: with
/// seconds, as id-format says), or the one after the newest of `existing` when that is not
/// older, so new files always sort last and never collide; in a folder numbered in sequence
/// (golang-migrate's 000004, goose's 00004: its newest id is not a 12- or 14-digit timestamp),
/// the next number, as wide.
MigrationId new_migration_id(TimePoint now, bool id_seconds,
                             const std::vector<Migration>& existing);

/// The id for a migration that must come after `after`: the UTC time `now` when that is later
/// (with seconds when `after` has them: 14 digits), else the id after it; for sequence numbers
/// (not 12 or 14 digits), the next one.
MigrationId id_after(TimePoint now, bool id_seconds, const MigrationId& after);

/// Stages a new migration's files in `dir` into `files` (never over an existing one), as a
/// folder of `format` has them (new_migration_files), and migrations/HEAD pointing at it when
/// it `becomes_head` in migrate's own format (the other tools' folders have none); returns the
/// path of its (first) file.
std::filesystem::path stage_new_migration(const std::filesystem::path& dir,
                                          const Migration& migration, bool becomes_head,
                                          FileTransaction& files,
                                          MigrationFormat format = MigrationFormat::migrate);

}  // namespace migrate
