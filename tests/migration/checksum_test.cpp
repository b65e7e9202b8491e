#include <catch2/catch.hpp>

#include "migration/checksum.hpp"

using namespace migrate;

TEST_CASE("checksum: sha256 of the normalised up section, with the algorithm prefix",
          "[migration]") {
  CHECK(section_checksum("SELECT 1;") ==
        "sha256:17db4fd369edb9244b9f91d9aeed145c3d04ad8ba6e95d06247f07a63527d11a");
  CHECK(section_checksum("CREATE TABLE t (id INT);\nINSERT INTO t VALUES (1);") ==
        "sha256:3be8fd1598f96a77d4b13b8a016c3232d85e39a50d922ef61c5b3be164c7f5c4");
}

TEST_CASE("checksum: line endings and trailing white space do not count", "[migration]") {
  std::string lf = "CREATE TABLE t (id INT);\nINSERT INTO t VALUES (1);";
  std::string crlf = "CREATE TABLE t (id INT);\r\nINSERT INTO t VALUES (1);\r\n";
  std::string cr = "CREATE TABLE t (id INT);\rINSERT INTO t VALUES (1);\r";
  std::string trailing = "CREATE TABLE t (id INT);   \t\nINSERT INTO t VALUES (1); \n";
  std::string blank_ends = "\n\n  \nCREATE TABLE t (id INT);\nINSERT INTO t VALUES (1);\n\n \n";
  CHECK(section_checksum(crlf) == section_checksum(lf));
  CHECK(section_checksum(cr) == section_checksum(lf));
  CHECK(section_checksum(trailing) == section_checksum(lf));
  CHECK(section_checksum(blank_ends) == section_checksum(lf));
  CHECK(normalize_for_checksum(crlf) == lf);
  CHECK(normalize_for_checksum(trailing) == lf);
  CHECK(normalize_for_checksum(blank_ends) == lf);
}

TEST_CASE("checksum: a real change does change it", "[migration]") {
  std::string base = "CREATE TABLE t (id INT);\nINSERT INTO t VALUES (1);";
  CHECK(section_checksum("CREATE TABLE t (id INT);\nINSERT INTO t VALUES (2);") !=
        section_checksum(base));
  // indentation is kept: only trailing white space goes
  CHECK(section_checksum("  CREATE TABLE t (id INT);\nINSERT INTO t VALUES (1);") !=
        section_checksum(base));
  CHECK(section_checksum("CREATE TABLE t (id  INT);\nINSERT INTO t VALUES (1);") !=
        section_checksum(base));
  CHECK(section_checksum("CREATE TABLE t (id INT); INSERT INTO t VALUES (1);") !=
        section_checksum(base));
  CHECK(section_checksum("") != section_checksum(base));
}

TEST_CASE("checksum: blank lines inside the section are kept", "[migration]") {
  CHECK(normalize_for_checksum("a;\n\n\nb;") == "a;\n\n\nb;");
  CHECK(normalize_for_checksum("a;\r\n  \r\nb;  ") == "a;\n\nb;");
  CHECK(section_checksum("a;\n\nb;") != section_checksum("a;\nb;"));
  CHECK(normalize_for_checksum("") == "");
  CHECK(normalize_for_checksum(" \n\t\n") == "");
}
