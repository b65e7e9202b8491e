#include <catch2/catch.hpp>

#include "util/text.hpp"

using namespace migrate;

namespace {

std::vector<std::string> texts(const std::vector<Line>& lines) {
  std::vector<std::string> out;
  for (const Line& line : lines) {
    out.emplace_back(line.text);
  }
  return out;
}

std::vector<std::string> words(std::string_view text, bool commas = false) {
  std::vector<std::string> out;
  for (std::string_view word : split_words(text, commas)) {
    out.emplace_back(word);
  }
  return out;
}

}  // namespace

TEST_CASE("text: split_lines handles LF, CRLF and CR", "[util]") {
  std::string_view text = "one\ntwo\r\nthree\rfour";
  std::vector<Line> lines = split_lines(text);
  REQUIRE(texts(lines) == std::vector<std::string>{"one", "two", "three", "four"});
  CHECK(lines[0].offset == 0);
  CHECK(lines[1].offset == 4);
  CHECK(lines[2].offset == 9);
  CHECK(lines[3].offset == 15);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    CHECK(lines[i].number == static_cast<int>(i) + 1);
    CHECK(text.substr(lines[i].offset, lines[i].text.size()) == lines[i].text);
  }
}

TEST_CASE("text: split_lines keeps empty lines but no empty last line", "[util]") {
  CHECK(split_lines("").empty());
  CHECK(texts(split_lines("\n")) == std::vector<std::string>{""});
  CHECK(texts(split_lines("a\n")) == std::vector<std::string>{"a"});
  CHECK(texts(split_lines("a\r\n")) == std::vector<std::string>{"a"});
  CHECK(texts(split_lines("a\n\nb\n")) == std::vector<std::string>{"a", "", "b"});
  CHECK(texts(split_lines("a\r\n\r\nb")) == std::vector<std::string>{"a", "", "b"});
  CHECK(texts(split_lines("a\r\rb")) == std::vector<std::string>{"a", "", "b"});
  std::vector<Line> lines = split_lines("x\n\ny");
  REQUIRE(lines.size() == 3);
  CHECK(lines[2].number == 3);
  CHECK(lines[2].offset == 3);
}

TEST_CASE("text: line_at counts every kind of line ending once", "[util]") {
  std::string_view text = "a\nb\r\nc\rd";
  CHECK(line_at(text, 0) == 1);
  CHECK(line_at(text, 1) == 1);  // the '\n' itself is still on line 1
  CHECK(line_at(text, 2) == 2);
  CHECK(line_at(text, 5) == 3);     // after "\r\n": one line, not two
  CHECK(line_at(text, 7) == 4);     // after a lone "\r"
  CHECK(line_at(text, 1000) == 4);  // past the end: the last line
  CHECK(line_at("", 0) == 1);
  // line_at agrees with split_lines on every line start
  for (const Line& line : split_lines(text)) {
    CHECK(line_at(text, line.offset) == line.number);
  }
}

TEST_CASE("text: trim and trim_right", "[util]") {
  CHECK(trim("  \t a b \r\n\f\v") == "a b");
  CHECK(trim_right("  a b \r\n") == "  a b");
  CHECK(trim("") == "");
  CHECK(trim(" \n\t ") == "");
  CHECK(trim_right(" \n ") == "");
  CHECK(trim("x") == "x");
}

TEST_CASE("text: split_words on white space, optionally commas", "[util]") {
  CHECK(words("  a  b\tc\n") == std::vector<std::string>{"a", "b", "c"});
  CHECK(words("a,b, c") == std::vector<std::string>{"a,b,", "c"});
  CHECK(words("a,b, c", true) == std::vector<std::string>{"a", "b", "c"});
  CHECK(words(",,, ,", true).empty());
  CHECK(words("").empty());
  CHECK(words("   ").empty());
}

TEST_CASE("text: is_digits", "[util]") {
  CHECK(is_digits("0"));
  CHECK(is_digits("202611211423"));
  CHECK(is_digits("000001"));
  CHECK_FALSE(is_digits(""));
  CHECK_FALSE(is_digits("12a"));
  CHECK_FALSE(is_digits("-1"));
  CHECK_FALSE(is_digits("+1"));
  CHECK_FALSE(is_digits(" 1"));
  CHECK_FALSE(is_digits("1_"));
}

