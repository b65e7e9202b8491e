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
/// (not 12 or 14 digits), the next one. After a name-ordered id, the number after its leading
/// one so (0003 after 0002_index_a; the time when it has none): name_stem_migration makes it a
/// stem. (A stem of digits alone is a number already.)
MigrationId id_after(TimePoint now, bool id_seconds, const MigrationId& after);

/// Names a new migration of a name-ordered folder (`existing`) in the folder's style: its id
/// (a number, new_migration_id's), its separator (`_` or `-`, as after the newest stem's
/// number) and its slug make its stem (`0003_add_x`), which becomes its id (a name); its files are
/// named in the newest file's suffix style (`.up.sql` or `_up.sql`). Throws UsageError when that
/// stem would not come last in name order (`10_x` after `9_y`), or is not one maragudk/migrate
/// reads (a letter outside ASCII in the slug).
void name_stem_migration(Migration& migration, const std::vector<Migration>& existing);

/// Stages a new migration's files in `dir` into `files` (never over an existing one), as a
/// folder of `format` has them (new_migration_files), and migrations/HEAD pointing at it when
/// it `becomes_head` in migrate's own format (the other tools' folders have none); returns the
/// path of its (first) file.
std::filesystem::path stage_new_migration(const std::filesystem::path& dir,
                                          const Migration& migration, bool becomes_head,
                                          FileTransaction& files,
                                          MigrationFormat format = MigrationFormat::migrate);

}  // namespace migrate
