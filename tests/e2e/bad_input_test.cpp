// Bad input a user can produce: a clear message, the right exit code, and nothing lost.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "support/postgres.hpp"
#include "support/project.hpp"
#include "support/sqlite_probe.hpp"

using namespace migrate::test;
using Catch::Contains;

namespace {

/// A bad migration set is exit 2 for every tool that reads it, and no database is created.
void expect_rejected(const Project& project, const std::string& message) {
  for (const char* tool : {"migrate-upgrade", "migrate-current", "migrate-history"}) {
    INFO(tool);
    ProcessResult result = project.run(tool);
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Contains(message));
  }
  CHECK_FALSE(std::filesystem::exists(project.db()));
}

}  // namespace

TEST_CASE("bad input: a migration without '-- migrate:up'", "[e2e][bad-input]") {
  Project project;
  project.add("0001_a.sql", "-- Just a comment.\n");
  expect_rejected(project, "migrations/0001_a.sql: no '-- migrate:up' line");
}

TEST_CASE("bad input: text before the markers that is not a comment", "[e2e][bad-input]") {
  Project project;
  project.add("0001_a.sql", "-- Title.\nCREATE TABLE a (x);\n-- migrate:up\nSELECT 1;\n");
  expect_rejected(project, "migrations/0001_a.sql:2: text before '-- migrate:up' is not a comment");
}

TEST_CASE("bad input: a .sql file whose name has no id", "[e2e][bad-input]") {
  Project project;
  project.add("0001_a.sql", migration_text("SELECT 1;"));
  project.add("schema.sql", "CREATE TABLE a (x);\n");
  expect_rejected(project, "migrations/schema.sql: the file name has no leading id");
}

TEST_CASE("bad input: an unknown section option names its line", "[e2e][bad-input]") {
  Project project;
  project.add("0001_a.sql", "-- migrate:up transactions:off\nSELECT 1;\n");
  expect_rejected(project, "migrations/0001_a.sql:1: unknown section option 'transactions:off'");
}

TEST_CASE("bad input: two files with the same id", "[e2e][bad-input]") {
  Project project;
  project.add("0001_a.sql", migration_text("SELECT 1;"));
  project.add("0001_b.sql", migration_text("SELECT 2;"));
  expect_rejected(project, "duplicate id 0001");
  ProcessResult result = project.run("migrate-current");
  CHECK_THAT(result.err, Contains("0001_a.sql"));
  CHECK_THAT(result.err, Contains("0001_b.sql"));
}

TEST_CASE("bad input: a dependency cycle names the files", "[e2e][bad-input]") {
  Project project;
  project.add("0001_a.sql", migration_text("SELECT 1;", "", "-- depends: 0002"));
  project.add("0002_b.sql", migration_text("SELECT 2;", "", "-- depends: 0001"));
  expect_rejected(project, "cycle");
  ProcessResult result = project.run("migrate-current");
  CHECK_THAT(result.err, Contains("0001_a.sql"));
  CHECK_THAT(result.err, Contains("0002_b.sql"));
}

TEST_CASE("bad input: a parent that does not exist", "[e2e][bad-input]") {
  Project project;
  project.add("0001_a.sql", migration_text("SELECT 1;"));
  project.add("0002_b.sql", migration_text("SELECT 2;", "", "-- Title.\n-- depends: 0007_gone"));
  expect_rejected(project,
                  "migrations/0002_b.sql:2: depends on 0007_gone, which is not a migration");
}

TEST_CASE("bad input: several broken files are reported together", "[e2e][bad-input]") {
  Project project;
  project.add("0001_a.sql", "nothing\n");
  project.add("0002_b.sql", "-- migrate:down\nSELECT 1;\n");
  ProcessResult result = project.run("migrate-upgrade");
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Contains("2 migration files are invalid"));
  CHECK_THAT(result.err, Contains("0001_a.sql"));
  CHECK_THAT(result.err, Contains("0002_b.sql"));
}

TEST_CASE("bad input: unknown and ambiguous revisions", "[e2e][bad-input]") {
  Project project;
  project.add("202611010900_a.sql", migration_text("SELECT 1;", "SELECT 1;"));
  project.add("202611010915_b.sql", migration_text("SELECT 1;", "SELECT 1;"));
  ProcessResult unknown = project.run("migrate-upgrade", {"2025"});
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.err, Contains("unknown revision '2025'"));
  ProcessResult ambiguous = project.run("migrate-upgrade", {"2026110109"});
  CHECK(ambiguous.exit_code == 2);
  CHECK_THAT(ambiguous.err, Contains("ambiguous"));
  CHECK_THAT(ambiguous.err, Contains("202611010900_a, 202611010915_b"));
  ProcessResult word = project.run("migrate-downgrade", {"latest"});
  CHECK(word.exit_code == 2);
  CHECK_FALSE(std::filesystem::exists(project.db()));
}

