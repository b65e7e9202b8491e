#include "util/text.hpp"

#include <cctype>
#include <cstring>

#include <algorithm>

#include <fmt/format.h>

namespace migrate {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

}  // namespace

std::size_t find_line_end(std::string_view text, std::size_t from) {
  for (std::size_t i = from; i < text.size(); ++i) {
    if (text[i] == '\n' || text[i] == '\r') {
      return i;
    }
  }
  return std::string_view::npos;
}

bool LineCursor::next(Line& line) {
  if (m_position >= m_text.size()) {
    return false;
  }
  std::size_t start = m_position;
  std::size_t end = find_line_end(m_text, start);
  if (end == std::string_view::npos) {
    end = m_text.size();
    m_position = end;
  } else {
    bool crlf = m_text[end] == '\r' && end + 1 < m_text.size() && m_text[end + 1] == '\n';
    m_position = end + (crlf ? 2 : 1);
  }
  line = {m_text.substr(start, end - start), start, ++m_number};
  return true;
}

std::optional<std::string_view> next_ended_line(std::string_view text, std::size_t& at) {
  std::size_t end = text.find('\n', at);
  if (end == std::string_view::npos) {
    return std::nullopt;
  }
  std::string_view line = text.substr(at, end - at);
  at = end + 1;
  return line;
}

std::vector<Line> split_lines(std::string_view text) {
  std::vector<Line> lines;
  LineCursor cursor(text);
  Line line;
  while (cursor.next(line)) {
    lines.push_back(line);
  }
  return lines;
}

int line_at(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  int line = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))) {
      ++line;
    }
  }
  return line;
}

std::string_view trim_right(std::string_view text) {
  while (!text.empty() && is_space(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) {
    text.remove_prefix(1);
  }
  return trim_right(text);
}

std::vector<std::string_view> split_words(std::string_view text, bool commas) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  auto separator = [&](char c) { return is_space(c) || (commas && c == ','); };
  while (i < text.size()) {
    while (i < text.size() && separator(text[i])) {
      ++i;
    }
    std::size_t start = i;
    while (i < text.size() && !separator(text[i])) {
      ++i;
    }
    if (i > start) {
      words.push_back(text.substr(start, i - start));
    }
  }
  return words;
}

bool is_plain_table_name(std::string_view text) {
  auto plain = [](std::string_view part) {
    return !part.empty() && !(part[0] >= '0' && part[0] <= '9') &&
           std::all_of(part.begin(), part.end(), [](char c) {
             return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_';
           });
  };
  std::size_t dot = text.find('.');
  return dot == std::string_view::npos ? plain(text)
                                       : plain(text.substr(0, dot)) && plain(text.substr(dot + 1));
}

bool is_digits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string first_line_shortened(std::string_view text, std::size_t width) {
  text = trim(text);
  std::string_view first = text.substr(0, text.find_first_of("\r\n"));
  bool cut = first.size() < text.size();
  std::size_t end = 0;  // after `width` characters: never cut a UTF-8 character in half
  for (std::size_t chars = 0; end < first.size() && chars < width; ++chars) {
    ++end;
    while (end < first.size() && (static_cast<unsigned char>(first[end]) & 0xC0) == 0x80) {
      ++end;
    }
  }
  if (end < first.size()) {
    first = first.substr(0, end);
    cut = true;
  }
  std::string result(first);
  if (cut) {
    result += "…";
  }
  return result;
}

std::string shortened_list(std::size_t count, std::size_t shown,
                           const std::function<std::string(std::size_t)>& item) {
  std::string list;
  for (std::size_t i = 0; i < count && i < shown; ++i) {
    list += i == 0 ? item(i) : ", " + item(i);
  }
  if (count > shown) {
    list += fmt::format(", … ({} in all)", count);
  }
  return list;
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string ascii_upper(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

namespace {

/// The next `c` in [from, end), or end.
const char* next_of(const char* from, const char* end, char c) {
  const void* at = std::memchr(from, c, static_cast<std::size_t>(end - from));
  return at != nullptr ? static_cast<const char*>(at) : end;
}

}  // namespace

bool contains_ignoring_case(std::string_view text, std::string_view lower) {
  if (lower.empty()) {
    return true;
  }
  if (text.size() < lower.size()) {
    return false;
  }
  // Letters compared as ascii_lower and ascii_upper do.
  const char upper = static_cast<char>(std::toupper(static_cast<unsigned char>(lower[0])));
  const char* end = text.data() + (text.size() - lower.size() + 1);  // past the last start
  // Each case of the first letter is found by memchr, and searched for again only once it is
  // passed: linear in the text however the cases mix.
  const char* next_lower = next_of(text.data(), end, lower[0]);
  const char* next_upper = upper == lower[0] ? end : next_of(text.data(), end, upper);
  while (next_lower != end || next_upper != end) {
    const char* at = std::min(next_lower, next_upper);
    std::size_t k = 1;
    while (k < lower.size() && std::tolower(static_cast<unsigned char>(at[k])) ==
                                   static_cast<unsigned char>(lower[k])) {
      ++k;
    }
    if (k == lower.size()) {
      return true;
    }
    if (at == next_lower) {
      next_lower = next_of(at + 1, end, lower[0]);
    } else {
      next_upper = next_of(at + 1, end, upper);
    }
  }
  return false;
}

std::size_t invalid_utf8_at(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    auto byte = static_cast<unsigned char>(text[i]);
    std::size_t length = byte < 0x80                    ? 1
                         : byte >= 0xC2 && byte <= 0xDF ? 2
                         : byte >= 0xE0 && byte <= 0xEF ? 3
                         : byte >= 0xF0 && byte <= 0xF4 ? 4
                                                        : 0;
    if (length == 0 || i + length > text.size()) {
      return i;
    }
    for (std::size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) {
        return i;
      }
    }
    auto second = static_cast<unsigned char>(length > 1 ? text[i + 1] : 0);
    if ((byte == 0xE0 && second < 0xA0) ||
        (byte == 0xED && second > 0x9F) ||  // overlong, surrogate
        (byte == 0xF0 && second < 0x90) ||
        (byte == 0xF4 && second > 0x8F)) {  // overlong, > U+10FFFF
      return i;
    }
    i += length;
  }
  return std::string_view::npos;
}

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

}  // namespace

std::string percent_decoded(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
        hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string with_full_stop(std::string_view text) {
  return std::string(text) + (text.ends_with('.') ? "" : ".");
}

}  // namespace migrate
