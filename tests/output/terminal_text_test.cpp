#include <catch2/catch.hpp>

#include "output/terminal_text.hpp"

using namespace migrate;

TEST_CASE("terminal_text: what a terminal would act on is shown escaped", "[output]") {
  // The xterm sequence that retitles the window, and a cursor move.
  CHECK(terminal_text("a\x1b]0;pwned\x07z", false) == "a\\x1b]0;pwned\\x07z");
  CHECK(terminal_text("\x1b[2J", true) == "\\x1b[2J");
  CHECK(terminal_text("over\rwrite", false) == "over\\rwrite");
  CHECK(terminal_text("del\x7f", false) == "del\\x7f");
  CHECK(terminal_text(std::string_view("nul\0", 4), false) == "nul\\x00");
}

TEST_CASE("terminal_text: line feeds, tabs and UTF-8 text stay as they are", "[output]") {
  CHECK(terminal_text("a\tb\nc", false) == "a\tb\nc");
  CHECK(terminal_text("Größe ✓ 😀", false) == "Größe ✓ 😀");
}

TEST_CASE("terminal_text: C1 controls and stray bytes are escaped", "[output]") {
  CHECK(terminal_text("\xc2\x9b"
                      "31m",
                      false) == "\\u009b31m");  // CSI as a code point
  CHECK(terminal_text("\x9b"
                      "31m",
                      false) == "\\x9b31m");                // a bare 8-bit CSI
  CHECK(terminal_text("\xc2\xa0", false) == "\xc2\xa0");    // no-break space is text
  CHECK(terminal_text("\xe2\x82", false) == "\\xe2\\x82");  // cut UTF-8
}

TEST_CASE("terminal_text: Console's own colours pass only when colour is on", "[output]") {
  CHECK(terminal_text("\x1b[32mok\x1b[0m", true) == "\x1b[32mok\x1b[0m");
  CHECK(terminal_text("\x1b[1m\x1b[31merror\x1b[0m", true) == "\x1b[1m\x1b[31merror\x1b[0m");
  CHECK(terminal_text("\x1b[32mok\x1b[0m", false) == "\\x1b[32mok\\x1b[0m");
  CHECK(terminal_text("\x1b[38;5;1mx", true) == "\\x1b[38;5;1mx");
}

TEST_CASE("terminal_text: only well-formed UTF-8 passes", "[output]") {
  CHECK(terminal_text("\xf8\x9b\x80", false) == "\\xf8\\x9b\\x80");           // no such lead byte
  CHECK(terminal_text("\xe0\x82\x9b", false) == "\\xe0\\x82\\x9b");           // overlong U+009B
  CHECK(terminal_text("\xed\xa0\x80", false) == "\\xed\\xa0\\x80");           // a surrogate
  CHECK(terminal_text("\xf4\x90\x80\x80", false) == "\\xf4\\x90\\x80\\x80");  // > U+10FFFF
  CHECK(terminal_text("\xf0\x9f\x98\x80", false) == "\xf0\x9f\x98\x80");      // 😀
}

TEST_CASE("terminal_text: a CRLF line ending stays, a lone carriage return does not", "[output]") {
  CHECK(terminal_text("a;\r\nb;\r\n", false) == "a;\r\nb;\r\n");
  CHECK(terminal_text("a\rb", false) == "a\\rb");
  CHECK(terminal_text("a\r", false) == "a\\r");
}
