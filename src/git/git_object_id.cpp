#include "git/git_object_id.hpp"

#include <charconv>

#include "util/hex.hpp"

namespace migrate {

std::optional<GitObjectId> GitObjectId::from_hex(std::string_view hex) {
  if (hex.size() != 2 * kSize) {
    return std::nullopt;
  }
  Bytes bytes;
  for (std::size_t i = 0; i < kSize; ++i) {
    const char* pair = hex.data() + 2 * i;
    // Into an unsigned byte: from_chars then takes neither a sign nor a "0x".
    auto [end, error] = std::from_chars(pair, pair + 2, bytes[i], 16);
    if (error != std::errc() || end != pair + 2) {
      return std::nullopt;
    }
  }
  return GitObjectId(bytes);
}

std::string GitObjectId::hex() const {
  return lower_hex(m_bytes);
}

}  // namespace migrate
