#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace migrate {

/// `bytes` as lower-case hexadecimal, two digits each: how hashes and object ids are written.
/// Cheap enough for thousands of ids per command (nettle's base16, not a format per byte).
std::string lower_hex(std::span<const std::uint8_t> bytes);

}  // namespace migrate
