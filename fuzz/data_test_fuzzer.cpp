// migrate-verify's data tests (`migrations/tests/<id>.sql`, verify/data_test): `-- before:` and
// `-- after:` parts, their statements and `-- expect:` / `-- expect-error:` expectations.
// Input: the file's text.
//
// Properties: each block's SQL is the file's own text from the line it names; each
// expectation is at its `-- expect` line. Bad input is a ParseError, never another exception.
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "util/error.hpp"
#include "util/text.hpp"
#include "verify/data_test.hpp"

using namespace migrate;
using fuzz::require;

namespace {

/// The text from the start of line `number` (1-based) on; empty past the end.
std::string_view from_line(std::string_view text, const std::vector<Line>& lines, int number) {
  if (number < 1 || number > static_cast<int>(lines.size())) {
    return {};
  }
  return text.substr(static_cast<std::size_t>(lines[number - 1].text.data() - text.data()));
}

void check_blocks(std::string_view text, const std::vector<Line>& lines,
                  const std::vector<DataTestBlock>& blocks) {
  for (const DataTestBlock& block : blocks) {
    if (!block.sql.empty()) {
      std::string first = block.sql.substr(0, block.sql.find('\n'));
      require(from_line(text, lines, block.first_line).starts_with(first),
              "a block's SQL is not at its line",
              std::to_string(block.first_line) + ": " + block.sql);
    }
    if (block.expect) {
      std::string_view line = trim(from_line(text, lines, block.expect->line));
      bool comment = line.starts_with("--");
      require(comment && trim(line.substr(2)).starts_with("expect"),
              "an expectation is not at its line", std::to_string(block.expect->line));
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    DataTest test = parse_data_test("migrations/tests/202601010000.sql", text);
    std::vector<Line> lines = split_lines(text);
    check_blocks(text, lines, test.before);
    check_blocks(text, lines, test.after);
  } catch (const InternalError& e) {
    require(false, "an InternalError", e.what());
  } catch (const ParseError&) {
  }
  return 0;
}