TEST_CASE("bad input: several heads where one is needed", "[e2e][bad-input]") {
  Project project;
  project.add("0001_root.sql", migration_text("SELECT 1;", "SELECT 1;"));
  project.add("0002_left.sql", migration_text("SELECT 1;", "SELECT 1;", "-- depends: 0001"));
  project.add("0003_right.sql", migration_text("SELECT 1;", "SELECT 1;", "-- depends: 0001"));
  ProcessResult result = project.run("migrate-upgrade");
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Contains("2 heads: 0002_left, 0003_right"));
  CHECK_THAT(result.err, Contains("migrate-merge"));
  CHECK(project.run("migrate-upgrade", {"heads"}).exit_code == 0);
  CHECK(applied_ids(project.db()) == std::vector<std::string>{"0001", "0002", "0003"});
}

TEST_CASE("bad input: bad database URLs are exit 2 and never show a password", "[e2e][bad-input]") {
  Project project;
  project.add("0001_a.sql", migration_text("SELECT 1;"));
  ProcessResult scheme =
      project.run("migrate-upgrade", {"--database", "mysql://root:hunter2@db/x"});
  CHECK(scheme.exit_code == 2);
  CHECK_THAT(scheme.err, Contains("unknown scheme 'mysql'"));
  CHECK_THAT(scheme.err, !Contains("hunter2"));
  ProcessResult empty = project.run("migrate-upgrade", {"--database", "sqlite:"});
  CHECK(empty.exit_code == 2);
  CHECK_THAT(empty.err, Contains("no file path"));
  ProcessResult env = project.run("migrate-current", {}, {.env = {{"DATABASE_URL", "nonsense"}}});
  CHECK(env.exit_code == 2);
  CHECK_THAT(env.err, Contains("bad database URL 'nonsense'"));
}

TEST_CASE("bad input: a database file in a folder that does not exist", "[e2e][bad-input]") {
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x);"));
  ProcessResult result = project.run("migrate-upgrade", {"--database", "sqlite:missing/dir/x.db"});
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Contains("the folder"));
  CHECK_THAT(result.err, Contains("missing/dir does not exist"));
  CHECK_FALSE(std::filesystem::exists(project.root() / "missing"));
}

TEST_CASE("bad input: a database file in a read-only folder", "[e2e][bad-input]") {
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x);"));
  std::filesystem::path locked = project.root() / "locked";
  std::filesystem::create_directories(locked);
  ::chmod(locked.c_str(), 0555);
  // Root ignores permissions: run the tool as an unprivileged user then, from a copy inside
  // the project (the build folder may be where that user cannot go, e.g. under /root).
  std::filesystem::path tool = copy_tool("migrate-upgrade", project.root());
  ProcessResult result = run_process({tool.string(), "--database", "sqlite:locked/x.db"},
                                     {.cwd = project.root(), .as_unprivileged_user = true});
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Contains("is not writable"));
  CHECK_FALSE(std::filesystem::exists(locked / "x.db"));
}

TEST_CASE("bad input: migrate.conf with a syntax error or an unknown key", "[e2e][bad-input]") {
  Project project;
  project.add("0001_a.sql", migration_text("SELECT 1;"));
  SECTION("syntax") {
    write_text(project.root() / "migrate.conf", "[migrate\n\tdir = migrations\n");
    ProcessResult result = project.run("migrate-current");
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Contains("migrate.conf"));
    CHECK_THAT(result.err, Contains("not valid git-config syntax"));
  }
  SECTION("unknown key") {
    write_text(project.root() / "migrate.conf", "[migrate]\n\tdatabse = sqlite:x.db\n");
    ProcessResult result = project.run("migrate-current");
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Contains("unknown setting 'migrate.databse'"));
  }
  SECTION("unknown --env") {
    write_text(project.root() / "migrate.conf",
               "[env \"staging\"]\n\tdatabase = sqlite:staging.db\n");
    ProcessResult result = project.run("migrate-current", {"--env", "production"});
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Contains("no [env \"production\"] section (it has: staging)"));
    ProcessResult staging = project.run("migrate-upgrade", {"--env", "staging"});
    CHECK(staging.exit_code == 0);
    CHECK(std::filesystem::exists(project.root() / "staging.db"));
  }
  SECTION("unset variable") {
    write_text(project.root() / "migrate.conf", "[migrate]\n\tdatabase = ${NOT_SET_ANYWHERE}\n");
    ProcessResult result = project.run("migrate-current");
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Contains("${NOT_SET_ANYWHERE}, which is not set"));
  }
  CHECK_FALSE(std::filesystem::exists(project.db()));
}

TEST_CASE("bad input: a missing migrations folder", "[e2e][bad-input]") {
  Project project;
  std::filesystem::remove_all(project.migrations());
  ProcessResult result = project.run("migrate-upgrade");
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Contains("cannot read the migrations folder migrations"));
}

