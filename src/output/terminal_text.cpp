#include "output/terminal_text.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

namespace migrate {

namespace {

/// The colour sequences Console's paint() writes, through fmt's text styles.
constexpr std::array<std::string_view, 6> kStyles = {"\x1b[0m",  "\x1b[1m",  "\x1b[2m",
                                                     "\x1b[31m", "\x1b[32m", "\x1b[33m"};

bool is_control(unsigned char c) {
  return (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f;
}

/// The length of the well-formed UTF-8 sequence at `i`, 0 when the bytes there are not one
/// (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF), so a terminal that
/// decodes loosely is never handed a disguised control.
std::size_t utf8_length(std::string_view text, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(i);
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xbf;  // the range of the second byte
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    low = lead == 0xe0 ? 0xa0 : 0x80;
    high = lead == 0xed ? 0x9f : 0xbf;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    low = lead == 0xf0 ? 0x90 : 0x80;
    high = lead == 0xf4 ? 0x8f : 0xbf;
  }
  if (length == 0 || i + length > text.size() || byte(i + 1) < low || byte(i + 1) > high) {
    return 0;
  }
  for (std::size_t k = 2; k < length; ++k) {
    if ((byte(i + k) & 0xc0) != 0x80) {
      return 0;
    }
  }
  return length;
}

}  // namespace

std::string terminal_text(std::string_view text, bool keep_styles) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (c == 0x1b && keep_styles) {
        std::string_view rest = text.substr(i);
        auto style = std::find_if(kStyles.begin(), kStyles.end(),
                                  [&](std::string_view s) { return rest.starts_with(s); });
        if (style != kStyles.end()) {
          out += *style;
          i += style->size();
          continue;
        }
      }
      bool line_end = c == '\r' && i + 1 < text.size() && text[i + 1] == '\n';
      if (!is_control(c) || line_end) {  // CRLF only ends a line: a file's endings stay
        out += static_cast<char>(c);
      } else if (c == '\r') {
        out += "\\r";
      } else {
        out += fmt::format("\\x{:02x}", c);
      }
      ++i;
      continue;
    }
    std::size_t length = utf8_length(text, i);
    if (length == 0) {  // a stray byte; 0x9b alone is CSI to some terminals
      out += fmt::format("\\x{:02x}", c);
      ++i;
    } else if (length == 2 && c == 0xc2 && static_cast<unsigned char>(text[i + 1]) < 0xa0) {
      out += fmt::format("\\u{:04x}", static_cast<unsigned char>(text[i + 1]));  // C1 control
      i += 2;
    } else {
      out += text.substr(i, length);
      i += length;
    }
  }
  return out;
}

}  // namespace migrate
