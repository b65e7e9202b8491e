// A folder of schema files loaded in the order their `-- depends:` lines ask for, by migrate-diff
// and migrate-create; a line that names nothing, or a cycle, is an error at its line.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "support/project.hpp"
#include "support/run_tool.hpp"

using namespace migrate::test;
using Catch::Contains;

namespace {

/// orders.sql indexes users, whose file sorts after it: only its `-- depends:` line makes the
/// folder load (SQLite takes a foreign key or a view over a table that is not there yet, but no
/// index on it).
void write_model(const Project& project, const std::string& orders_header) {
  std::filesystem::create_directories(project.root() / "schema");
  write_text(project.root() / "schema/orders.sql",
             orders_header +
                 "CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users);\n"
                 "CREATE INDEX users_by_id ON users (id DESC);\n");
  write_text(project.root() / "schema/users.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY);\n");
  write_text(project.root() / "migrate.conf", "[migrate]\n\tschema = schema/\n");
}

}  // namespace

TEST_CASE("schema files: -- depends: orders a folder, for diff and create",
          "[e2e][diff][schema_files]") {
  Project project;
  write_model(project, "");
  ProcessResult unordered = project.run("migrate-create", {"add orders"});
  CHECK(unordered.exit_code == 2);
  CHECK_THAT(unordered.err, Contains("schema/orders.sql:2") && Contains("users"));
  CHECK(std::filesystem::is_empty(project.migrations()));

  write_model(project, "-- depends: users.sql\n");
  ProcessResult created = project.run("migrate-create", {"add orders"});
  INFO(created.err);
  REQUIRE(created.exit_code == 0);
  CHECK(project.run("migrate-upgrade").exit_code == 0);
  ProcessResult agree = project.run("migrate-diff", {"--check", "migrations@head", "schema/"});
  CHECK(agree.exit_code == 0);
}

TEST_CASE("schema files: a -- depends: line that names nothing, or a cycle, is exit 2",
          "[e2e][diff][schema_files][bad-input]") {
  Project project;
  write_model(project, "-- depends: user.sql\n");
  ProcessResult unknown = project.run("migrate-diff", {"migrations@head", "schema/"});
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.err, Contains("schema/orders.sql:1: `-- depends:` names user.sql, which is "
                                   "not a .sql file of this folder"));
  write_text(project.root() / "schema/users.sql",
             "-- depends: orders\nCREATE TABLE users (id INTEGER PRIMARY KEY);\n");
  write_model(project, "-- depends: users\n");
  write_text(project.root() / "schema/users.sql",
             "-- depends: orders\nCREATE TABLE users (id INTEGER PRIMARY KEY);\n");
  ProcessResult cycle = project.run("migrate-create", {"add orders"});
  CHECK(cycle.exit_code == 2);
  CHECK_THAT(cycle.err, Contains("make a cycle (orders.sql -> users.sql -> orders.sql)"));
  CHECK(std::filesystem::is_empty(project.migrations()));
}
