#include "util/fast_checksum.hpp"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "util/hex.hpp"

namespace migrate {

std::string fast_checksum_hex(std::string_view bytes) {
  XXH128_canonical_t canonical;  // big-endian: the same digits on every machine
  XXH128_canonicalFromHash(&canonical, XXH3_128bits(bytes.data(), bytes.size()));
  return lower_hex(canonical.digest);
}

}  // namespace migrate
