#include "git/git_migrations.hpp"

#include <algorithm>
#include <memory>
#include <mutex>

#include "migration/goose_parser.hpp"
#include "migration/migration_dir.hpp"
#include "migration/migration_parser.hpp"
#include "migration/parse_cache.hpp"
#include "util/error.hpp"
#include "util/parallel.hpp"
#include "util/text.hpp"

namespace migrate {

namespace {

constexpr std::string_view kHeadFile = "HEAD";

GitMigrationFolder make_folder(const GitRepo& repo, std::string_view folder,
                               std::vector<GitFolderEntry> entries) {
  GitMigrationFolder result{std::string(folder), std::move(entries), std::nullopt};
  if (const GitFolderEntry* head = result.find(kHeadFile)) {
    result.head_file = std::string(trim(repo.read_blob(head->id)));
  }
  return result;
}

/// Repository handles for reading blobs from several threads: libgit2 objects are used from
/// one thread at a time, so each read takes a handle nobody else holds. One per thread that
/// parallel_for will use for `files` reads; a single thread reads through `repo` itself.
class BlobReaders {
 public:
  BlobReaders(const GitRepo& repo, std::size_t files) : m_repo(repo) {
    unsigned threads = parallel_threads(files);
    for (unsigned i = 0; threads > 1 && i < threads; ++i) {
      m_handles.push_back(std::make_unique<Handle>(repo.reopen()));
    }
  }

  std::string read(const GitObjectId& id) {
    if (m_handles.empty()) {
      return m_repo.read_blob(id);
    }
    for (std::size_t i = 0;; i = (i + 1) % m_handles.size()) {
      Handle& handle = *m_handles[i];
      std::unique_lock<std::mutex> lock(handle.mutex, std::try_to_lock);
      if (lock.owns_lock()) {
        return handle.repo->read_blob(id);
      }
    }
  }

 private:
  struct Handle {
    explicit Handle(std::unique_ptr<GitRepo> opened) : repo(std::move(opened)) {}
    std::unique_ptr<GitRepo> repo;
    std::mutex mutex;
  };
  const GitRepo& m_repo;
  std::vector<std::unique_ptr<Handle>> m_handles;
};

}  // namespace

std::filesystem::path parse_cache_file(const GitRepo& repo) {
  return repo.common_dir() / "migrate" / "parse-cache";
}

const GitFolderEntry* GitMigrationFolder::find(std::string_view name) const {
  auto it = std::lower_bound(
      entries.begin(), entries.end(), name,
      [](const GitFolderEntry& entry, std::string_view wanted) { return entry.name < wanted; });
  return it != entries.end() && it->name == name ? &*it : nullptr;
}

std::vector<Migration> GitMigrationFolder::parse(const GitRepo& repo,
                                                 const std::optional<FormatChoice>& choice,
                                                 bool skip_go) const {
  // Inflating thousands of blobs is most of the work, so a blob parsed by an earlier run is
  // not read again (ParseCache, keyed by blob id), and the others are read in parallel, each
  // thread through a handle of its own (BlobReaders).
  std::size_t sql_files = std::count_if(entries.begin(), entries.end(), [](const auto& entry) {
    return named_like_migration(entry.name);
  });
  BlobReaders readers(repo, sql_files);
  std::vector<FolderFile> files;
  files.reserve(entries.size());
  std::filesystem::path base(folder);
  for (const GitFolderEntry& entry : entries) {
    if (in_data_tests_folder(entry.name)) {
      continue;  // migrate-verify's data tests, never migrations
    }
    if (!entry.nested() && goose_go_migration(entry.name)) {
      files.push_back({base / entry.name, {}});  // never read: named in a goose folder's problems
    } else if (named_like_migration(entry.name)) {
      files.push_back({base / entry.name,
                       [&readers, &entry] { return readers.read(entry.id); },
                       entry.id.hex(),
                       {},
                       entry.nested()});
    }
  }
  ParseCache cache = ParseCache::load(parse_cache_file(repo));
  std::vector<Migration> migrations = read_migration_files(
      files, {find(kHeadFile) != nullptr, choice}, &cache, GooseSettings{{}, skip_go, nullptr});
  cache.save_if_worth(parse_cache_file(repo));
  return migrations;
}

GitMigrationFolder migration_folder_in_tree(const GitRepo& repo, const GitTree& tree,
                                            std::string_view folder) {
  return make_folder(repo, folder, repo.folder_in_tree(tree, folder));
}

GitMigrationFolder migration_folder_in_index(const GitRepo& repo, const GitIndex& index,
                                             std::string_view folder) {
  return make_folder(repo, folder, index.folder(folder));
}

}  // namespace migrate
