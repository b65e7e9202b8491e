#include "migration/new_migration.hpp"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "migration/migration_dir.hpp"
#include "migration/migration_writer.hpp"
#include "migration/stem_name.hpp"
#include "util/error.hpp"
#include "util/file_transaction.hpp"

namespace migrate {

namespace {

MigrationId id_of(TimePoint now, bool id_seconds) {
  return *MigrationId::from_digits(format_id_timestamp(now, id_seconds));
}

}  // namespace

MigrationId new_migration_id(TimePoint now, bool id_seconds,
                             const std::vector<Migration>& existing) {
  // The newest version: a Flyway baseline's (B5 is 5), and a repeatable has none.
  std::optional<MigrationId> newest;
  for (const Migration& migration : existing) {
    if (!migration.repeatable && (!newest || *newest < migration.version())) {
      newest = migration.version();
    }
  }
  return newest ? id_after(now, id_seconds, *newest) : id_of(now, id_seconds);
}

MigrationId id_after(TimePoint now, bool id_seconds, const MigrationId& after) {
  if (after.named()) {  // a name-ordered folder's stem
    std::optional<MigrationId> number = MigrationId::from_digits(stem_number(after.text()));
    return number ? id_after(now, id_seconds, *number) : id_of(now, id_seconds);
  }
  // golang-migrate's sequence numbers (000042) stay a sequence; timestamps stay timestamps, as
  // wide: a folder of dbmate's 14-digit ids gets seconds whatever id-format says.
  std::size_t width = after.text().size();
  if (width != 12 && width != 14) {
    return after.next();
  }
  MigrationId time = id_of(now, id_seconds || width == 14);
  return after < time ? time : after.next();
}

void name_stem_migration(Migration& migration, const std::vector<Migration>& existing) {
  auto newest =
      std::max_element(existing.begin(), existing.end(),
                       [](const Migration& a, const Migration& b) { return a.id < b.id; });
  char separator = '_';
  StemSuffix suffix = StemSuffix::dotted;
  if (newest != existing.end()) {
    std::string_view stem = newest->id.text();
    std::size_t digits = stem_number(stem).size();
    if (digits > 0 && digits < stem.size() && stem[digits] == '-') {
      separator = '-';  // maragudk/migrate's own: 1-accounts
    }
    suffix = parse_stem_name(newest->file.filename().string()).value_or(StemName{}).suffix;
  }
  std::string stem = fmt::format("{}{}{}", migration.id.text(), separator, migration.slug);
  if (!parse_stem_name(stem_file_name(stem, true, suffix))) {
    throw UsageError(fmt::format(
        "the new migration's name {} is not one a name-ordered folder's tool reads: "
        "maragudk/migrate takes ASCII letters, digits, '_' and '-'. Write the message so",
        stem));
  }
  MigrationId id = MigrationId::from_row(stem);
  if (newest != existing.end() && !(newest->id < id && newest->id.text() < stem)) {
    throw UsageError(fmt::format(
        "the new migration {} would not come last: the folder runs its files in name order, "
        "and {} sorts after it. Name its files yourself (<stem>{}), so that they sort last",
        stem, newest->id.text(), suffix == StemSuffix::dotted ? ".up.sql" : "_up.sql"));
  }
  migration.id = id;
  migration.format = MigrationFormat::stem;
  migration.file = stem_file_name(stem, true, suffix);
  if (migration.down) {
    migration.down->file = stem_file_name(stem, false, suffix);
  }
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
