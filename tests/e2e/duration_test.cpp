// duration_ms: what the state table records for a migration is what migrate-upgrade printed for
// it ("ok (N ms)"), and what migrate-history shows again. (It used to be measured before the
// commit for the row but after it for the output: a quick migration on SQLite printed 8 ms and
// recorded 0.)
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <regex>
#include <string>

#include <fmt/format.h>

#include "support/project.hpp"
#include "support/sqlite_probe.hpp"

using namespace migrate::test;
using Catch::Contains;

namespace {

/// "id=ms" for every line of `output` that matches `line_pattern` (id and ms its two groups),
/// in id order.
std::string printed_durations(const std::string& output, const std::string& line_pattern) {
  std::map<std::string, std::string> durations;
  std::regex line(line_pattern);
  for (auto it = std::sregex_iterator(output.begin(), output.end(), line);
       it != std::sregex_iterator(); ++it) {
    durations[(*it)[1]] = (*it)[2];
  }
  std::string text;
  for (const auto& [id, ms] : durations) {
    text += fmt::format("{}={} ", id, ms);
  }
  return text;
}

/// Writes about `megabytes` MB, so the migration takes a while and so does its commit (the pages
/// still in SQLite's cache, the syncs).
std::string writes_megabytes(int n, int megabytes) {
  return fmt::format(
      "CREATE TABLE big{0} AS WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c "
      "WHERE n < {1}) SELECT n, randomblob(1000) AS b FROM c;",
      n, megabytes * 1000);
}

}  // namespace

TEST_CASE("duration: the state table records the duration the upgrade printed", "[e2e][duration]") {
  Project project;
  project.add("0001_quick.sql", migration_text("CREATE TABLE quick (x);", "DROP TABLE quick;"));
  project.add("0002_big.sql", migration_text(writes_megabytes(2, 8), "DROP TABLE big2;"));
  project.add("0003_counts.sql",
              migration_text(writes_megabytes(3, 4) +
                                 "\nCREATE TABLE counted AS WITH RECURSIVE c(n) AS (SELECT 1 UNION "
                                 "ALL SELECT n + 1 FROM c WHERE n < 500000) SELECT count(*) AS "
                                 "n FROM c;",
                             "DROP TABLE counted; DROP TABLE big3;"));
  project.add("0004_stepwise.sql",
              "-- migrate:up transaction:false\n" + writes_megabytes(4, 4) +
                  "\nCREATE TABLE after_big (x);\n\n-- migrate:down\nDROP TABLE after_big;\n");

  ProcessResult upgrade = project.run("migrate-upgrade");
  INFO(upgrade.out << upgrade.err);
  REQUIRE(upgrade.exit_code == 0);
  std::string printed =
      printed_durations(upgrade.out, R"(apply\s+(\d{4})_\S+\s+.*ok \((\d+) ms\))");
  REQUIRE(std::count(printed.begin(), printed.end(), '=') == 4);

  std::string recorded;
  for (const auto& row :
       sqlite_rows(project.db(), "SELECT id, duration_ms FROM schema_migrations ORDER BY id")) {
    recorded += fmt::format("{}={} ", row.at(0), row.at(1));
  }
  CHECK(recorded == printed);

  ProcessResult history = project.run("migrate-history");
  REQUIRE(history.exit_code == 0);
  CHECK(printed_durations(history.out, R"(applied\s+(\d{4})_\S+.*\((\d+) ms\))") == printed);
}
