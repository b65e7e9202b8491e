#include "git/libgit2/libgit2_config.hpp"

#include "git/libgit2/git_handle.hpp"
#include "git/libgit2/libgit2_error.hpp"

namespace migrate {

std::vector<GitConfigEntry> read_config_file(const std::filesystem::path& path) {
  git_config* raw = nullptr;
  if (git_config_open_ondisk(&raw, path.c_str()) != 0) {
    throw GitConfigError(/*syntax=*/true, std::string(last_git_error()));
  }
  GitConfig config(raw);
  git_config_iterator* raw_iterator = nullptr;
  if (git_config_iterator_new(&raw_iterator, config.get()) != 0) {
    throw GitConfigError(/*syntax=*/false, std::string(last_git_error()));
  }
  GitConfigIterator iterator(raw_iterator);
  std::vector<GitConfigEntry> entries;
  git_config_entry* entry = nullptr;
  int rc;
  while ((rc = git_config_next(&entry, iterator.get())) == 0) {
    entries.push_back({entry->name, entry->value != nullptr ? entry->value : ""});
  }
  if (rc != GIT_ITEROVER) {
    throw GitConfigError(/*syntax=*/false, std::string(last_git_error()));
  }
  return entries;
}

}  // namespace migrate
