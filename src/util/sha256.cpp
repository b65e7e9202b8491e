#include "util/sha256.hpp"

#include <openssl/evp.h>

#include <fmt/format.h>

#include "util/error.hpp"

namespace migrate {

std::string sha256_hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    throw Error(ExitCode::failure, "OpenSSL could not compute a SHA-256 digest");
  }
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    fmt::format_to(std::back_inserter(hex), "{:02x}", digest[i]);
  }
  return hex;
}

}  // namespace migrate
