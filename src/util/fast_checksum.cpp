#include "util/fast_checksum.hpp"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <array>
#include <cstdint>

#include "util/hex.hpp"

namespace migrate {

std::string fast_checksum_hex(std::string_view bytes) {
  XXH128_canonical_t canonical;  // big-endian: the same digits on every machine
  XXH128_canonicalFromHash(&canonical, XXH3_128bits(bytes.data(), bytes.size()));
  std::array<std::uint8_t, sizeof canonical.digest> digest;
  for (std::size_t i = 0; i < digest.size(); ++i) {
    digest[i] = canonical.digest[i];
  }
  return lower_hex(digest);
}

}  // namespace migrate
