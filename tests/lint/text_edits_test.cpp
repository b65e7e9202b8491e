// Edits at offsets of the text as read, made at once: what --fix writes into migration files.
#include <catch2/catch.hpp>

#include "lint/text_edits.hpp"

using namespace migrate;

TEST_CASE("text edits: offsets are the original text's, whatever comes before", "[lint]") {
  std::string text = "SELECT 1;\nSELECT 2;\n";
  TextEdits edits(text);
  edits.insert(18, " + 1");  // before the second ';'
  edits.insert(0, "-- a\n");
  edits.insert(0, "-- b\n");  // after the earlier insert at the same place
  CHECK(edits.applied() == "-- a\n-- b\nSELECT 1;\nSELECT 2 + 1;\n");
}

TEST_CASE("text edits: a statement removed takes its line when nothing else stays on it",
          "[lint]") {
  std::string text = "A;\n  B\n  more;\nC; D;\nE;\n";
  SECTION("alone on its lines: the lines go") {
    TextEdits edits(text);
    edits.erase_statement(5, 9);  // "B\n  more", and its ';'
    CHECK(edits.applied() == "A;\nC; D;\nE;\n");
  }
  SECTION("sharing a line with one that stays: only the statement goes") {
    TextEdits edits(text);
    edits.erase_statement(18, 1);  // "D"
    CHECK(edits.applied() == "A;\n  B\n  more;\nC; \nE;\n");
  }
  SECTION("sharing a line with another removed: the line goes") {
    TextEdits edits(text);
    edits.erase_statement(15, 1);  // "C"
    edits.erase_statement(18, 1);  // "D"
    CHECK(edits.applied() == "A;\n  B\n  more;\nE;\n");
  }
  SECTION("the semicolon after white space goes with it, CRLF lines whole") {
    std::string crlf = "A;\r\nB\r\n;\r\nC;\r\n";
    TextEdits edits(crlf);
    edits.erase_statement(4, 1);
    CHECK(edits.applied() == "A;\r\nC;\r\n");
  }
  SECTION("a replacement") {
    TextEdits edits(text);
    edits.replace(0, 1, "Z");
    CHECK(edits.applied() == "Z;\n  B\n  more;\nC; D;\nE;\n");
  }
}
