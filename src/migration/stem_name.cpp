#include "migration/stem_name.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

namespace migrate {

namespace {

/// maragudk/migrate's `\w` (ASCII, as Go's regexp has it) and `-`.
bool stem_character(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

struct Suffix {
  std::string_view text;
  bool up;
  StemSuffix style;
};

constexpr std::array kSuffixes{
    Suffix{".up.sql", true, StemSuffix::dotted},
    Suffix{".down.sql", false, StemSuffix::dotted},
    Suffix{"_up.sql", true, StemSuffix::underscore},
    Suffix{"_down.sql", false, StemSuffix::underscore},
};

}  // namespace

std::optional<StemName> parse_stem_name(std::string_view file_name) {
  for (const Suffix& suffix : kSuffixes) {
    if (!file_name.ends_with(suffix.text)) {
      continue;
    }
    std::string_view stem = file_name.substr(0, file_name.size() - suffix.text.size());
    if (stem.empty() || !std::all_of(stem.begin(), stem.end(), stem_character)) {
      return std::nullopt;
    }
    return StemName{std::string(stem), suffix.up, suffix.style};
  }
  return std::nullopt;
}

std::string stem_file_name(std::string_view stem, bool up, StemSuffix suffix) {
  return fmt::format("{}{}{}", stem, suffix == StemSuffix::dotted ? "." : "_",
                     up ? "up.sql" : "down.sql");
}

std::string_view stem_number(std::string_view stem) {
  std::size_t digits = 0;
  while (digits < stem.size() && stem[digits] >= '0' && stem[digits] <= '9') {
    ++digits;
  }
  return stem.substr(0, digits);
}

std::string stem_renumbered(std::string_view stem, std::string_view number) {
  std::size_t digits = stem_number(stem).size();
  return fmt::format("{}{}{}", number, digits == 0 ? "_" : "", stem.substr(digits));
}

std::string_view stem_words(std::string_view stem) {
  std::size_t digits = stem_number(stem).size();
  if (digits > 0 && digits < stem.size() && (stem[digits] == '_' || stem[digits] == '-')) {
    // A timestamp written in parts (20240101_120000_add_x) has more number before its words.
    std::string_view words = stem.substr(digits + 1);
    while (!words.empty() && words.front() >= '0' && words.front() <= '9') {
      std::size_t end = words.find_first_not_of("0123456789");
      if (end == std::string_view::npos) {
        return {};
      }
      if (words[end] != '_' && words[end] != '-') {
        break;  // "2fa": a word
      }
      words.remove_prefix(end + 1);
    }
    return words;
  }
  return digits == stem.size() ? std::string_view() : stem;
}

}  // namespace migrate
