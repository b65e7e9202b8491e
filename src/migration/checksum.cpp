#include "migration/checksum.hpp"

#include "util/sha256.hpp"
#include "util/text.hpp"

namespace migrate {

std::string normalize_for_checksum(std::string_view sql) {
  std::string normalized;
  normalized.reserve(sql.size());
  std::size_t pending_newlines = 0;  // blank lines are only kept between non-blank ones
  for (const Line& line : split_lines(sql)) {
    std::string_view text = trim_right(line.text);
    if (text.empty()) {
      ++pending_newlines;
      continue;
    }
    if (!normalized.empty()) {
      normalized.append(pending_newlines + 1, '\n');
    }
    pending_newlines = 0;
    normalized += text;
  }
  return normalized;
}

std::string section_checksum(std::string_view sql) {
  return "sha256:" + sha256_hex(normalize_for_checksum(sql));
}

}  // namespace migrate
