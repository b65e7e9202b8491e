// The Make targets of make/migrate.mk, included the way another project would use them.
#include <catch2/catch.hpp>

#include "support/project.hpp"
#include "support/sqlite_probe.hpp"

using namespace migrate::test;
using Catch::Contains;

namespace {

ProcessResult make(const Project& project, std::vector<std::string> arguments) {
  std::vector<std::string> argv{"make", "--no-print-directory", "-f",
                                (source_dir() / "make" / "migrate.mk").string(),
                                "MIGRATE=" + tool_path("migrate").string()};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  return run_process(argv, {.cwd = project.root()});
}

}  // namespace

TEST_CASE("make targets: the daily loop", "[e2e][make]") {
  Project project;
  project.add("0001_create_users.sql",
              migration_text("CREATE TABLE users (id INTEGER);", "DROP TABLE users;"));
  ProcessResult created = make(project, {"migrate-create", "MESSAGE=it's \"quoted\" & fine"});
  INFO(created.err);
  REQUIRE(created.exit_code == 0);
  CHECK_THAT(created.out, Contains("_it_s_quoted_fine.sql"));
  CHECK_THAT(created.out, Contains("migrations/"));
  // Write the migration the way a developer would; the template's sections are comments only.
  std::filesystem::path file = project.root() / created.out.substr(0, created.out.find('\n'));
  std::string text = read_text(file);
  write_text(file, text.substr(0, text.find("-- migrate:up")) +
                       migration_text("ALTER TABLE users ADD COLUMN phone TEXT;",
                                      "ALTER TABLE users DROP COLUMN phone;"));

  ProcessResult upgraded = make(project, {"migrate-upgrade"});
  INFO(upgraded.err);
  REQUIRE(upgraded.exit_code == 0);
  CHECK(applied_ids(project.db()).size() == 2);

  ProcessResult current = make(project, {"migrate-current"});
  CHECK(current.exit_code == 0);
  CHECK_THAT(current.out, Contains("(head)"));
  ProcessResult history = make(project, {"migrate-history"});
  CHECK(history.exit_code == 0);
  CHECK_THAT(history.out, Contains("it's \"quoted\" & fine"));

  ProcessResult downgraded = make(project, {"migrate-downgrade"});  // REVISION defaults to -1
  CHECK(downgraded.exit_code == 0);
  CHECK(applied_ids(project.db()) == std::vector<std::string>{"0001"});
  CHECK(make(project, {"migrate-downgrade", "REVISION=base"}).exit_code == 0);
  CHECK(applied_ids(project.db()).empty());
  CHECK(make(project, {"migrate-upgrade", "REVISION=0001"}).exit_code == 0);
  CHECK(applied_ids(project.db()) == std::vector<std::string>{"0001"});
}

TEST_CASE("make targets: migrate-create without MESSAGE explains itself", "[e2e][make]") {
  Project project;
  ProcessResult result = make(project, {"migrate-create"});
  CHECK(result.exit_code != 0);
  CHECK_THAT(result.err, Contains("usage: make migrate-create MESSAGE="));
}

TEST_CASE("make targets: MESSAGE keeps $, backticks and $(…) as text", "[e2e][make]") {
  Project project;
  ProcessResult created =
      make(project, {"migrate-create", "MESSAGE=quote \"it\" $HOME `id` $(shell echo run)"});
  INFO(created.err);
  REQUIRE(created.exit_code == 0);
  std::filesystem::path file = project.root() / created.out.substr(0, created.out.find('\n'));
  CHECK_THAT(read_text(file), Contains("-- quote \"it\" $HOME `id` $(shell echo run)\n"));
  CHECK_THAT(created.out, Contains("_quote_it_home_id_shell_echo_run.sql"));
}

TEST_CASE("make targets: migrate-redo applies an edited migration again", "[e2e][make]") {
  Project project;
  project.add("0001_t.sql", migration_text("CREATE TABLE t (a INTEGER);", "DROP TABLE t;"));
  REQUIRE(make(project, {"migrate-upgrade"}).exit_code == 0);
  project.add("0001_t.sql", migration_text("CREATE TABLE t (a INTEGER, b TEXT);", "DROP TABLE t;"));
  ProcessResult redone = make(project, {"migrate-redo"});
  INFO(redone.err);
  CHECK(redone.exit_code == 0);
  CHECK(sqlite_column(project.db(), "SELECT name FROM pragma_table_info('t')") ==
        std::vector<std::string>{"a", "b"});
}

