// The parse cache (migration/parse_cache): its decoder on any bytes, and a migration file read
// through a cache that remembers another version of it. Input: a byte choosing which; then the
// bytes to decode, or two versions of one migration file separated by a "----" line.
//
// Properties: bytes that decode encode to bytes that decode to the same migration; the cache
// never answers for bytes that differ from the ones an entry was made from: a file read
// through a cache saved, loaded and holding the other version reads exactly as it reads with
// no cache (the same migration, or the same error).
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "migration/migration_dir.hpp"
#include "migration/parse_cache.hpp"
#include "util/error.hpp"
#include "util/sha256.hpp"
#include "util/temp_folder.hpp"

using namespace migrate;
using fuzz::require;

namespace {

void check_decoder(std::string_view bytes) {
  std::optional<ParsedFile> decoded = ParseCache::decode(bytes);
  if (!decoded) {
    return;
  }
  std::string encoded = ParseCache::encode(*decoded);
  std::optional<ParsedFile> again = ParseCache::decode(encoded);
  require(again.has_value(), "what decode gave does not decode once encoded");
  require(ParseCache::encode(*again) == encoded, "decode and encode disagree");
}

/// The file as a migrations folder's only file, identified by its content as git identifies a
/// blob.
FolderFile folder_file(std::string_view text) {
  return {.path = "migrations/202601010000_fuzz.sql",
          .read = [text] { return std::string(text); },
          .content_id = sha256_hex(text)};
}

/// What reading the file gives, as comparable bytes: the migration encoded, or the error.
std::string read_through(std::string_view text, const FolderFormat& format, ParseCache* cache) {
  try {
    std::vector<Migration> read = read_migration_files({folder_file(text)}, format, cache);
    std::string out;
    for (const Migration& migration : read) {
      out += ParseCache::encode({migration, {}});
    }
    return out;
  } catch (const InternalError& e) {
    require(false, "an InternalError", e.what());
  } catch (const Error& e) {
    return std::string("error: ") + e.what();
  }
  return {};
}

void check_other_version(fuzz::FuzzInput& input, bool outline) {
  static const TempFolder folder("migrate-fuzz-cache");
  std::string_view first = input.part();
  std::string_view second = input.rest();
  FolderFormat format{.outline = outline};
  ParseCache made;
  read_through(first, format, &made);
  std::filesystem::path file = folder.path() / "parse-cache";
  made.save(file);
  ParseCache loaded = ParseCache::load(file);
  std::string cold = read_through(second, format, nullptr);
  require(read_through(second, format, &loaded) == cold, "a cached read differs from a cold one",
          std::string(second));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::FuzzInput input(data, size);
  std::size_t mode = input.choose(3);
  if (mode == 0) {
    check_decoder(input.rest());
  } else {
    check_other_version(input, mode == 2);
  }
  return 0;
}
