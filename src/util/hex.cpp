#include "util/hex.hpp"

#include <nettle/base16.h>

namespace migrate {

std::string lower_hex(std::span<const std::uint8_t> bytes) {
  std::string text(BASE16_ENCODE_LENGTH(bytes.size()), '\0');
  base16_encode_update(text.data(), bytes.size(), bytes.data());
  return text;
}

}  // namespace migrate
