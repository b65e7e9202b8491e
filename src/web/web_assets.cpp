#include "web/web_assets.hpp"

#include <array>
#include <utility>

namespace migrate {

namespace {

/// The content type of a file of web/, from its extension; unknown kinds are served as bytes
/// (and with nosniff, never run as script or style).
std::string_view content_type_of(std::string_view name) {
  constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kTypes = {{
      {".html", "text/html; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
  }};
  for (const auto& [extension, type] : kTypes) {
    if (name.ends_with(extension)) {
      return type;
    }
  }
  return "application/octet-stream";
}

}  // namespace

std::optional<WebAsset> find_web_asset(std::string_view name) {
  for (const EmbeddedFile& file : embedded_web_files()) {
    if (file.name == name) {
      return WebAsset{file.bytes, content_type_of(name)};
    }
  }
  return std::nullopt;
}

}  // namespace migrate
