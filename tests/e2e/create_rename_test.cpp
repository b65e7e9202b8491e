// migrate-create with `schema` configured, when a drop and an add look like a rename: asked on a
// terminal (a pseudo-terminal here, as a person's shell), an error naming the annotation
// without one.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "support/project.hpp"
#include "support/run_tool.hpp"
#include "support/sqlite_probe.hpp"
#include "support/terminal_run.hpp"

using namespace migrate::test;
using Catch::Contains;

namespace {

void write_model(const Project& project, const std::string& schema) {
  write_text(project.root() / "migrate.conf", "[migrate]\n\tschema = schema/\n");
  std::filesystem::create_directories(project.root() / "schema");
  write_text(project.root() / "schema" / "app.sql", schema);
}

std::vector<std::filesystem::path> migration_files(const Project& project) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(project.migrations())) {
    if (entry.path().extension() == ".sql") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

/// users(id, name) created and applied, with a row, then the model renames name to full_name.
void renamed_column(const Project& project) {
  write_model(project, "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n");
  REQUIRE(project.run("migrate-create", {"create users"}).exit_code == 0);
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  sqlite_exec(project.db(), "INSERT INTO users VALUES (1, 'Ann')");
  write_model(project, "CREATE TABLE users (id INTEGER PRIMARY KEY, full_name TEXT);\n");
}

RunOptions in(const Project& project) {
  return {.cwd = project.root(), .env = {{"NO_COLOR", "1"}}};
}

}  // namespace

TEST_CASE("create: a possible rename answered yes on a terminal becomes a rename",
          "[e2e][create][diff][terminal]") {
  Project project;
  renamed_column(project);
  TerminalResult run = run_in_terminal("migrate-create", {"rename name"}, in(project), {"y"});
  INFO(run.screen);
  REQUIRE(run.exit_code == 0);
  CHECK_THAT(run.screen, Contains("Was column users.name renamed to full_name? [y/N] y"));
  CHECK_THAT(run.screen, !Contains("@renamed"));  // answered: no hint about annotations
  std::string text = read_text(migration_files(project).back());
  CHECK_THAT(text, Contains("rename column users.name to full_name"));
  CHECK_THAT(text, Contains("RENAME COLUMN"));
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  // The data stayed with the column.
  CHECK(sqlite_column(project.db(), "SELECT full_name FROM users") ==
        std::vector<std::string>{"Ann"});
}

TEST_CASE(
    "create: a possible rename answered no is a drop and an add, which needs "
    "--allow-destructive",
    "[e2e][create][diff][terminal]") {
  Project project;
  renamed_column(project);
  std::size_t before = migration_files(project).size();
  TerminalResult no = run_in_terminal("migrate-create", {"rename name"}, in(project), {"n"});
  INFO(no.screen);
  CHECK(no.exit_code == 3);
  CHECK_THAT(no.screen, Contains("renamed to full_name? [y/N] n"));
  CHECK_THAT(no.screen, Contains("would delete data") && Contains("--allow-destructive"));
  CHECK(migration_files(project).size() == before);

  // Enter alone is no; with --allow-destructive the drop and the add are written.
  TerminalResult dropped =
      run_in_terminal("migrate-create", {"--allow-destructive", "drop name"}, in(project), {""});
  INFO(dropped.screen);
  REQUIRE(dropped.exit_code == 0);
  std::string text = read_text(migration_files(project).back());
  CHECK_THAT(text, Contains("drop column name") && Contains("add column full_name"));
}

TEST_CASE(
    "create: without a terminal a possible rename is an error naming both sides and the "
    "annotation",
    "[e2e][create][diff][bad-input]") {
  Project project;
  renamed_column(project);
  std::size_t before = migration_files(project).size();
  ProcessResult piped = project.run("migrate-create", {"rename name"});
  CHECK(piped.exit_code == 3);
  CHECK_THAT(piped.err,
             Contains("column users.name is dropped and full_name added with the same type: if "
                      "it is a rename, put `-- @renamed from=name` on the line of full_name in "
                      "the schema file"));
  CHECK(migration_files(project).size() == before);

  // The annotation makes it a rename with no question.
  write_model(project,
              "CREATE TABLE users (id INTEGER PRIMARY KEY,\n"
              "  full_name TEXT -- @renamed from=name\n);\n");
  ProcessResult annotated = project.run("migrate-create", {"rename name"});
  INFO(annotated.err);
  REQUIRE(annotated.exit_code == 0);
  CHECK_THAT(read_text(migration_files(project).back()), Contains("RENAME COLUMN"));
}

TEST_CASE("create: a table created with a dropped one's columns is asked about as a table rename",
          "[e2e][create][diff][terminal]") {
  Project project;
  write_model(project, "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT);\n");
  REQUIRE(project.run("migrate-create", {"create people"}).exit_code == 0);
  write_model(project, "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n");
  TerminalResult run = run_in_terminal("migrate-create", {"rename people"}, in(project), {"yes"});
  INFO(run.screen);
  REQUIRE(run.exit_code == 0);
  CHECK_THAT(run.screen, Contains("Was table people renamed to users? [y/N] yes"));
  CHECK_THAT(read_text(migration_files(project).back()),
             Contains("rename table people to users") && Contains("RENAME TO"));
}
