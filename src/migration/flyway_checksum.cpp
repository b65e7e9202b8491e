#include "migration/flyway_checksum.hpp"

#include <zlib.h>

#include "migration/migration.hpp"

namespace migrate {

namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

}  // namespace

std::int32_t flyway_checksum(std::string_view text) {
  if (text.starts_with(kByteOrderMark)) {
    text.remove_prefix(kByteOrderMark.size());
  }
  // readLine() drops each terminator and the lines are fed one after the other: the CRC of the
  // text with every `\r` and `\n` left out.
  uLong crc = crc32(0L, Z_NULL, 0);
  while (!text.empty()) {
    std::size_t end = text.find_first_of("\r\n");
    std::string_view line = text.substr(0, end);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(line.data()), static_cast<uInt>(line.size()));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
  }
  // Java's `(int) crc32.getValue()`: the low 32 bits, as a signed number.
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(crc));
}

FlywayRepeatableChecksums flyway_repeatable_checksums(std::string_view text,
                                                      const std::filesystem::path& file,
                                                      const PlaceholderValues& values) {
  Section whole;
  whole.sql = text;
  whole.file = file;
  return {flyway_checksum(replace_flyway_placeholders(whole, values)), flyway_checksum(text)};
}

}  // namespace migrate
