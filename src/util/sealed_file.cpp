#include "util/sealed_file.hpp"

#include <unistd.h>

#include <new>

#include "util/error.hpp"
#include "util/fast_checksum.hpp"
#include "util/file.hpp"

namespace migrate {

namespace {

constexpr std::size_t kSealSize = 32;  // fast_checksum_hex: XXH3-128 in hex

}  // namespace

std::string_view SealedContent::text() const {
  return m_file.text().substr(0, m_file.size() - kSealSize);
}

std::optional<SealedContent> read_sealed_file(const std::filesystem::path& file) {
  std::optional<MappedFile> mapped;
  try {
    mapped.emplace(file, 0);
  } catch (const Error&) {
    return std::nullopt;  // none yet, or unreadable
  }
  // Only one's own: whoever else could write where it lies (a HOME kept by sudo, a folder
  // shared with another user) could otherwise plant what a command then trusts, down to the
  // schema-command that migrate.conf names. Another's is ignored, and replaced by one's own.
  if (mapped->owner() != ::geteuid()) {
    return std::nullopt;
  }
  std::string_view content = mapped->text();
  if (content.size() < kSealSize) {
    return std::nullopt;
  }
  std::string_view body = content.substr(0, content.size() - kSealSize);
  if (fast_checksum_hex(body) != content.substr(body.size())) {
    return std::nullopt;  // torn or damaged
  }
  return SealedContent(std::move(*mapped));
}

void write_sealed_file(const std::filesystem::path& file, std::string content, Readers readers) {
  content += fast_checksum_hex(content);
  std::error_code error;
  std::filesystem::create_directories(file.parent_path(), error);  // else the write says why
  remove_dead_temporaries(file);
  write_file_atomically(file, content, readers);
}

void write_sealed_file_quietly(const std::filesystem::path& file, std::string content,
                               Readers readers) noexcept {
  try {
    write_sealed_file(file, std::move(content), readers);
  } catch (const Error&) {
  } catch (const std::bad_alloc&) {
  }
}

}  // namespace migrate
