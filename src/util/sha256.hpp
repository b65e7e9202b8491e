#pragma once

#include <string>
#include <string_view>

namespace migrate {

/// Lower-case hex SHA-256 of the bytes (nettle: a small library that, unlike OpenSSL's libcrypto,
/// costs nothing at start, which every command pays).
std::string sha256_hex(std::string_view bytes);

}  // namespace migrate
