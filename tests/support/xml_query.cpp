#include "support/xml_query.hpp"

#include <catch2/catch.hpp>

#include "support/run_tool.hpp"

namespace migrate::test {

std::string xpath(const std::filesystem::path& file, const std::string& expression) {
  ProcessResult result = run_process({"xmllint", "--xpath", expression, file.string()});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  REQUIRE(result.out.ends_with('\n'));
  result.out.pop_back();
  return result.out;
}

}  // namespace migrate::test
