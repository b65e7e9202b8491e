// The migration file parsers, every format: ours and dbmate's single files, goose's, a
// golang-migrate pair, the file names of every format, and Flyway's `${placeholders}`. Input: a
// byte choosing the reader, then the file's text (a pair: the up file, a "----" line, the down
// file; names: one a line).
//
// Properties: a file of ours that parses is written back (write_migration) to a text that
// parses to the same migration, and writing that again gives the same bytes; every section
// survives stored_section_text / parse_stored_section (the state table's down_sql); re-pointing
// a file's parents (with_depends) keeps its up section's checksum. Bad input is a ParseError or
// UsageError, never another exception and never an InternalError.
#include <optional>
#include <string>

#include "fuzz_support.hpp"
#include "migration/checksum.hpp"
#include "migration/flyway_name.hpp"
#include "migration/goose_parser.hpp"
#include "migration/migration.hpp"
#include "migration/migration_parser.hpp"
#include "migration/migration_writer.hpp"
#include "migration/placeholders.hpp"
#include "migration/stem_name.hpp"
#include "util/error.hpp"

using namespace migrate;
using fuzz::require;

namespace {

const std::filesystem::path kFile = "migrations/202601010000_fuzz.sql";

MigrationFileName file_name() {
  return *parse_file_name(kFile);
}

void same_migration(const Migration& a, const Migration& b, const std::string& written) {
  require(a.id == b.id && a.id.text() == b.id.text(), "written back, the id changed", written);
  require(a.slug == b.slug, "written back, the slug changed", written);
  require(a.doc == b.doc, "written back, the documentation changed", written);
  require(a.depends == b.depends, "written back, depends: changed", written);
  require(a.replaces == b.replaces, "written back, replaces: changed", written);
  require(a.up == b.up, "written back, the up section changed", written);
  require(a.down == b.down, "written back, the down section changed", written);
  require(a.checksum == b.checksum, "written back, the checksum changed", written);
}

void check_sections_stored(const Migration& migration) {
  std::vector<const Section*> sections = {&migration.up};
  if (migration.down) {
    sections.push_back(&*migration.down);
  }
  for (const Section* section : sections) {
    std::string stored = stored_section_text(*section);
    Section back = parse_stored_section(stored, "fuzz");
    require(back == *section, "a stored section does not read back", stored);
  }
}

/// Ours: the write-back and re-pointing properties.
void check_ours(std::string_view text) {
  Migration parsed = parse_migration(file_name(), kFile, text);
  check_sections_stored(parsed);
  std::string before = section_checksum(parsed.up.sql);
  std::string repointed = with_depends(text, {"202501010000_parent"});
  try {
    Migration moved = parse_migration(file_name(), kFile, repointed);
    require(section_checksum(moved.up.sql) == before, "with_depends changed the up section",
            repointed);
  } catch (const ParseError&) {
    // The new line may make a file whose header was at the limit of the rules fail; never
    // silently change its SQL.
  }
  std::string written;
  try {
    written = write_migration(parsed);
  } catch (const UsageError&) {
    return;  // documentation that would read as a directive: refused, not written wrong
  }
  Migration back = parse_migration(file_name(), kFile, written);
  same_migration(parsed, back, written);
  require(write_migration(back) == written, "writing twice gives other bytes", written);
}

void check_names(std::string_view text) {
  fuzz::FuzzInput lines(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
  for (std::string_view line : fuzz::parts(lines, "\n")) {
    std::optional<MigrationFileName> name;
    try {
      name = parse_file_name(std::string(line));
    } catch (const ParseError&) {
      continue;  // a .sql name without an id: an error, as it must be
    }
    if (name && name->kind == MigrationFileName::Kind::single) {
      std::string again = migration_file_name(name->id, name->slug);
      std::optional<MigrationFileName> back = parse_file_name(again);
      require(back && back->id == name->id && back->slug == name->slug,
              "a file name written back reads otherwise", again);
    }
    (void)parse_flyway_name(line);
    (void)parse_stem_name(line);
  }
}

/// Flyway's `${name}` placeholders replaced: no property of its own beyond the typed error of a
/// name without a value (a reference implementation would only repeat it).
void replace_some_placeholders(std::string_view text) {
  PlaceholderValues values = {{"table", "users"}, {"empty", ""}, {"flyway:user", "app"}};
  (void)replace_placeholders(text, values, kFile, 1);
}

void run(fuzz::FuzzInput& input) {
  switch (input.choose(6)) {
    case 0:
      check_ours(input.rest());
      break;
    case 1:
      check_sections_stored(
          parse_migration(file_name(), kFile, input.rest(), MigrationFormat::dbmate));
      break;
    case 2:
      check_sections_stored(parse_goose_migration(
          file_name(), kFile, input.rest(),
          [](std::string_view name) -> std::optional<std::string> {
            return name == "EMPTY" ? std::optional<std::string>("") : std::string(name) + "!";
          }));
      break;
    case 3: {
      std::string_view up = input.part();
      std::optional<std::filesystem::path> down_file;
      if (!input.empty()) {
        down_file = "migrations/202601010000_fuzz.down.sql";
      }
      check_sections_stored(parse_migration_pair(file_name(), kFile, up, down_file, input.rest()));
      break;
    }
    case 4:
      check_names(input.rest());
      break;
    default:
      replace_some_placeholders(input.rest());
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::FuzzInput input(data, size);
  try {
    (void)read_format_clues(input.rest());
    run(input);
  } catch (const InternalError& e) {
    require(false, "an InternalError", e.what());
  } catch (const ParseError&) {
  } catch (const UsageError&) {
  }
  return 0;
}
