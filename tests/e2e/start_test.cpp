// What a tool loads when it starts (util/module.hpp): the SQLite engine (libsqlite3) only when a
// SQLite database is used, PostgreSQL's SQL (libpg_query) only when PostgreSQL's SQL is read and
// its connections (libpq) only when a PostgreSQL database is used, and git (libgit2) only when a
// command reads a repository or migrate.conf. The dynamic loader's own trace (LD_DEBUG=files) says
// which libraries a process loaded.
#include <chrono>
#include <optional>
#include <thread>

#include <catch2/catch.hpp>

#include "support/git_work_tree.hpp"
#include "support/postgres.hpp"
#include "support/project.hpp"
#include "support/temp_dir.hpp"

using namespace migrate::test;
using Catch::Contains;

namespace {

const RunOptions kTraced = {.env = {{"LD_DEBUG", "files"}}};

ProcessResult traced(const Project& project, std::string_view tool,
                     const std::vector<std::string>& args) {
  return project.run(tool, args, kTraced);
}

}  // namespace

TEST_CASE("start: --version loads no database engine and no git", "[e2e][start]") {
  Project project;
  ProcessResult result = traced(project, "migrate-current", {"--version"});
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.err, Contains("libmigrate.so"));
  for (const char* library : {"libmigrate-sqlite.so", "libsqlite3.so", "libmigrate-postgres.so",
                              "libpq.so", "libmigrate-git.so", "libgit2.so"}) {
    CHECK_THAT(result.err, !Contains(library));
  }
}

TEST_CASE("start: a tool loads an engine's module only to use a database of that engine",
          "[e2e][start]") {
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x INT);"));
  SECTION("SQLite") {
    ProcessResult result = traced(project, "migrate-upgrade", {});
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.err, Contains("libmigrate-sqlite.so"));
    CHECK_THAT(result.err, Contains("libsqlite3.so"));
    CHECK_THAT(result.err, !Contains("libmigrate-postgres.so"));
    CHECK_THAT(result.err, !Contains("libpq.so"));
  }
  SECTION("PostgreSQL") {
    PostgresDatabase database;
    ProcessResult result = traced(project, "migrate-upgrade", {"--database", database.url()});
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.err, Contains("libmigrate-postgres.so"));
    CHECK_THAT(result.err, Contains("libmigrate-postgres-sql.so"));
    CHECK_THAT(result.err, Contains("libpq.so"));
    CHECK_THAT(result.err, !Contains("libmigrate-sqlite.so"));
    CHECK_THAT(result.err, !Contains("libsqlite3.so"));
    CHECK(database.applied_ids() == std::vector<std::string>{"0001"});
  }
}

TEST_CASE("start: a linter of PostgreSQL's SQL loads its parser, not its client", "[e2e][start]") {
  Project project;
  write_text(project.root() / "migrate.conf",
             "[migrate]\n\tdatabase = postgres://nobody@localhost/app\n");
  project.add("0001_a.sql", migration_text("CREATE INDEX i ON t (x);", "DROP INDEX i;"));
  ProcessResult result = traced(project, "migrate-lint", {});
  INFO(result.out);
  CHECK(result.exit_code == 3);  // its finding: CREATE INDEX without CONCURRENTLY
  CHECK_THAT(result.out, Contains("require-concurrent-index-creation"));
  CHECK_THAT(result.err, Contains("libmigrate-postgres-sql.so"));
  for (const char* library : {"libmigrate-postgres.so", "libpq.so", "libmigrate-sqlite.so"}) {
    CHECK_THAT(result.err, !Contains(library));
  }
}

TEST_CASE("start: a tool loads the git module only to read a repository or migrate.conf",
          "[e2e][start]") {
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x INT);"));
  SECTION("no repository, no migrate.conf") {
    ProcessResult result = traced(project, "migrate-current", {});
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.err, !Contains("libmigrate-git.so"));
    CHECK_THAT(result.err, !Contains("libgit2.so"));
  }
  SECTION("an upgrade outside a repository records no commit, and loads no git for it") {
    ProcessResult result = traced(project, "migrate-upgrade", {});
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.err, !Contains("libmigrate-git.so"));
    CHECK_THAT(result.err, !Contains("libgit2.so"));
    CHECK(sqlite_column(project.db(), "SELECT git_commit FROM schema_migrations") ==
          std::vector<std::string>{"NULL"});
  }
  SECTION("an upgrade in a repository records HEAD's commit, through libgit2") {
    GitWorkTree repository(project.root());
    std::string head = repository.commit("the first migration");
    ProcessResult result = traced(project, "migrate-upgrade", {});
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.err, Contains("libgit2.so"));
    CHECK(sqlite_column(project.db(), "SELECT git_commit FROM schema_migrations") ==
          std::vector<std::string>{head});
  }
  SECTION("a command that reads the repository") {
    GitWorkTree repository(project.root());
    repository.commit("the first migration");
    ProcessResult result = traced(project, "migrate-history", {"--json"});
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.err, Contains("libmigrate-git.so"));
    CHECK_THAT(result.out, Contains("\"summary\":\"the first migration\""));  // through libgit2
  }
}

TEST_CASE("start: outside a repository, commands that read one when there is one load no git",
          "[e2e][start]") {
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x INT);", "DROP TABLE a;"));
  ProcessResult lint = traced(project, "migrate-lint", {});
  ProcessResult verify = traced(project, "migrate-verify", {});
  ProcessResult check = traced(project, "migrate-check", {});
  CHECK(lint.exit_code == 0);
  CHECK(verify.exit_code == 0);
  CHECK(check.exit_code == 2);  // it needs a repository, and says so
  CHECK_THAT(check.err, Contains("works on a git repository, and"));
  for (const ProcessResult* result : {&lint, &verify, &check}) {
    CHECK_THAT(result->err, !Contains("libmigrate-git.so"));
    CHECK_THAT(result->err, !Contains("libgit2.so"));
  }
}

