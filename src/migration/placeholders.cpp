#include "migration/placeholders.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

#include <fmt/format.h>

#include "migration/migration.hpp"
#include "util/error.hpp"

namespace migrate {

namespace {

constexpr std::string_view kOpen = "${";
constexpr std::string_view kBuiltIn = "flyway:";

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

/// What to say about `${name}` without a value.
std::string missing_value(std::string_view name, const PlaceholderValues& values) {
  if (lower(name).starts_with(kBuiltIn)) {
    std::vector<std::string> built_in;
    for (const auto& [key, value] : values) {
      if (key.starts_with(kBuiltIn)) {
        built_in.push_back("${" + key + "}");
      }
    }
    return fmt::format(
        "no value for the placeholder ${{{}}}: it is none of Flyway's built-ins migrate gives "
        "here ({}). Flyway refuses it too",
        name, fmt::join(built_in, ", "));
  }
  return fmt::format(
      "no value for the placeholder ${{{}}}, which Flyway refuses too: give it one in "
      "migrate.conf's [placeholders] section ({} = …)",
      name, lower(name));
}

}  // namespace

std::string replace_placeholders(std::string_view sql, const PlaceholderValues& values,
                                 const std::filesystem::path& file, int first_line) {
  std::string out;
  out.reserve(sql.size());
  std::size_t at = 0;
  for (;;) {
    std::size_t open = sql.find(kOpen, at);
    std::size_t close = open == std::string_view::npos ? open : sql.find('}', open + kOpen.size());
    if (close == std::string_view::npos) {
      out += sql.substr(at);
      return out;
    }
    std::string_view name = sql.substr(open + kOpen.size(), close - open - kOpen.size());
    auto value = values.find(lower(name));
    if (value == values.end()) {
      int line = first_line + static_cast<int>(std::count(sql.begin(), sql.begin() + open, '\n'));
      throw ParseError(file, line, missing_value(name, values));
    }
    out += sql.substr(at, open - at);
    out += value->second;
    at = close + 1;
  }
}

std::string replace_flyway_placeholders(const Section& section, PlaceholderValues values) {
  values["flyway:filename"] = section.file.filename().string();
  return replace_placeholders(section.sql, values, section.file, section.first_line);
}

}  // namespace migrate
