#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migrate {

/// One line of a text, without its line ending, and where it starts.
struct Line {
  std::string_view text;
  std::size_t offset = 0;  ///< byte offset of the line's first character in the whole text
  int number = 0;          ///< 1-based
};

/// The position of the next "\n" or "\r" at or after `from`, or npos.
std::size_t find_line_end(std::string_view text, std::size_t from);

/// Walks a text line by line without building a vector (for the parser, which runs on every
/// migration file). Lines end at "\n", "\r\n" or "\r"; a final line ending does not start an
/// empty last line.
class LineCursor {
 public:
  explicit LineCursor(std::string_view text) : m_text(text) {}
  /// Moves to the next line; false at the end of the text.
  bool next(Line& line);
  /// Where the line after the one last returned starts.
  std::size_t position() const { return m_position; }

 private:
  std::string_view m_text;
  std::size_t m_position = 0;
  int m_number = 0;
};

/// The line of `text` that starts at `at`, without its "\n", moving `at` past it; nullopt when
/// no "\n" ends it (the end of the text, or a last line cut short): for migrate's own files,
/// whose every line its writer ends.
std::optional<std::string_view> next_ended_line(std::string_view text, std::size_t& at);

/// Splits on "\n", "\r\n" and "\r". A final line ending does not start an empty last line.
std::vector<Line> split_lines(std::string_view text);

/// The 1-based line number of a byte offset in a text.
int line_at(std::string_view text, std::size_t offset);

std::string_view trim(std::string_view text);
std::string_view trim_right(std::string_view text);

/// Splits on runs of white space (and commas, when `commas` is set); never returns empty words.
std::vector<std::string_view> split_words(std::string_view text, bool commas = false);

bool is_digits(std::string_view text);

/// The byte offset of the first byte of `text` that is not part of a well-formed UTF-8
/// character (a stray continuation byte, a cut or overlong sequence, a surrogate); npos when
/// it is all UTF-8.
std::size_t invalid_utf8_at(std::string_view text);

/// `name` or `schema.name`, each part letters, digits and '_', not starting with a digit: a
/// table name that needs no quoting anywhere.
bool is_plain_table_name(std::string_view text);

/// The text with its first line only, shortened to `width` characters with "…" when longer.
std::string first_line_shortened(std::string_view text, std::size_t width);

/// "a, b, c" for `count` items, or "a, b, c, d, e, … (8 in all)" when there are more than
/// `shown`: for messages that name a few of many. `item(i)` is only asked for those shown.
std::string shortened_list(std::size_t count, std::size_t shown,
                           const std::function<std::string(std::size_t)>& item);

/// `text` with ASCII letters in lower (upper) case: for names an engine compares without case.
std::string ascii_lower(std::string_view text);
std::string ascii_upper(std::string_view text);

/// Whether `text` holds `lower` (ASCII, in lower case) in any mix of cases. Fast enough to run
/// over every migration's SQL on each command: its first letter is found with memchr.
bool contains_ignoring_case(std::string_view text, std::string_view lower);

/// `text` with its %XX escapes decoded (a URL's); a '%' not followed by two hex digits stays.
std::string percent_decoded(std::string_view text);

/// `text` ended by one full stop: a message of another's, before a sentence of ours ("….
/// Fix it"), without the ".." of one that already ends with one.
std::string with_full_stop(std::string_view text);

}  // namespace migrate
