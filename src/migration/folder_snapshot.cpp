#include "migration/folder_snapshot.hpp"

#include <dirent.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "migration/goose_parser.hpp"
#include "migration/migration_dir.hpp"
#include "migration/parse_cache.hpp"
#include "migration/parser_fingerprint.hpp"
#include "util/file_stamp.hpp"
#include "util/parallel.hpp"
#include "util/sealed_file.hpp"

namespace migrate {

namespace {

/// The file: "<magic> <fingerprint>\n<settings>\n<state length>\n<state>", then each
/// migration as a length and ParseCache's encoding, sealed (util/sealed_file).
constexpr std::string_view kMagic = "migrate folder snapshot 1";

/// The header up to the state, which follows it.
std::string header_before_state(std::string_view settings, std::string_view state) {
  return fmt::format("{} {}\n{}\n{}\n", kMagic, parser_fingerprint(), settings, state.size());
}

void append_number(std::string& out, std::uint32_t value) {
  char bytes[sizeof value];
  std::memcpy(bytes, &value, sizeof value);
  out.append(bytes, sizeof value);
}

}  // namespace

std::optional<std::string> folder_state(const std::filesystem::path& dir, const ReadStart& start) {
  std::unique_ptr<DIR, int (*)(DIR*)> listing(::opendir(dir.c_str()), ::closedir);
  if (!listing) {
    return std::nullopt;
  }
  const int folder = ::dirfd(listing.get());
  // The names one after another, each ended by '\0' (what fstatat takes), in one buffer: a
  // string each was a heap block each, and sorting moved them.
  std::string listed;
  std::vector<std::pair<std::size_t, std::size_t>> spans;  // offset and size in `listed`
  for (;;) {
    errno = 0;
    dirent* entry = ::readdir(listing.get());
    if (entry == nullptr) {
      if (errno != 0) {
        return std::nullopt;  // the listing broke off: no state for half a folder
      }
      break;
    }
    std::string_view name = entry->d_name;
    if (name.starts_with(".")) {
      continue;  // never read: `.`, `..`, hidden files and folders
    }
    if (goose_go_migration(name)) {
      return std::nullopt;
    }
    spans.emplace_back(listed.size(), name.size());
    listed.append(name.data(), name.size() + 1);  // with its '\0'
  }
  std::vector<std::string_view> names;
  names.reserve(spans.size());
  for (auto [offset, size] : spans) {
    names.emplace_back(listed.data() + offset, size);
  }
  std::sort(names.begin(), names.end());
  // Each entry stat'ed in parallel (nothing allocated there), then its line written,
  // "<name>\0<stamp>\n"; no state when one refuses.
  std::vector<std::optional<FileStamp>> stamps(names.size());
  std::vector<char> folders(names.size(), 0);  // not vector<bool>: written from threads
  parallel_for(names.size(), [&](std::size_t i) {
    bool folder_entry = false;
    stamps[i] = stamp_at(folder, names[i].data(), &folder_entry);  // ended by its '\0'
    folders[i] = folder_entry ? 1 : 0;
  });
  // At most: a name, '\0', "stat:" and five 20-digit numbers with their ':'s, '\n'.
  std::size_t most = 0;
  for (std::string_view name : names) {
    most += name.size() + 111;
  }
  std::string state;
  state.reserve(most);
  for (std::size_t i = 0; i < names.size(); ++i) {
    // A subfolder's files are clues, or Flyway's migrations.
    if (!stamps[i] || start.racy(*stamps[i]) || (folders[i] != 0 && names[i] != kDataTestsFolder)) {
      return std::nullopt;
    }
    state += names[i];
    state += '\0';
    stamps[i]->append_text(state);
    state += '\n';
  }
  return state;
}

std::optional<std::vector<Migration>> load_folder_snapshot(const std::filesystem::path& file,
                                                           std::string_view state,
                                                           std::string_view settings) {
  std::optional<SealedContent> content = read_sealed_file(file);
  std::string before = header_before_state(settings, state);
  if (!content || !content->text().starts_with(before) ||
      content->text().substr(before.size(), state.size()) != state) {
    return std::nullopt;  // none, another state, other settings, another parser, or damaged
  }
  const std::size_t header_size = before.size() + state.size();
  // Each migration's bytes first (a length each), then all of them decoded in parallel.
  std::vector<std::string_view> records;
  std::string_view rest = content->text().substr(header_size);
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
    records.push_back(rest.substr(0, size));
    rest.remove_prefix(size);
  }
  std::vector<Migration> migrations(records.size());
  std::atomic<bool> damaged{false};
  parallel_for(records.size(), [&](std::size_t i) {
    TextClues clues;  // of no use here: the snapshot is of a folder whose format is known
    if (!ParseCache::decode_into(records[i], migrations[i], clues)) {
      damaged = true;
    }
  });
  if (damaged) {
    return std::nullopt;
  }
  return migrations;
}

void save_folder_snapshot(const std::filesystem::path& file, std::string_view state,
                          std::string_view settings,
                          const std::vector<Migration>& migrations) noexcept {
  try {
    std::string content = header_before_state(settings, state);
    content += state;
    for (const Migration& migration : migrations) {
      std::string bytes = ParseCache::encode({migration, {}});
      append_number(content, static_cast<std::uint32_t>(bytes.size()));
      content += bytes;
    }
    write_sealed_file_quietly(file, std::move(content));
  } catch (const std::bad_alloc&) {
  }
}

}  // namespace migrate