TEST_CASE("make targets: an including Makefile keeps its own default goal", "[e2e][make]") {
  // A plain `make` ran migrate-create's usage error when the fragment was included first.
  Project project;
  project.add("0001_t.sql", migration_text("CREATE TABLE t (a INTEGER);", "DROP TABLE t;"));
  std::string include = "include " + (source_dir() / "make" / "migrate.mk").string() + "\n";
  std::string own = "all:\n\t@echo the own build of the project\n";
  SECTION("included first") {
    write_text(project.root() / "Makefile", include + own);
  }
  SECTION("included last") {
    write_text(project.root() / "Makefile", own + include);
  }
  std::vector<std::string> make_argv{"make", "--no-print-directory",
                                     "MIGRATE=" + tool_path("migrate").string()};
  ProcessResult plain = run_process(make_argv, {.cwd = project.root()});
  INFO(plain.err);
  CHECK(plain.exit_code == 0);
  CHECK(plain.out == "the own build of the project\n");
  CHECK_THAT(plain.err, !Contains("usage"));
  CHECK_FALSE(std::filesystem::exists(project.db()));
  // The fragment's targets still work through the include.
  make_argv.push_back("migrate-upgrade");
  ProcessResult upgraded = run_process(make_argv, {.cwd = project.root()});
  INFO(upgraded.err);
  CHECK(upgraded.exit_code == 0);
  CHECK(applied_ids(project.db()) == std::vector<std::string>{"0001"});
}

TEST_CASE("make targets: a default goal the includer set before stays", "[e2e][make]") {
  Project project;
  write_text(project.root() / "Makefile", ".DEFAULT_GOAL := second\ninclude " +
                                              (source_dir() / "make" / "migrate.mk").string() +
                                              "\nfirst:\n\t@echo first\nsecond:\n\t@echo second\n");
  ProcessResult plain = run_process({"make", "--no-print-directory"}, {.cwd = project.root()});
  CHECK(plain.exit_code == 0);
  CHECK(plain.out == "second\n");
}

TEST_CASE("make targets: migrate-dump and migrate-diff", "[e2e][make][diff]") {
  Project project;
  project.add("0001_create_users.sql",
              migration_text("CREATE TABLE users (id INTEGER);", "DROP TABLE users;"));
  REQUIRE(make(project, {"migrate-upgrade"}).exit_code == 0);
  ProcessResult dump = make(project, {"migrate-dump"});
  CHECK(dump.exit_code == 0);
  CHECK_THAT(dump.out, Contains("CREATE TABLE users ("));
  CHECK(make(project, {"migrate-dump", "DUMP=my schema.sql"}).exit_code == 0);
  CHECK(read_text(project.root() / "my schema.sql") == dump.out);

  write_text(project.root() / "schema.sql", "CREATE TABLE users (id INTEGER, phone TEXT);\n");
  ProcessResult diff = make(project, {"migrate-diff", "FROM=migrations@head", "TO=schema.sql"});
  INFO(diff.err);
  CHECK(diff.exit_code == 0);
  CHECK_THAT(diff.out, Contains("ALTER TABLE users ADD COLUMN phone TEXT;"));
  CHECK(
      make(project, {"migrate-diff", "FROM=migrations@head", "TO=schema.sql", "DIFF_FLAGS=--check"})
          .exit_code != 0);
  ProcessResult usage = make(project, {"migrate-diff", "FROM=migrations@head"});
  CHECK(usage.exit_code != 0);
  CHECK_THAT(usage.err, Contains("usage: make migrate-diff FROM=migrations@head TO=schema/"));
}

TEST_CASE("make targets: migrate-verify, with VERIFY_FLAGS", "[e2e][make][verify]") {
  Project project;
  project.add("0001_create_users.sql",
              migration_text("CREATE TABLE users (id INTEGER);", "DROP TABLE users;"));
  ProcessResult verified = make(project, {"migrate-verify"});
  INFO(verified.err);
  CHECK(verified.exit_code == 0);
  CHECK_THAT(verified.out, Contains("verified: 4 checks, 4 passed"));
  project.add("0002_index.sql",
              migration_text("CREATE INDEX users_id ON users (id);", "SELECT 1;"));
  ProcessResult failed =
      make(project, {"migrate-verify", "VERIFY_FLAGS=--junit verify.xml --since 0001"});
  CHECK(failed.exit_code != 0);
  CHECK_THAT(failed.out, Contains("still to drop index users_id"));
  CHECK_THAT(read_text(project.root() / "verify.xml"), Contains("<failure"));
}
