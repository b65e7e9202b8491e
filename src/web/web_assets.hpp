#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace migrate {

/// One file of web/, embedded into the library at build time (src/CMakeLists.txt).
struct EmbeddedFile {
  std::string_view name;   ///< the file name in web/ ("app.js"); no folders
  std::string_view bytes;  ///< its content, exactly as in the source tree
};

/// Every embedded file of web/, in no particular order (generated: web_files.cpp).
std::span<const EmbeddedFile> embedded_web_files();

/// An embedded file as the server sends it.
struct WebAsset {
  std::string_view bytes;
  std::string_view content_type;  ///< with "; charset=utf-8" for text
};

/// The embedded file called exactly `name`, else nullopt. Only names in the table match, so
/// no request path ("../x", "a/b", encoded or not) can reach anything else.
std::optional<WebAsset> find_web_asset(std::string_view name);

}  // namespace migrate