TEST_CASE("start: migrate.conf read once by libgit2 is then read without it",
          "[e2e][start][config_cache]") {
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x INT);"));
  std::optional<GitWorkTree> repository;
  SECTION("in a repository") {
    repository.emplace(project.root());
    repository->write("migrate.conf", "[migrate]\n\tdir = migrations\n");
    repository->commit("a migration and migrate.conf");
  }
  SECTION("outside one (a deploy's copy): remembered in the user's cache folder") {
    write_text(project.root() / "migrate.conf", "[migrate]\n\tdir = migrations\n");
  }
  // A file changed less than two seconds ago is parsed each time (ReadStart::racy).
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  ProcessResult first = traced(project, "migrate-current", {});
  CHECK(first.exit_code == 0);
  CHECK_THAT(first.err, Contains("libgit2.so"));  // parsed, and remembered
  ProcessResult second = traced(project, "migrate-current", {});
  CHECK(second.exit_code == 0);
  CHECK_THAT(second.err, !Contains("libmigrate-git.so"));
  CHECK_THAT(second.err, !Contains("libgit2.so"));
  CHECK(second.out == first.out);
  // A change is read, by git again.
  write_text(project.root() / "migrate.conf", "[migrate]\n\tdir = elsewhere\n");
  ProcessResult changed = traced(project, "migrate-current", {});
  CHECK(changed.exit_code == 2);  // its folder does not exist: a configuration error
  CHECK_THAT(changed.err, Contains("libgit2.so"));
  CHECK_THAT(changed.err, Contains("elsewhere"));
}

TEST_CASE("start: outside a repository with no cache folder, migrate.conf is read each time",
          "[e2e][start][config_cache]") {
  // A service started with no HOME, or a home it cannot write: no shortcut, the same answers,
  // and nothing said about it.
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x INT);"));
  write_text(project.root() / "migrate.conf", "[migrate]\n\tdir = migrations\n");
  write_text(project.root() / "not-a-folder", "");
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  for (const std::string& home : {std::string(), (project.root() / "not-a-folder").string()}) {
    INFO("XDG_CACHE_HOME=" << home);
    RunOptions options = {.env = {{"XDG_CACHE_HOME", home}, {"HOME", home}}};
    ProcessResult first = project.run("migrate-current", {}, options);
    options.env["LD_DEBUG"] = "files";
    ProcessResult second = project.run("migrate-current", {}, options);
    CHECK(first.exit_code == 0);
    CHECK(first.err.empty());
    CHECK(second.exit_code == 0);
    CHECK_THAT(second.err, Contains("libgit2.so"));
    CHECK(second.out == first.out);
  }
}

TEST_CASE("start: HEAD's commit read once by libgit2 is then read without it, until it moves",
          "[e2e][start][head_commit_cache]") {
  Project project;
  GitWorkTree repository(project.root());
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x INT);"));
  std::string first = repository.commit("the first migration");
  // A file changed less than two seconds ago is read by git each time (ReadStart::racy).
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  ProcessResult read = traced(project, "migrate-upgrade", {});
  CHECK(read.exit_code == 0);
  CHECK_THAT(read.err, Contains("libgit2.so"));  // read, and remembered
  project.add("0002_b.sql", migration_text("CREATE TABLE b (x INT);"));
  ProcessResult remembered = traced(project, "migrate-upgrade", {});
  CHECK(remembered.exit_code == 0);
  CHECK_THAT(remembered.err, !Contains("libgit2.so"));
  std::string second = repository.commit("the second migration");
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  project.add("0003_c.sql", migration_text("CREATE TABLE c (x INT);"));
  ProcessResult moved = traced(project, "migrate-upgrade", {});
  CHECK(moved.exit_code == 0);
  CHECK_THAT(moved.err, Contains("libgit2.so"));  // the branch's file changed: read again
  CHECK(sqlite_column(project.db(), "SELECT git_commit FROM schema_migrations ORDER BY id") ==
        std::vector<std::string>{first, first, second});
}

TEST_CASE("start: an install without its git module says so, and upgrades without git",
          "[e2e][start]") {
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x INT);"));
  std::filesystem::path install = project.root() / "install";
  std::filesystem::path upgrade = copy_tool("migrate-upgrade", install);
  std::filesystem::path check = copy_tool("migrate-check", install);
  std::filesystem::remove(install / "lib" / "migrate" / "libmigrate-git.so");
  SECTION("an upgrade records no commit, as outside a repository") {
    ProcessResult result = run_process({upgrade.string()}, {.cwd = project.root()});
    CHECK(result.exit_code == 0);
    CHECK(applied_ids(project.db()) == std::vector<std::string>{"0001"});
    CHECK(sqlite_column(project.db(), "SELECT git_commit FROM schema_migrations") ==
          std::vector<std::string>{"NULL"});
  }
  SECTION("a command that needs git") {
    GitWorkTree repository(project.root());
    repository.commit("the first migration");
    ProcessResult result = run_process({check.string()}, {.cwd = project.root()});
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.err, Contains("cannot load git support: "));
    CHECK_THAT(result.err, Contains("libmigrate-git.so: cannot open shared object file"));
    CHECK_THAT(result.err, Contains("reinstall migrate (make install)"));
  }
}
