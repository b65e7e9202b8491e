#include "config/config_cache.hpp"

#include <fmt/format.h>

#include "git/git_dir.hpp"
#include "util/file_stamp.hpp"
#include "util/module.hpp"
#include "util/sealed_file.hpp"
#include "util/sha256.hpp"

namespace migrate {

ConfigCache::ConfigCache(const std::filesystem::path& path, const ReadStart& start) {
  std::optional<FileStamp> stamp = stamp_of(path);
  std::string build = build_identity();
  if (!stamp || start.racy(*stamp) || build.empty()) {
    return;  // changed a moment ago (parsed until a later run remembers it), or no build known
  }
  m_file = cache_file(path, "config");
  // The file is "<key>\n", then each entry as "<name>\0<value>\0" (git-config has no NUL in
  // either), sealed.
  m_key = fmt::format("migrate config cache 1 {} {}\n", sha256_hex(build), stamp->text());
}

std::optional<std::vector<GitConfigEntry>> ConfigCache::find() const {
  std::optional<SealedContent> content = m_file ? read_sealed_file(*m_file) : std::nullopt;
  if (!content || !content->text().starts_with(m_key)) {
    return std::nullopt;  // none, another stamp, another build, or damaged
  }
  std::vector<GitConfigEntry> entries;
  std::string_view rest = content->text().substr(m_key.size());
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
    std::string content = m_key;
    for (const GitConfigEntry& entry : entries) {
      content += entry.name;
      content.push_back('\0');
      content += entry.value;
      content.push_back('\0');
    }
    // Its owner's alone: the values may hold a password that migrate.conf's own mode hides.
    write_sealed_file_quietly(*m_file, std::move(content), Readers::owner);
  } catch (const std::bad_alloc&) {
  }
}

}  // namespace migrate
