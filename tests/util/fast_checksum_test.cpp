#include <catch2/catch.hpp>

#include "util/fast_checksum.hpp"

using namespace migrate;

TEST_CASE("fast_checksum: 32 hex digits, XXH3-128's own, differing at any changed byte", "[util]") {
  // XXH3-128 of nothing, as xxhsum -H2 prints it: the digits are the library's canonical form.
  CHECK(fast_checksum_hex("") == "99aa06d3014798d86001c324468d497f");
  std::string bytes(100000, 'x');
  std::string sum = fast_checksum_hex(bytes);
  CHECK(sum.size() == 32);
  CHECK(sum.find_first_not_of("0123456789abcdef") == std::string::npos);
  for (std::size_t at : {std::size_t{0}, std::size_t{4095}, bytes.size() - 1}) {
    std::string changed = bytes;
    changed[at] = 'y';
    CHECK(fast_checksum_hex(changed) != sum);
  }
  CHECK(fast_checksum_hex(bytes.substr(1)) != sum);  // one byte shorter
}
