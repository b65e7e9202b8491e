// Flyway's checksum (its ChecksumCalculator), against a number Flyway itself printed and
// against CRC-32 values of the texts Flyway feeds it (computed apart, with Python's
// zlib.crc32, and written here as Java's signed int).
#include <catch2/catch.hpp>

#include <string>

#include "migration/flyway_checksum.hpp"
#include "util/error.hpp"

using namespace migrate;
using Catch::Contains;

TEST_CASE("flyway_checksum: the number Flyway records for a script", "[migration][adopt]") {
  // Flyway's own documentation (Tutorial - Dry Runs): V3__Couple.sql, whose lines end in a
  // space, recorded with checksum -722651034.
  CHECK(flyway_checksum("create table COUPLE (\n"
                        "    ID int not null,\n"
                        "    PERSON1 int not null references PERSON(ID), \n"
                        "    PERSON2 int not null references PERSON(ID) \n"
                        ");\n") == -722651034);
  CHECK(flyway_checksum("SELECT 1;") == 78787420);  // below 2^31: as CRC-32 gives it
}

TEST_CASE("flyway_checksum: the lines' bytes with nothing between them, signed",
          "[migration][adopt]") {
  // CRC-32 of "SELECT 1;SELECT 2;" is 2629868284, above 2^31: Java's (int) makes it negative.
  const std::int32_t joined = -1665099012;
  CHECK(flyway_checksum("SELECT 1;SELECT 2;") == joined);
  CHECK(flyway_checksum("SELECT 1;\nSELECT 2;") == joined);
  CHECK(flyway_checksum("SELECT 1;\r\nSELECT 2;\r\n") == joined);
  CHECK(flyway_checksum("SELECT 1;\rSELECT 2;\r") == joined);
  CHECK(flyway_checksum("SELECT 1;\n\n\r\n\rSELECT 2;\n\n") == joined);  // blank lines add nothing
  CHECK(flyway_checksum("SELECT 1;\nSELECT 2;\n") == joined);            // nor a final newline
  // What is on a line counts, trailing spaces too (unlike migrate's own checksum).
  CHECK(flyway_checksum("SELECT 1; \nSELECT 2;") != joined);
  CHECK(flyway_checksum("select 1;\nSELECT 2;") != joined);
}

TEST_CASE("flyway_checksum: a byte order mark at the start is left out, nowhere else",
          "[migration][adopt]") {
  CHECK(flyway_checksum("\xEF\xBB\xBFSELECT 1;") == 78787420);
  CHECK(flyway_checksum("\xEF\xBB\xBFSELECT 1;\r\nSELECT 2;") == -1665099012);
  CHECK(flyway_checksum("SELECT 1;\xEF\xBB\xBF") == -1246562399);    // in a line: its bytes count
  CHECK(flyway_checksum("\n\xEF\xBB\xBFSELECT 1;") == -1606921097);  // not the first line's start
}

TEST_CASE("flyway_checksum: an empty file, and one of line ends only, are 0",
          "[migration][adopt]") {
  CHECK(flyway_checksum("") == 0);
  CHECK(flyway_checksum("\n") == 0);
  CHECK(flyway_checksum("\r\n\r\n\n") == 0);
  CHECK(flyway_checksum("\xEF\xBB\xBF") == 0);
}

TEST_CASE("flyway_checksum: UTF-8 text as its bytes", "[migration][adopt]") {
  CHECK(flyway_checksum("CREATE VIEW v AS SELECT 'caf\xC3\xA9';\n") == -497797353);
}

TEST_CASE("flyway_repeatable_checksums: with the placeholders replaced, and as written",
          "[migration][adopt]") {
  PlaceholderValues values{{"user", "app"}};
  const std::string text = "-- ${flyway:filename}\nGRANT SELECT ON t TO ${user};\n";
  FlywayRepeatableChecksums checksums =
      flyway_repeatable_checksums(text, "/project/migrations/R__grants.sql", values);
  // "-- R__grants.sqlGRANT SELECT ON t TO app;" and the text's own lines.
  CHECK(checksums.replaced == 2077985376);
  CHECK(checksums.written == -1116119145);
  CHECK(checksums.matches(2077985376));
  CHECK(checksums.matches(-1116119145));
  CHECK_FALSE(checksums.matches(0));
  // A file with no placeholders: both the same.
  FlywayRepeatableChecksums plain =
      flyway_repeatable_checksums("SELECT 1;\n", "/p/R__one.sql", values);
  CHECK(plain.replaced == 78787420);
  CHECK(plain.written == 78787420);
}

TEST_CASE("flyway_repeatable_checksums: a placeholder with no value is refused at its line",
          "[migration][adopt]") {
  try {
    flyway_repeatable_checksums("SELECT 1;\nGRANT SELECT ON t TO ${reader};\n", "/p/R__g.sql", {});
    FAIL("no ParseError");
  } catch (const ParseError& e) {
    CHECK_THAT(e.what(), Contains("R__g.sql:2"));
    CHECK_THAT(e.what(), Contains("${reader}"));
  }
}
