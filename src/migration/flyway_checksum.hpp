#pragma once

#include <cstdint>
#include <filesystem>
#include <string_view>

#include "migration/placeholders.hpp"

namespace migrate {

/// Flyway's checksum of a script, as its ChecksumCalculator computes it: CRC-32 over the UTF-8
/// bytes of each line as Java's BufferedReader.readLine() returns them (without `\n`, `\r` or
/// `\r\n`, and nothing put between lines), a byte order mark at the start left out; as Flyway
/// stores it, a signed 32-bit number. So line endings and a final newline do not change it,
/// and neither does joining two lines. The text is taken as UTF-8, Flyway's default encoding.
std::int32_t flyway_checksum(std::string_view text);

/// The checksums Flyway takes as a repeatable migration's own (its SqlMigrationResolver): a
/// repeatable whose latest run recorded either is up to date there.
struct FlywayRepeatableChecksums {
  std::int32_t replaced = 0;  ///< of its text with the placeholders replaced: what a run records
  std::int32_t written = 0;   ///< of its text as written: Flyway's "equivalent" checksum

  bool matches(std::int32_t checksum) const { return checksum == replaced || checksum == written; }
};

/// The checksums of the repeatable `file` whose whole text is `text`, its placeholders replaced
/// by `values` (placeholder_values; `flyway:filename` is its own name), as Flyway replaces them
/// before it computes the checksum. Throws ParseError at a placeholder with no value, which
/// Flyway refuses too.
FlywayRepeatableChecksums flyway_repeatable_checksums(std::string_view text,
                                                      const std::filesystem::path& file,
                                                      const PlaceholderValues& values);

}  // namespace migrate
