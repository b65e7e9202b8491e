#include "git/git_object_id.hpp"

namespace migrate {

namespace {

/// The value of a hex digit, or -1.
int digit_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

}  // namespace

std::optional<GitObjectId> GitObjectId::from_hex(std::string_view hex) {
  if (hex.size() != 2 * kSize) {
    return std::nullopt;
  }
  Bytes bytes;
  for (std::size_t i = 0; i < kSize; ++i) {
    int high = digit_value(hex[2 * i]);
    int low = digit_value(hex[2 * i + 1]);
    if (high < 0 || low < 0) {
      return std::nullopt;
    }
    bytes[i] = static_cast<unsigned char>(high * 16 + low);
  }
  return GitObjectId(bytes);
}

std::string GitObjectId::hex() const {
  constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * kSize);
  for (unsigned char byte : m_bytes) {
    hex.push_back(kDigits[byte >> 4]);
    hex.push_back(kDigits[byte & 0xf]);
  }
  return hex;
}

}  // namespace migrate
