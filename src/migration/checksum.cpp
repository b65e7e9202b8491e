#include "migration/checksum.hpp"

#include "util/sha256.hpp"
#include "util/text.hpp"

namespace migrate {

std::string normalize_for_checksum(std::string_view sql) {
  // One pass, no line vector: this runs for every migration file on every command.
  std::string normalized;
  normalized.reserve(sql.size());
  std::size_t pending_newlines = 0;  // blank lines are only kept between non-blank ones
  std::size_t start = 0;
  while (start <= sql.size()) {
    std::size_t end = find_line_end(sql, start);
    if (end == std::string_view::npos) {
      end = sql.size();
    }
    std::string_view text = trim_right(sql.substr(start, end - start));
    if (text.empty()) {
      ++pending_newlines;
    } else {
      if (!normalized.empty()) {
        normalized.append(pending_newlines + 1, '\n');
      }
      pending_newlines = 0;
      normalized += text;
    }
    if (end == sql.size()) {
      break;
    }
    start = end + (sql[end] == '\r' && end + 1 < sql.size() && sql[end + 1] == '\n' ? 2 : 1);
  }
  return normalized;
}

std::string section_checksum(std::string_view sql) {
  return "sha256:" + sha256_hex(normalize_for_checksum(sql));
}

}  // namespace migrate
