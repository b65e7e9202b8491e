#include "util/sha256.hpp"

#include <openssl/evp.h>

#include "util/error.hpp"

namespace migrate {

namespace {

/// OpenSSL 3 looks the algorithm up on every EVP_sha256() digest (with a lock); fetched once
/// and kept for the life of the process, it is an immutable handle, not state.
const EVP_MD* sha256_algorithm() {
  static const EVP_MD* const algorithm = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return algorithm;
}

}  // namespace

std::string sha256_hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  const EVP_MD* algorithm = sha256_algorithm();
  if (algorithm == nullptr ||
      EVP_Digest(bytes.data(), bytes.size(), digest, &length, algorithm, nullptr) != 1) {
    throw InternalError("OpenSSL could not compute a SHA-256 digest");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex(length * 2, '0');
  for (unsigned int i = 0; i < length; ++i) {
    hex[2 * i] = kHex[digest[i] >> 4];
    hex[2 * i + 1] = kHex[digest[i] & 0x0f];
  }
  return hex;
}

}  // namespace migrate
