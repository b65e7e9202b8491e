#include "migration/folder_snapshot.hpp"

#include <dirent.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
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
#include "util/text.hpp"

namespace migrate {

namespace {

/// The file: "<magic> <fingerprint>\n<settings>\n<folder's stamp>\n<entries' length>\n
/// <entries>", then each migration as a length and ParseCache's encoding, sealed
/// (util/sealed_file). Version 2 added the folder's stamp.
constexpr std::string_view kMagic = "migrate folder snapshot 2";

/// The header up to the folder's stamp, which follows it.
std::string header_before_folder(std::string_view settings) {
  return fmt::format("{} {}\n{}\n", kMagic, parser_fingerprint(), settings);
}

std::string header(std::string_view settings, const FolderState& state) {
  return fmt::format("{}{}\n{}\n", header_before_folder(settings), state.folder,
                     state.entries.size());
}

void append_number(std::string& out, std::uint32_t value) {
  char bytes[sizeof value];
  std::memcpy(bytes, &value, sizeof value);
  out.append(bytes, sizeof value);
}

/// The entries' length line of a snapshot: digits only.
std::optional<std::size_t> parse_size(std::string_view line) {
  std::size_t size = 0;
  auto [end, error] = std::from_chars(line.data(), line.data() + line.size(), size);
  if (error != std::errc() || end != line.data() + line.size()) {
    return std::nullopt;
  }
  return size;
}

/// The names of `entries` ("<name>\0<stamp>\n" each), each still followed by its '\0'.
std::optional<std::vector<std::string_view>> entry_names(std::string_view entries) {
  std::vector<std::string_view> names;
  while (!entries.empty()) {
    std::size_t end = entries.find('\0');
    std::size_t line_end = end == std::string_view::npos ? end : entries.find('\n', end);
    if (line_end == std::string_view::npos) {
      return std::nullopt;
    }
    names.push_back(entries.substr(0, end));
    entries.remove_prefix(line_end + 1);
  }
  return names;
}

/// The folder's names (open as `listing`), neither hidden nor dot, sorted, in `buffer` with a
/// '\0' after each; false when the listing broke off or holds a Go migration.
bool list_names(DIR* listing, std::string& buffer, std::vector<std::string_view>& names) {
  // The names one after another, each ended by '\0' (what fstatat takes), in one buffer: a
  // string each was a heap block each, and sorting moved them.
  std::vector<std::pair<std::size_t, std::size_t>> spans;  // offset and size in `buffer`
  for (;;) {
    errno = 0;
    dirent* entry = ::readdir(listing);
    if (entry == nullptr) {
      if (errno != 0) {
        return false;  // the listing broke off: no state for half a folder
      }
      break;
    }
    std::string_view name = entry->d_name;
    if (name.starts_with(".")) {
      continue;  // never read: `.`, `..`, hidden files and folders
    }
    if (goose_go_migration(name)) {
      return false;
    }
    spans.emplace_back(buffer.size(), name.size());
    buffer.append(name.data(), name.size() + 1);  // with its '\0'
  }
  names.reserve(spans.size());
  for (auto [offset, size] : spans) {
    names.emplace_back(buffer.data() + offset, size);
  }
  std::sort(names.begin(), names.end());
  return true;
}

}  // namespace

std::optional<FolderState> folder_state(const std::filesystem::path& dir, const ReadStart& start,
                                        const FolderListing* listed, HelperThreads* helpers) {
  std::unique_ptr<DIR, int (*)(DIR*)> listing(::opendir(dir.c_str()), ::closedir);
  if (!listing) {
    return std::nullopt;
  }
  const int folder = ::dirfd(listing.get());
  // The folder's stamp before its listing: a change made while it is listed moves the stamp
  // past the one kept, and the next run lists it again.
  std::optional<FileStamp> own = stamp_at(folder, ".");
  if (!own) {
    return std::nullopt;
  }
  FolderState state;
  if (!start.racy(*own) && folder_stamp_follows_entries(folder)) {
    state.folder = own->text();
  }
  std::string buffer;
  std::vector<std::string_view> names;
  state.listing_kept = listed != nullptr && !state.folder.empty() && listed->folder == state.folder;
  if (state.listing_kept) {
    names = listed->names;
  } else if (!list_names(listing.get(), buffer, names)) {
    return std::nullopt;
  }
  // Each entry stat'ed in parallel (nothing allocated there), then its line written,
  // "<name>\0<stamp>\n"; no state when one refuses.
  std::vector<std::optional<FileStamp>> stamps(names.size());
  std::vector<char> folders(names.size(), 0);  // not vector<bool>: written from threads
  parallel_for(
      names.size(),
      [&](std::size_t i) {
        bool folder_entry = false;
        stamps[i] = stamp_at(folder, names[i].data(), &folder_entry);  // ended by its '\0'
        folders[i] = folder_entry ? 1 : 0;
      },
      helpers);
  // At most: a name, '\0', "stat:" and five 20-digit numbers with their ':'s, '\n'.
  std::size_t most = 0;
  for (std::string_view name : names) {
    most += name.size() + 111;
  }
  state.entries.reserve(most);
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (!stamps[i] && state.listing_kept) {
      return folder_state(dir, start, nullptr, helpers);  // gone, though the stamp was kept
    }
    // A subfolder's files are clues, or Flyway's migrations.
    if (!stamps[i] || start.racy(*stamps[i]) || (folders[i] != 0 && names[i] != kDataTestsFolder)) {
      return std::nullopt;
    }
    state.entries += names[i];
    state.entries += '\0';
    stamps[i]->append_text(state.entries);
    state.entries += '\n';
  }
  return state;
}

