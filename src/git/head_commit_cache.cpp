#include "git/head_commit_cache.hpp"

#include <optional>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "git/git_dir.hpp"
#include "git/git_object_id.hpp"
#include "git/git_repo.hpp"
#include "util/module.hpp"
#include "util/sealed_file.hpp"
#include "util/sha256.hpp"
#include "util/text.hpp"

namespace migrate {

namespace {

// The file: the key (its version and migrate's build, so that a build which lists other files
// never trusts an older one's list), the commit id, then a line per file: its stamp ("-" where
// there is none), a tab, its canonical path; HEAD's first. Sealed (util/sealed_file).

/// A file's stamp as the cache writes it.
std::string stamp_text(const std::optional<FileStamp>& stamp) {
  return stamp ? stamp->text() : "-";
}

/// `path` with its links and dots resolved as far as it exists: one spelling per file.
std::string canonical_text(const std::filesystem::path& path) {
  std::error_code error;
  std::filesystem::path canonical = std::filesystem::weakly_canonical(path, error);
  return error ? std::string() : canonical.string();
}

}  // namespace

HeadCommitCache::HeadCommitCache(const std::filesystem::path& folder, const ReadStart& start)
    : m_start(start) {
  std::error_code error;
  std::filesystem::path canonical = std::filesystem::weakly_canonical(folder, error);
  std::optional<std::filesystem::path> git_dir =
      find_git_dir(error ? folder : canonical);  // one walk up, for both answers
  m_in_repository = git_dir.has_value();
  std::string build = build_identity();
  if (!git_dir || build.empty()) {
    return;
  }
  m_head = canonical_text(*git_dir / "HEAD");
  m_file = *git_dir / "migrate" / "head-commit";  // HEAD is the git folder's: one file for it
  m_key = fmt::format("migrate head cache 1 {}\n", sha256_hex(build));
}

std::optional<std::string> HeadCommitCache::find() const {
  std::optional<SealedContent> content = m_file ? read_sealed_file(*m_file) : std::nullopt;
  if (!content || !content->text().starts_with(m_key)) {
    return std::nullopt;  // none, another build's, or damaged
  }
  std::string_view text = content->text();
  std::size_t at = m_key.size();
  std::optional<std::string_view> id = next_ended_line(text, at);
  if (!id || id->empty()) {
    return std::nullopt;
  }
  bool first = true;
  while (std::optional<std::string_view> line = next_ended_line(text, at)) {
    std::size_t tab = line->find('\t');
    if (tab == std::string_view::npos) {
      return std::nullopt;
    }
    std::string_view path = line->substr(tab + 1);
    if ((first && path != m_head) ||
        stamp_text(stamp_of(std::filesystem::path(path))) != line->substr(0, tab)) {
      return std::nullopt;  // another repository's HEAD, or a file that changed
    }
    first = false;
  }
  if (first || at != text.size()) {
    return std::nullopt;  // no file to check, or a last line cut short: not what store() wrote
  }
  return std::string(*id);
}

void HeadCommitCache::store(const GitRepo& repo, const std::string& id) const noexcept {
  if (!m_file || id.empty()) {
    return;  // no commit: a lookup that failed, or a branch before its first, is read again
  }
  try {
    std::vector<std::filesystem::path> files = repo.head_files();
    if (files.empty() || canonical_text(files.front()) != m_head) {
      return;  // git opened another repository than the one this cache is in
    }
    std::string content = m_key + id + "\n";
    for (const std::filesystem::path& file : files) {
      std::optional<FileStamp> stamp = stamp_of(file);
      if (stamp && m_start.racy(*stamp)) {
        return;  // changed a moment ago: resolved again until a later run remembers it
      }
      std::string path = canonical_text(file);
      if (path.empty() || path.find('\n') != std::string::npos) {
        return;  // a line each: a repository under a folder named with a line end goes without
      }
      content += stamp_text(stamp) + "\t" + path + "\n";
    }
    // The stamps are taken after `id` was read: a commit in between would pair them with the
    // id before it. Resolved again, HEAD gives the id the stamps belong to, or another.
    std::optional<GitObjectId> again = repo.commit_of("HEAD");
    if (!again || again->hex() != id) {
      return;
    }
    write_sealed_file_quietly(*m_file, std::move(content));
  } catch (const std::exception&) {  // GitError, bad_alloc: nothing remembered
  }
}

}  // namespace migrate