TEST_CASE("bad input: a state table made by another tool is never altered", "[e2e][bad-input]") {
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x);"));
  sqlite_exec(project.db(),
              "CREATE TABLE schema_migrations (version TEXT PRIMARY KEY);"
              "INSERT INTO schema_migrations VALUES ('20200101000000');");
  ProcessResult result = project.run("migrate-upgrade");
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Contains("is dbmate's state table, not migrate's"));
  CHECK_THAT(result.err, Contains("migrate adopt"));
  CHECK(sqlite_column(project.db(), "SELECT version FROM schema_migrations") ==
        std::vector<std::string>{"20200101000000"});
  CHECK(schema_objects(project.db()) == std::vector<std::string>{"schema_migrations"});
}

namespace {

/// A migration whose up section hides a second statement behind a NUL byte (line 4): the
/// database would read only the first one and report both done.
std::string text_with_nul() {
  using namespace std::string_literals;
  return "-- Create n.\n-- migrate:up\nCREATE TABLE n (a int);\nSELECT 1;\0DROP TABLE t;\n"
         "-- migrate:down\nDROP TABLE n;\n"s;
}

}  // namespace

TEST_CASE("bad input: a NUL byte in a migration is a parse error, not a silent cut (SQLite)",
          "[e2e][bad-input]") {
  Project project;
  project.add("0001_t.sql", migration_text("CREATE TABLE t (x int);", "DROP TABLE t;"));
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  project.add("0002_nul.sql", text_with_nul());
  for (const char* tool : {"migrate-upgrade", "migrate-current", "migrate-history"}) {
    INFO(tool);
    ProcessResult result = project.run(tool);
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Contains("migrations/0002_nul.sql:4: a NUL byte (\\0) in column 10"));
  }
  CHECK(schema_objects(project.db()) == std::vector<std::string>{"schema_migrations", "t"});
  CHECK(applied_ids(project.db()) == std::vector<std::string>{"0001"});
}

TEST_CASE("bad input: a NUL byte in a migration is a parse error, not a silent cut (PostgreSQL)",
          "[e2e][bad-input][postgres]") {
  PostgresDatabase db;
  Project project;
  project.add("0001_t.sql", migration_text("CREATE TABLE t (x int);", "DROP TABLE t;"));
  REQUIRE(project.run("migrate-upgrade", {"--database", db.url()}).exit_code == 0);
  project.add("0002_nul.sql", text_with_nul());
  ProcessResult result = project.run("migrate-upgrade", {"--database", db.url()});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Contains("migrations/0002_nul.sql:4: a NUL byte"));
  CHECK(db.relations() == std::vector<std::string>{"schema_migrations", "t"});
  CHECK(db.applied_ids() == std::vector<std::string>{"0001"});
}

TEST_CASE("bad input: a NUL byte in the down file of a golang-migrate pair", "[e2e][bad-input]") {
  using namespace std::string_literals;
  Project project;
  project.add("0001_t.up.sql", "CREATE TABLE t (x int);\n");
  project.add("0001_t.down.sql", "\nDROP TABLE t;\0DROP TABLE other;\n"s);
  ProcessResult result = project.run("migrate-upgrade");
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Contains("migrations/0001_t.down.sql:2: a NUL byte (\\0) in column 14"));
  CHECK_FALSE(std::filesystem::exists(project.db()));
}

TEST_CASE("bad input: a dangling link, a folder and a .SQL file are never skipped",
          "[e2e][bad-input]") {
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x);"));
  std::filesystem::create_symlink("nowhere.sql", project.migrations() / "0002_x.sql");
  expect_rejected(project, "migrations/0002_x.sql: a symbolic link to nowhere.sql");
  std::filesystem::remove(project.migrations() / "0002_x.sql");
  std::filesystem::create_directory(project.migrations() / "0002_dir.sql");
  expect_rejected(project, "migrations/0002_dir.sql: a folder named like a migration file");
  std::filesystem::remove(project.migrations() / "0002_dir.sql");
  project.add("0002_x.SQL", migration_text("CREATE TABLE x (x);"));
  expect_rejected(project, "migrations/0002_x.SQL: the name ends in '.SQL'");
}

TEST_CASE("bad input: a bad table or database in migrate.conf names the file", "[e2e][bad-input]") {
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x);"));
  write_text(project.root() / "migrate.conf", "[migrate]\n\ttable = \"bad; drop\"\n");
  for (const char* tool : {"migrate-current", "migrate-upgrade"}) {
    INFO(tool);
    ProcessResult result = project.run(tool);
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err,
               Contains("migrate.conf: table = bad; drop: use letters, digits and '_'"));
  }
  write_text(project.root() / "migrate.conf", "[migrate]\n\tdatabase =\n");
  ProcessResult empty = project.run("migrate-current");
  CHECK(empty.exit_code == 2);
  CHECK_THAT(empty.err, Contains("[migrate] in " + (project.root() / "migrate.conf").string() +
                                 ": bad database URL '': it is empty"));
  ProcessResult variable = project.run("migrate-current", {}, {.env = {{"DATABASE_URL", "x"}}});
  CHECK_THAT(variable.err, Contains("DATABASE_URL: bad database URL 'x'"));
  CHECK_FALSE(std::filesystem::exists(project.db()));
}
