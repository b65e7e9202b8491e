// The order a folder of schema files is loaded in: file names, and `-- depends:` lines.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "schema/schema_file_order.hpp"
#include "util/error.hpp"

using namespace migrate;
using Catch::Contains;

namespace {

std::vector<std::string> ordered(const std::vector<SchemaFile>& files) {
  std::vector<std::string> names;
  for (std::size_t i : order_schema_files(files)) {
    names.push_back(files[i].path.filename().string());
  }
  return names;
}

std::string error_of(const std::vector<SchemaFile>& files) {
  try {
    order_schema_files(files);
  } catch (const ParseError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("order_schema_files: name order without depends lines", "[schema][schema_files]") {
  CHECK(ordered({{"schema/b.sql", "CREATE TABLE b (x int);"},
                 {"schema/a.sql", "CREATE TABLE a (x int);"},
                 {"schema/c.sql", ""}}) == std::vector<std::string>{"a.sql", "b.sql", "c.sql"});
  CHECK(ordered({}).empty());
}

TEST_CASE("order_schema_files: a file runs after the files it depends on, else by name",
          "[schema][schema_files]") {
  std::vector<SchemaFile> files{
      {"schema/orders.sql", "-- depends: users.sql, types\nCREATE TABLE orders (x int);"},
      {"schema/types.sql", "CREATE TYPE mood AS ENUM ('ok');"},
      {"schema/users.sql", "-- The users.\n  --   depends:   types\nCREATE TABLE users ();"},
      {"schema/audit.sql", "CREATE TABLE audit (x int);"},
  };
  // "--   depends:" is not the line: only "-- depends:" counts.
  files[2].text = "-- The users.\n-- depends: types.sql\nCREATE TABLE users ();";
  CHECK(ordered(files) ==
        std::vector<std::string>{"audit.sql", "types.sql", "users.sql", "orders.sql"});
  // Several lines add up, with spaces or commas between names.
  files[0].text = "-- depends: users\n-- depends: types audit\nCREATE TABLE orders (x int);";
  CHECK(ordered(files) ==
        std::vector<std::string>{"audit.sql", "types.sql", "users.sql", "orders.sql"});
}

TEST_CASE("order_schema_files: unknown names, self-dependence and cycles are errors at their line",
          "[schema][schema_files][bad-input]") {
  CHECK_THAT(error_of({{"schema/a.sql", "CREATE TABLE a ();\n-- depends: nowhere.sql\n"}}),
             Contains("schema/a.sql:2: `-- depends:` names nowhere.sql, which is not a .sql file "
                      "of this folder"));
  CHECK_THAT(error_of({{"schema/a.sql", "-- depends: a\n"}}),
             Contains("schema/a.sql:1: a schema file cannot depend on itself"));
  CHECK_THAT(error_of({{"schema/a.sql", "-- depends: c\n"},
                       {"schema/b.sql", "-- depends: a\n"},
                       {"schema/c.sql", "\n-- depends: b\n"},
                       {"schema/d.sql", ""}}),
             Contains("-- depends:` lines make a cycle (") &&
                 Contains("a.sql -> c.sql -> b.sql -> a.sql") && Contains("one of them must go"));
}