TEST_CASE("text: first_line_shortened", "[util]") {
  CHECK(first_line_shortened("  hello  ", 10) == "hello");
  CHECK(first_line_shortened("hello", 5) == "hello");
  CHECK(first_line_shortened("hello world", 5) == "hello…");
  CHECK(first_line_shortened("first\nsecond", 80) == "first…");
  CHECK(first_line_shortened("first\r\nsecond", 80) == "first…");
  CHECK(first_line_shortened("\n\n  first  \n\n", 80) == "first");  // trimmed first
  CHECK(first_line_shortened("", 10) == "");
}

TEST_CASE("text: first_line_shortened counts UTF-8 characters and never splits one", "[util]") {
  // "é" is two bytes: five characters fit in a width of 5.
  CHECK(first_line_shortened("ééééé", 5) == "ééééé");
  CHECK(first_line_shortened("ééééééé", 3) == "ééé…");
  CHECK(first_line_shortened("a€b€c", 2) == "a€…");  // "€" is three bytes
  CHECK(first_line_shortened("日本語のテキスト", 3) == "日本語…");
}

TEST_CASE("text: shortened_list names a few of many", "[util]") {
  std::vector<std::string> items{"a", "b", "c", "d"};
  std::size_t asked = 0;
  auto item = [&](std::size_t i) {
    ++asked;
    return items[i];
  };
  CHECK(migrate::shortened_list(0, 2, item).empty());
  CHECK(migrate::shortened_list(2, 2, item) == "a, b");
  asked = 0;
  CHECK(migrate::shortened_list(4, 2, item) == "a, b, … (4 in all)");
  CHECK(asked == 2);  // the rest are never built
}

TEST_CASE("text: contains_ignoring_case finds a word in any mix of cases", "[util]") {
  CHECK(contains_ignoring_case("CREATE TABLE t () PARTITION BY RANGE (a)", "partition"));
  CHECK(contains_ignoring_case("create table t () partition by range (a)", "partition"));
  CHECK(contains_ignoring_case("PaRtItIoN", "partition"));
  CHECK(contains_ignoring_case("a partition", "partition"));  // at the very end
  CHECK(contains_ignoring_case("anything", ""));
  // Near misses: a first letter that leads nowhere, cut short at the end, other letters.
  CHECK_FALSE(contains_ignoring_case("part partitio", "partition"));
  CHECK_FALSE(contains_ignoring_case("PARTITIO", "partition"));
  CHECK_FALSE(contains_ignoring_case("", "partition"));
  CHECK_FALSE(contains_ignoring_case("p\xc3\xa1rtition", "partition"));
  // Both cases of the first letter, the later one holding the word.
  CHECK(contains_ignoring_case("pP Partition", "partition"));
  CHECK(contains_ignoring_case("Pp partition", "partition"));
  CHECK(contains_ignoring_case(std::string_view("\0Partition", 10), "partition"));
  // 32 MiB of capitals with no lower-case p after them: each letter is looked for once, a few
  // milliseconds. A search that went to the end of the text for every P (the first version)
  // takes hours here, and CTest's time limit (1,500 s) fails it.
  std::string capitals(std::size_t{32} << 20, 'P');
  CHECK_FALSE(contains_ignoring_case(capitals, "partition"));
  capitals += "partition";
  CHECK(contains_ignoring_case(capitals, "partition"));
}

TEST_CASE("text: with_full_stop ends a message with one full stop", "[util]") {
  CHECK(with_full_stop("it failed") == "it failed.");
  CHECK(with_full_stop("it failed.") == "it failed.");
  CHECK(with_full_stop("") == ".");
}

TEST_CASE("text: next_ended_line takes lines that a newline ends, and no cut last one", "[util]") {
  std::string_view text = "one\n\nthree\r\nfour";
  std::size_t at = 0;
  CHECK(next_ended_line(text, at) == "one");
  CHECK(next_ended_line(text, at) == "");
  CHECK(next_ended_line(text, at) == "three\r");  // "\n" alone ends a line here
  CHECK(at == 12);
  CHECK_FALSE(next_ended_line(text, at));  // "four" has no newline: cut short
  CHECK(at == 12);
  std::size_t end = 4;
  CHECK_FALSE(next_ended_line("abc\n", end));
}
