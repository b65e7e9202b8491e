#pragma once

#include <string>
#include <string_view>

namespace migrate {

/// A checksum of `bytes` that tells a damaged or torn file from the one written (XXH3, 128
/// bits, as 32 hex digits): for migrate's own caches, read whole on every run, where SHA-256
/// cost milliseconds per megabyte. Not for identities a person or another tool relies on
/// (checksums of migrations, fingerprints): those are SHA-256 (util/sha256).
std::string fast_checksum_hex(std::string_view bytes);

}  // namespace migrate
