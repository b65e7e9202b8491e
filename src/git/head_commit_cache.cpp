#include "git/head_commit_cache.hpp"

#include <vector>

#include "git/git_dir.hpp"
#include "git/git_object_id.hpp"
#include "git/git_repo.hpp"
#include "util/sealed_file.hpp"

namespace migrate {

namespace {

// The file: the header, the commit id (empty before the first commit), then a line per file:
// its stamp ("-" where there is none), a tab, its path. Sealed (util/sealed_file).
constexpr std::string_view kHeader = "migrate head cache 1\n";

/// The stamp of `file` as the cache writes it.
std::string stamp_text(const std::filesystem::path& file) {
  std::optional<FileStamp> stamp = stamp_of(file);
  return stamp ? stamp->text() : "-";
}

/// The next line of `text` (without its newline), taken off it; nullopt at the end.
std::optional<std::string_view> take_line(std::string_view& text) {
  std::size_t end = text.find('\n');
  if (end == std::string_view::npos) {
    return std::nullopt;
  }
  std::string_view line = text.substr(0, end);
  text.remove_prefix(end + 1);
  return line;
}

}  // namespace

HeadCommitCache::HeadCommitCache(const std::filesystem::path& folder, const ReadStart& start)
    : m_file(repository_cache_file(folder, "head")), m_start(start) {}

std::optional<std::string> HeadCommitCache::find() const {
  std::optional<SealedContent> content = m_file ? read_sealed_file(*m_file) : std::nullopt;
  if (!content || !content->text().starts_with(kHeader)) {
    return std::nullopt;
  }
  std::string_view rest = content->text().substr(kHeader.size());
  std::optional<std::string_view> id = take_line(rest);
  if (!id || rest.empty()) {
    return std::nullopt;  // damaged: a cache with no file to check is never one store() wrote
  }
  while (std::optional<std::string_view> line = take_line(rest)) {
    std::size_t tab = line->find('\t');
    if (tab == std::string_view::npos ||
        stamp_text(std::filesystem::path(line->substr(tab + 1))) != line->substr(0, tab)) {
      return std::nullopt;
    }
  }
  if (!rest.empty()) {
    return std::nullopt;  // a last line without its newline: not what store() wrote
  }
  return std::string(*id);
}

void HeadCommitCache::store(const GitRepo& repo, const std::string& id) const noexcept {
  if (!m_file) {
    return;
  }
  try {
    std::string content(kHeader);
    content += id + "\n";
    for (const std::filesystem::path& file : repo.head_files()) {
      std::optional<FileStamp> stamp = stamp_of(file);
      if (stamp && m_start.racy(*stamp)) {
        return;  // changed a moment ago: resolved again until a later run remembers it
      }
      if (file.native().find('\n') != std::string::npos) {
        return;  // a line each: a repository under a folder named with a line end goes without
      }
      content += (stamp ? stamp->text() : "-") + "\t" + file.string() + "\n";
    }
    // The stamps are taken after `id` was read: a commit in between would pair them with the
    // id before it. Resolved again, HEAD gives the id the stamps belong to, or another.
    std::optional<GitObjectId> again = repo.commit_of("HEAD");
    if ((again ? again->hex() : std::string()) != id) {
      return;
    }
    write_sealed_file_quietly(*m_file, std::move(content));
  } catch (const std::exception&) {  // GitError, a full disk, bad_alloc: nothing remembered
  }
}

}  // namespace migrate
