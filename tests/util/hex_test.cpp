#include <catch2/catch.hpp>

#include <array>

#include "util/hex.hpp"

using namespace migrate;

TEST_CASE("hex: two lower-case digits per byte, leading zeroes kept", "[util]") {
  std::array<std::uint8_t, 5> bytes{0x00, 0x0f, 0xa0, 0xff, 0x7e};
  CHECK(lower_hex(bytes) == "000fa0ff7e");
  CHECK(lower_hex({}) == "");
}
