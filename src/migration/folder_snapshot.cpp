#include "migration/folder_snapshot.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include <fmt/format.h>

#include "migration/goose_parser.hpp"
#include "migration/migration_dir.hpp"
#include "migration/parse_cache.hpp"
#include "migration/parser_fingerprint.hpp"
#include "util/error.hpp"
#include "util/file.hpp"
#include "util/file_descriptor.hpp"
#include "util/file_stamp.hpp"
#include "util/sha256.hpp"

namespace migrate {

namespace {

/// The file: "<magic> <fingerprint>\n<settings>\n<state length>\n<state>", then each
/// migration as a length and ParseCache's encoding, then the SHA-256 of everything before it.
constexpr std::string_view kMagic = "migrate folder snapshot 1";
constexpr std::size_t kChecksumSize = 64;  // hex

std::string header(std::string_view settings, std::string_view state) {
  return fmt::format("{} {}\n{}\n{}\n{}", kMagic, parser_fingerprint(), settings, state.size(),
                     state);
}

void append_number(std::string& out, std::uint32_t value) {
  char bytes[sizeof value];
  std::memcpy(bytes, &value, sizeof value);
  out.append(bytes, sizeof value);
}

}  // namespace

std::optional<std::string> folder_state(const std::filesystem::path& dir, const ReadStart& start) {
  FileDescriptor folder(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (folder.get() < 0) {
    return std::nullopt;
  }
  std::unique_ptr<DIR, int (*)(DIR*)> listing(::fdopendir(::dup(folder.get())), ::closedir);
  if (!listing) {
    return std::nullopt;
  }
  std::vector<std::string> names;
  while (dirent* entry = ::readdir(listing.get())) {
    std::string_view name = entry->d_name;
    if (name.starts_with(".")) {
      continue;  // never read: `.`, `..`, hidden files and folders
    }
    if (goose_go_migration(name)) {
      return std::nullopt;
    }
    names.emplace_back(name);
  }
  std::sort(names.begin(), names.end());
  std::string state;
  for (const std::string& name : names) {
    bool folder_entry = false;
    std::optional<FileStamp> stamp = stamp_at(folder.get(), name.c_str(), &folder_entry);
    if (!stamp || start.racy(*stamp)) {
      return std::nullopt;
    }
    if (folder_entry && name != kDataTestsFolder) {
      return std::nullopt;  // a subfolder's files are clues, or Flyway's migrations
    }
    state += name;
    state.push_back('\0');
    state += stamp->text();
    state.push_back('\n');
  }
  return state;
}

std::optional<std::vector<Migration>> load_folder_snapshot(const std::filesystem::path& file,
                                                           std::string_view state,
                                                           std::string_view settings) {
  std::string content;
  try {
    content = read_file(file);
  } catch (const Error&) {
    return std::nullopt;  // none yet, or unreadable
  }
  std::string expected = header(settings, state);
  if (content.size() < expected.size() + kChecksumSize || !content.starts_with(expected)) {
    return std::nullopt;  // another state, other settings, another parser, or damaged
  }
  std::string_view body = std::string_view(content).substr(0, content.size() - kChecksumSize);
  if (sha256_hex(body) != std::string_view(content).substr(body.size())) {
    return std::nullopt;
  }
  std::vector<Migration> migrations;
  std::string_view rest = body.substr(expected.size());
  migrations.reserve(std::count(state.begin(), state.end(), '\n'));  // at most one per entry
  while (!rest.empty()) {
    std::uint32_t size = 0;
    if (rest.size() < sizeof size) {
      return std::nullopt;
    }
    std::memcpy(&size, rest.data(), sizeof size);
    rest.remove_prefix(sizeof size);
    if (size > rest.size()) {
      return std::nullopt;
    }
    std::optional<ParsedFile> parsed = ParseCache::decode(rest.substr(0, size));
    if (!parsed) {
      return std::nullopt;
    }
    migrations.push_back(std::move(parsed->migration));
    rest.remove_prefix(size);
  }
  return migrations;
}

void save_folder_snapshot(const std::filesystem::path& file, std::string_view state,
                          std::string_view settings,
                          const std::vector<Migration>& migrations) noexcept {
  try {
    std::string content = header(settings, state);
    for (const Migration& migration : migrations) {
      std::string bytes = ParseCache::encode({migration, {}});
      append_number(content, static_cast<std::uint32_t>(bytes.size()));
      content += bytes;
    }
    content += sha256_hex(content);
    std::filesystem::create_directories(file.parent_path());
    write_file_atomically(file, content);
  } catch (const Error&) {
  } catch (const std::filesystem::filesystem_error&) {
  } catch (const std::bad_alloc&) {
  }
}

}  // namespace migrate
