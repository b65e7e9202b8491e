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
/// one thread at a time, so each read takes a handle nobody else holds. A handle is opened on
/// first need (most runs find every blob in the parse cache and read none), and there are
/// never more than threads reading at once. A single thread reads through `repo` itself.
class BlobReaders {
 public:
  BlobReaders(const GitRepo& repo, std::size_t files)
      : m_repo(repo), m_parallel(parallel_threads(files) > 1) {}

  std::string read(const GitObjectId& id) {
    if (!m_parallel) {
      return m_repo.read_blob(id);
    }
    std::unique_ptr<GitRepo> handle = take();
    std::string blob = handle->read_blob(id);
    std::lock_guard<std::mutex> lock(m_mutex);
    m_idle.push_back(std::move(handle));
    return blob;
  }

 private:
  /// An idle handle, else a new one (opened outside the lock: it reads the repository's config).
  std::unique_ptr<GitRepo> take() {
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      if (!m_idle.empty()) {
        std::unique_ptr<GitRepo> handle = std::move(m_idle.back());
        m_idle.pop_back();
        return handle;
      }
    }
    return m_repo.reopen();
  }

  const GitRepo& m_repo;
  bool m_parallel;
  std::mutex m_mutex;
  std::vector<std::unique_ptr<GitRepo>> m_idle;  ///< opened, and no thread reading through it
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
