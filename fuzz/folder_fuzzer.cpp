// The migrations folder reader (migration/migration_dir) on a folder made from the input, in
// every format it detects or is told, then the revision graph over what it read. Input: files,
// each after a line `==> NAME <==` (NAME: a file name; `sub/NAME` puts it in a subfolder), as
// `head` prints several files.
//
// Properties: a folder read with the format detection chose reads exactly as when a format is
// chosen (`format =`): detection picks one of them; read for outlines (as current and history read
// it, through the work tree's cache) it gives the outlines of the full read, in the same order. Bad
// input is a ParseError, InvalidFiles, ConfigError or GraphError, never another exception.
#include <algorithm>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "graph/revision_graph.hpp"
#include "migration/migration_dir.hpp"
#include "migration/migration_format.hpp"
#include "migration/migration_parser.hpp"
#include "migration/parse_cache.hpp"
#include "util/error.hpp"
#include "util/file.hpp"
#include "util/temp_folder.hpp"

using namespace migrate;
using fuzz::require;

namespace {

struct FuzzFile {
  std::string name;  ///< relative to the folder
  std::string_view text;
};

/// A name the file system takes: no NUL, no `..`, at most the one subfolder `sub/`.
std::string safe_name(std::string_view written) {
  bool nested = written.starts_with("sub/");
  std::string name(nested ? written.substr(4) : written);
  for (char& c : name) {
    c = c == '/' || c == '\0' ? '_' : c;
  }
  if (name.empty() || name == "." || name == "..") {
    name = "_" + name;
  }
  return (nested ? "sub/" : "") + name.substr(0, 200);
}

std::vector<FuzzFile> files_of(std::string_view input) {
  std::vector<FuzzFile> files;
  for (const fuzz::NamedPart& part : fuzz::named_parts(input)) {
    files.push_back({safe_name(part.name), part.text});
  }
  return files;
}

/// A fresh folder holding `files` (a later one of the same name wins).
std::filesystem::path make_folder(const std::vector<FuzzFile>& files) {
  static const TempFolder scratch("migrate-fuzz-folder");
  std::filesystem::path dir = scratch.path() / "migrations";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "sub");
  for (const FuzzFile& file : files) {
    // Plainly: write_file_atomically's fsync would be most of an input's time.
    std::ofstream(dir / file.name, std::ios::binary | std::ios::trunc) << file.text;
  }
  return dir;
}

/// What a read gives, comparable: each migration encoded, or that it failed.
std::string encoded(const std::vector<Migration>& migrations) {
  std::string out;
  for (const Migration& migration : migrations) {
    out += ParseCache::encode({migration, {}});
  }
  return out;
}

std::optional<std::vector<Migration>> read(const std::filesystem::path& dir,
                                           const std::optional<FormatChoice>& choice,
                                           ParseCache* outlines = nullptr) {
  try {
    return read_migration_dir(dir, choice, {}, nullptr, true, outlines);
  } catch (const InternalError& e) {
    require(false, "an InternalError", e.what());
  } catch (const Error&) {
  }
  return std::nullopt;
}

/// Whether choosing one of the formats detection can choose (`format =`) reads the folder as
/// detection did.
bool a_choice_reads_alike(const std::filesystem::path& dir, const std::string& detected) {
  constexpr MigrationFormat kDetectable[] = {MigrationFormat::migrate, MigrationFormat::dbmate,
                                             MigrationFormat::golang_migrate,
                                             MigrationFormat::goose, MigrationFormat::flyway};
  return std::any_of(std::begin(kDetectable), std::end(kDetectable), [&](MigrationFormat format) {
    std::optional<std::vector<Migration>> chosen = read(dir, FormatChoice{format, "fuzz"});
    return chosen && encoded(*chosen) == detected;
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<FuzzFile> files =
      files_of(std::string_view(reinterpret_cast<const char*>(data), size));
  std::filesystem::path dir = make_folder(files);
  std::optional<std::vector<Migration>> full = read(dir, std::nullopt);
  if (!full) {
    return 0;
  }
  std::string detected = encoded(*full);
  require(a_choice_reads_alike(dir, detected), "no format chosen reads as detection did");
  ParseCache outlines;
  std::optional<std::vector<Migration>> outlined = read(dir, std::nullopt, &outlines);
  std::vector<Migration> expected;
  for (const Migration& migration : *full) {
    // Flyway's folders are read whole, with a cache or without (a name-ordered folder is never
    // detected, so never read here).
    bool whole = migration.format == MigrationFormat::flyway;
    expected.push_back(whole ? migration : migration.outline());
  }
  require(outlined && encoded(*outlined) == encoded(expected),
          "outlines differ from the full read's");
  try {
    RevisionGraph graph(std::move(*full));
    (void)graph.heads();
  } catch (const GraphError&) {
  }
  return 0;
}