FolderSnapshot::FolderSnapshot(const std::filesystem::path& file, std::string_view settings)
    : m_settings(settings), m_content(read_sealed_file(file)) {
  if (!m_content) {
    return;
  }
  std::string before = header_before_folder(settings);
  std::string_view text = m_content->text();
  if (!text.starts_with(before)) {
    m_content.reset();  // none, other settings, another parser
    return;
  }
  std::size_t at = before.size();
  std::optional<std::string_view> folder = next_ended_line(text, at);
  std::optional<std::string_view> size_line = next_ended_line(text, at);
  std::optional<std::size_t> size = size_line ? parse_size(*size_line) : std::nullopt;
  if (!folder || !size || *size > text.size() - at) {
    m_content.reset();  // damaged
    return;
  }
  m_folder = *folder;
  m_entries = text.substr(at, *size);
  m_records = text.substr(at + *size);
  if (!m_folder.empty()) {
    if (std::optional<std::vector<std::string_view>> names = entry_names(m_entries)) {
      m_listing = FolderListing{m_folder, std::move(*names)};
    }
  }
}

const FolderListing* FolderSnapshot::listing() const {
  return m_listing ? &*m_listing : nullptr;
}

std::optional<std::vector<Migration>> FolderSnapshot::migrations(const FolderState& state,
                                                                 HelperThreads* helpers) const {
  if (!m_content || state.entries != m_entries) {
    return std::nullopt;
  }
  // Each migration's bytes first (a length each), then all of them decoded in parallel.
  std::vector<std::string_view> records;
  std::string_view rest = m_records;
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
  parallel_for(
      records.size(),
      [&](std::size_t i) {
        TextClues clues;  // of no use here: the snapshot is of a folder whose format is known
        if (!ParseCache::decode_into(records[i], migrations[i], clues)) {
          damaged = true;
        }
      },
      helpers);
  if (damaged) {
    return std::nullopt;
  }
  return migrations;
}

bool FolderSnapshot::folder_moved(const FolderState& state) const {
  return m_content && !state.folder.empty() && state.folder != m_folder &&
         state.entries == m_entries;
}

void FolderSnapshot::refresh(const std::filesystem::path& file,
                             const FolderState& state) const noexcept {
  if (!m_content) {
    return;
  }
  try {
    std::string content = header(m_settings, state);
    content.reserve(content.size() + m_entries.size() + m_records.size());
    content += m_entries;
    content += m_records;
    write_sealed_file_quietly(file, std::move(content));
  } catch (const std::bad_alloc&) {
  }
}

void save_folder_snapshot(const std::filesystem::path& file, const FolderState& state,
                          std::string_view settings,
                          const std::vector<Migration>& migrations) noexcept {
  try {
    std::string content = header(settings, state);
    content += state.entries;
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
