#include "hooks/hook_script.hpp"

#include <fmt/format.h>

#include "util/error.hpp"

namespace migrate {

namespace {

/// The line of the scripts in hooks/ that install fills in.
constexpr std::string_view kBinLine = "MIGRATE_HOOKS_BIN=${MIGRATE_HOOKS_BIN:-}";
constexpr std::string_view kBinLineStart = "MIGRATE_HOOKS_BIN=${MIGRATE_HOOKS_BIN:-";

/// `text` in single quotes for sh: nothing inside is special, and a quote is written '\''.
std::string shell_quote(std::string_view text) {
  std::string quoted = "'";
  for (char c : text) {
    quoted += c == '\'' ? std::string_view("'\\''") : std::string_view(&c, 1);
  }
  return quoted + "'";
}

/// The start and length of the MIGRATE_HOOKS_BIN line (without its '\n'); npos when absent.
std::pair<std::size_t, std::size_t> find_bin_line(std::string_view text) {
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    std::string_view line = text.substr(start, end == std::string_view::npos ? end : end - start);
    if (line.starts_with(kBinLineStart)) {
      return {start, line.size()};
    }
    if (end == std::string_view::npos) {
      break;
    }
    start = end + 1;
  }
  return {std::string_view::npos, 0};
}

/// The text without its MIGRATE_HOOKS_BIN line.
std::string without_bin_line(std::string_view text) {
  auto [start, length] = find_bin_line(text);
  if (start == std::string_view::npos) {
    return std::string(text);
  }
  return std::string(text.substr(0, start)) + std::string(text.substr(start + length));
}

}  // namespace

bool is_migrate_hook(std::string_view text) {
  return text.find(kHookMarker) != std::string_view::npos;
}

std::string render_hook(const HookScript& script, const std::filesystem::path& bin_dir) {
  std::string text(script.text);
  std::size_t at = text.find(kBinLine);
  if (at == std::string::npos) {
    // hooks/<name> lost the line: a build of migrate that no test ran.
    throw InternalError(
        fmt::format("the embedded {} hook has no '{}' line; hooks/{} in migrate's "
                    "sources must keep it",
                    script.name, kBinLine, script.name));
  }
  std::string line = fmt::format("{}{}}}", kBinLineStart, shell_quote(bin_dir.string()));
  return text.replace(at, kBinLine.size(), line);
}

std::optional<std::filesystem::path> hook_bin_dir(std::string_view text) {
  auto [start, length] = find_bin_line(text);
  if (start == std::string_view::npos) {
    return std::nullopt;
  }
  std::string_view value = text.substr(start + kBinLineStart.size(), length - kBinLineStart.size());
  if (!value.starts_with('\'') || !value.ends_with("'}")) {
    return std::nullopt;  // the template's empty default, or edited by hand
  }
  value = value.substr(1, value.size() - 3);
  std::string folder;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value.substr(i).starts_with("'\\''")) {
      folder += '\'';
      i += 3;
    } else {
      folder += value[i];
    }
  }
  return std::filesystem::path(folder);
}

bool is_current_hook(std::string_view text, const HookScript& script) {
  return without_bin_line(text) == without_bin_line(script.text);
}

}  // namespace migrate
