#include "support/schema_dump.hpp"

#include <catch2/catch.hpp>

#include "support/run_tool.hpp"
#include "support/sqlite_probe.hpp"

namespace migrate::test {

std::vector<std::string> sqlite_schema(const std::filesystem::path& database) {
  return sqlite_column(database,
                       "SELECT type || ' ' || name || ': ' || sql FROM sqlite_master WHERE sql "
                       "IS NOT NULL AND name NOT LIKE 'schema_migrations%' ORDER BY name");
}

std::vector<std::string> postgres_schema(const std::string& url) {
  ProcessResult dump =
      run_process({"pg_dump", "--schema-only", "--no-owner", "-T", "schema_migrations", "-d", url});
  REQUIRE(dump.exit_code == 0);
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < dump.out.size()) {
    std::size_t end = dump.out.find('\n', start);
    std::string line = dump.out.substr(start, end - start);
    start = end == std::string::npos ? dump.out.size() : end + 1;
    if (!line.empty() && !line.starts_with("--") && !line.starts_with("\\restrict") &&
        !line.starts_with("\\unrestrict")) {
      lines.push_back(line);
    }
  }
  return lines;
}

}  // namespace migrate::test
