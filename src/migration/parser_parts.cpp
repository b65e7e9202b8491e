#include "migration/parser_parts.hpp"

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/text.hpp"

namespace migrate {

/// Cuts blank lines off the start (moving first_line down) and white space off the end.
Section make_section(std::string_view body, int first_line, const SharedPath& file,
                     SectionOptions options) {
  for (;;) {
    std::size_t end = body.find('\n');
    if (end == std::string_view::npos || !trim(body.substr(0, end)).empty()) {
      break;
    }
    body.remove_prefix(end + 1);
    ++first_line;
  }
  Section section;
  section.sql = std::string(trim_right(body));
  section.options = options;
  section.file = file;
  section.first_line = first_line;
  return section;
}

/// Drops trailing empty documentation lines.
void trim_doc(std::vector<std::string>& doc) {
  while (!doc.empty() && doc.back().empty()) {
    doc.pop_back();
  }
}

/// The text of a `--` comment line without the dashes and the one space after them.
std::string comment_text(std::string_view comment) {
  comment.remove_prefix(2);
  if (!comment.empty() && comment.front() == ' ') {
    comment.remove_prefix(1);
  }
  return std::string(trim_right(comment));
}

/// The text without a UTF-8 byte order mark, which some editors put first: it is not SQL.
std::string_view without_bom(std::string_view text) {
  return text.starts_with("\xEF\xBB\xBF") ? text.substr(3) : text;
}

/// Refuses a NUL byte anywhere in a migration file. Databases read SQL as C strings, so
/// everything after one would be dropped without a word while the step still reports "ok".
void refuse_nul(const std::filesystem::path& file, std::string_view text) {
  std::size_t at = text.find('\0');
  if (at == std::string_view::npos) {
    return;
  }
  std::size_t line_start = text.rfind('\n', at);
  std::size_t column = at - (line_start == std::string_view::npos ? 0 : line_start + 1) + 1;
  throw ParseError(file, line_at(text, at),
                   fmt::format("a NUL byte (\\0) in column {}: a migration file must be text, "
                               "and the database would ignore every statement after it. Remove "
                               "it (a file full of them was saved as UTF-16: save it as UTF-8)",
                               column));
}

Migration named_migration(const MigrationFileName& name, const std::filesystem::path& file) {
  Migration migration;
  migration.id = name.id;
  migration.slug = name.slug;
  migration.file = file;
  return migration;
}

}  // namespace migrate
