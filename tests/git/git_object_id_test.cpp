// GitObjectId: the 20 bytes of an object id, and their 40-hex-digit form.
#include "git/git_object_id.hpp"

#include <catch2/catch.hpp>

using namespace migrate;

TEST_CASE("git_object_id: hex round trip, lower case", "[git]") {
  const std::string hex = "0123456789abcdef00ff10203040506070809a0b";
  std::optional<GitObjectId> id = GitObjectId::from_hex(hex);
  REQUIRE(id);
  CHECK(id->bytes()[0] == 0x01);
  CHECK(id->bytes()[9] == 0xff);
  CHECK(id->bytes()[19] == 0x0b);
  CHECK(id->hex() == hex);
  CHECK(GitObjectId::from_hex("0123456789ABCDEF00FF10203040506070809A0B") == id);
}

TEST_CASE("git_object_id: the zero id, and equality by bytes", "[git]") {
  CHECK(GitObjectId().hex() == std::string(40, '0'));
  GitObjectId::Bytes bytes{};
  bytes[5] = 7;
  CHECK(GitObjectId(bytes) == GitObjectId(bytes));
  CHECK_FALSE(GitObjectId(bytes) == GitObjectId());
}

TEST_CASE("git_object_id: only 40 hex digits are an id", "[git]") {
  CHECK_FALSE(GitObjectId::from_hex(""));
  CHECK_FALSE(GitObjectId::from_hex(std::string(39, 'a')));
  CHECK_FALSE(GitObjectId::from_hex(std::string(41, 'a')));
  CHECK_FALSE(GitObjectId::from_hex(std::string(39, 'a') + "g"));
  CHECK_FALSE(GitObjectId::from_hex("HEAD"));
  CHECK_FALSE(GitObjectId::from_hex("-1" + std::string(38, '0')));
  CHECK_FALSE(GitObjectId::from_hex("+1" + std::string(38, '0')));
}
