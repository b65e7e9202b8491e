#include "config/config_cache.hpp"

#include <fmt/format.h>

#include "git/git_dir.hpp"
#include "util/error.hpp"
#include "util/file.hpp"
#include "util/file_stamp.hpp"
#include "util/module.hpp"
#include "util/sha256.hpp"

namespace migrate {

namespace {

/// The file is "<key>\n", then each entry as "<name>\0<value>\0" (git-config has no NUL in
/// either), then the SHA-256 of everything before it.
constexpr std::size_t kChecksumSize = 64;  // hex

}  // namespace

ConfigCache::ConfigCache(const std::filesystem::path& path) {
  std::error_code error;
  std::filesystem::path absolute = std::filesystem::absolute(path, error);
  std::optional<FileStamp> stamp = stamp_of(absolute);
  if (error || !stamp || ReadStart().racy(*stamp)) {
    return;  // changed a moment ago: parsed until a later run remembers it
  }
  std::optional<std::filesystem::path> git_dir = find_git_dir(absolute.parent_path());
  if (!git_dir) {
    return;
  }
  m_file = *git_dir / "migrate" / "config" / sha256_hex(absolute.native()).substr(0, 16);
  m_key = fmt::format("migrate config cache 1 {} {} {}", sha256_hex(build_identity()),
                      stamp->text(), sha256_hex(absolute.native()));
}

std::optional<std::vector<GitConfigEntry>> ConfigCache::find() const {
  if (!m_file) {
    return std::nullopt;
  }
  std::string content;
  try {
    content = read_file(*m_file);
  } catch (const Error&) {
    return std::nullopt;  // none yet, or unreadable
  }
  std::string header = m_key + "\n";
  if (content.size() < header.size() + kChecksumSize || !content.starts_with(header)) {
    return std::nullopt;  // another file's stamp, another build, or damaged
  }
  std::string_view body = std::string_view(content).substr(0, content.size() - kChecksumSize);
  if (sha256_hex(body) != std::string_view(content).substr(body.size())) {
    return std::nullopt;
  }
  std::vector<GitConfigEntry> entries;
  std::string_view rest = body.substr(header.size());
  while (!rest.empty()) {
    std::size_t name_end = rest.find('\0');
    std::size_t value_end =
        name_end == std::string_view::npos ? name_end : rest.find('\0', name_end + 1);
    if (value_end == std::string_view::npos) {
      return std::nullopt;
    }
    entries.push_back({std::string(rest.substr(0, name_end)),
                       std::string(rest.substr(name_end + 1, value_end - name_end - 1))});
    rest.remove_prefix(value_end + 1);
  }
  return entries;
}

void ConfigCache::store(const std::vector<GitConfigEntry>& entries) const noexcept {
  if (!m_file) {
    return;
  }
  try {
    std::string content = m_key + "\n";
    for (const GitConfigEntry& entry : entries) {
      content += entry.name;
      content.push_back('\0');
      content += entry.value;
      content.push_back('\0');
    }
    content += sha256_hex(content);
    std::filesystem::create_directories(m_file->parent_path());
    write_file_atomically(*m_file, content);
  } catch (const Error&) {
  } catch (const std::filesystem::filesystem_error&) {
  } catch (const std::bad_alloc&) {
  }
}

}  // namespace migrate
