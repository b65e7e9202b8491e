#include "migration/new_migration.hpp"

#include <algorithm>

#include "migration/migration_dir.hpp"
#include "migration/migration_writer.hpp"
#include "util/file_transaction.hpp"

namespace migrate {

namespace {

MigrationId id_of(TimePoint now, bool id_seconds) {
  return *MigrationId::from_digits(format_id_timestamp(now, id_seconds));
}

}  // namespace

MigrationId new_migration_id(TimePoint now, bool id_seconds,
                             const std::vector<Migration>& existing) {
  if (existing.empty()) {
    return id_of(now, id_seconds);
  }
  const MigrationId& newest =
      std::max_element(existing.begin(), existing.end(),
                       [](const Migration& a, const Migration& b) { return a.id < b.id; })
          ->id;
  return id_after(now, id_seconds, newest);
}

MigrationId id_after(TimePoint now, bool id_seconds, const MigrationId& after) {
  // golang-migrate's sequence numbers (000042) stay a sequence; timestamps stay timestamps, as
  // wide: a folder of dbmate's 14-digit ids gets seconds whatever id-format says.
  std::size_t width = after.text().size();
  if (width != 12 && width != 14) {
    return after.next();
  }
  MigrationId time = id_of(now, id_seconds || width == 14);
  return after < time ? time : after.next();
}

std::filesystem::path stage_new_migration(const std::filesystem::path& dir,
                                          const Migration& migration, bool becomes_head,
                                          FileTransaction& files, MigrationFormat format) {
  std::vector<NewFile> new_files = new_migration_files(migration, format);
  for (const NewFile& file : new_files) {
    files.create(dir / file.name, file.text);
  }
  if (becomes_head && format == MigrationFormat::migrate) {
    files.write(head_file_path(dir), head_file_text(migration.stem()));
  }
  return dir / new_files.front().name;
}

}  // namespace migrate
