// migrate-verify run as CI runs it: the exit code, the text, --json and --junit read back by
// parsers, --changed-since in a real git repository, bad input refused with nothing written, and
// PostgreSQL's development databases, on dev-database or a throwaway cluster (Ctrl-C included).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <signal.h>

#include <filesystem>

#include "support/git_work_tree.hpp"
#include "support/logged_run.hpp"
#include "support/postgres.hpp"
#include "support/project.hpp"
#include "support/run_tool.hpp"
#include "support/temp_dir.hpp"
#include "support/xml_query.hpp"

using namespace migrate::test;
using Catch::Contains;

namespace {

void add_history(const Project& project) {
  project.add("0001_users.sql",
              migration_text("CREATE TABLE users (id integer PRIMARY KEY, name text NOT NULL);",
                             "DROP TABLE users;"));
  project.add("0002_posts.sql",
              migration_text("CREATE TABLE posts (id integer PRIMARY KEY, title text);",
                             "DROP TABLE posts;"));
}

/// A migration whose down forgets the index its up makes.
void add_forgetful_down(const Project& project) {
  project.add("0003_index.sql", migration_text("CREATE INDEX idx_a ON posts (title);",
                                               "SELECT 1; -- forgot DROP INDEX"));
}

void use_dev_database(const Project& project, const PostgresDatabase& db) {
  write_text(
      project.root() / "migrate.conf",
      "[migrate]\n\tdatabase = " + db.url() + "\n\tdev-database = " + postgres_admin_url() + "\n");
}

}  // namespace

TEST_CASE("verify: a clean history passes, exit 0, a line per check", "[e2e][verify]") {
  Project project;
  add_history(project);
  ProcessResult result = project.run("migrate-verify");
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out,
             Contains("ok    graph     migrations: 2 migrations, one head: 0002_posts"));
  CHECK_THAT(result.out, Contains("ok    upgrade   base -> head"));
  CHECK_THAT(result.out, Contains("ok    stairway  0002_posts (migrations/0002_posts.sql)"));
  CHECK_THAT(result.out, Contains("ok    lint      2 migrations: no lint error"));
  CHECK_THAT(result.out, Contains("verified: 5 checks, 5 passed, 0 failed, 0 skipped"));
  CHECK_THAT(result.err,
             Contains("note: no `schema =`, `schema-command =` or `dump =` in migrate.conf"));
  // The dispatcher's `migrate verify` runs it; nothing was created in the project.
  ProcessResult dispatched = project.run("migrate", {"verify", "-q"});
  CHECK(dispatched.exit_code == 0);
  CHECK(dispatched.out == "verified: 5 checks, 5 passed, 0 failed, 0 skipped\n");
  CHECK_FALSE(std::filesystem::exists(project.db()));
}

TEST_CASE("verify: a planted fault is named with its file and object, exit 3", "[e2e][verify]") {
  Project project;
  add_history(project);
  add_forgetful_down(project);
  ProcessResult result = project.run("migrate-verify");
  CHECK(result.exit_code == 3);
  CHECK_THAT(result.out, Contains("FAIL  stairway  0003_index (migrations/0003_index.sql): its "
                                  "down does not give back the schema before its up"));
  CHECK_THAT(result.out, Contains("        - still to drop index idx_a"));
  CHECK_THAT(result.out, Contains("index idx_a already exists"));
  CHECK_THAT(result.out, Contains("verify failed: 6 checks, 5 passed, 1 failed, 0 skipped"));
  // -q keeps what failed and the summary.
  ProcessResult quiet = project.run("migrate-verify", {"-q"});
  CHECK_THAT(quiet.out, !Contains("ok  ") && Contains("FAIL") && Contains("verify failed"));
}

TEST_CASE("verify: --json and --junit, read back by their parsers", "[e2e][verify]") {
  Project project;
  add_history(project);
  add_forgetful_down(project);
  project.add("0004_log.sql", migration_text("CREATE TABLE log (id integer);", std::nullopt));
  ProcessResult result = project.run("migrate-verify", {"--json", "--junit", "reports/verify.xml"});
  CHECK(result.exit_code == 2);  // reports/ does not exist
  CHECK_THAT(result.err, Contains("--junit reports/verify.xml: cannot write the report there"));
  nlohmann::json error = nlohmann::json::parse(result.out);
  CHECK(error["exit_code"] == 2);

  std::filesystem::create_directories(project.root() / "reports");
  result = project.run("migrate-verify", {"--json", "--junit", "reports/verify.xml"});
  CHECK(result.exit_code == 3);
  nlohmann::json json = nlohmann::json::parse(result.out);
  CHECK(json["passed"] == false);
  CHECK(json["engine"] == "sqlite");
  CHECK(json["summary"]["checks"] == 7);  // graph, lint, upgrade, a stairway check each
  CHECK(json["summary"]["failed"] == 1);
  CHECK(json["summary"]["skipped"] == 1);
  const nlohmann::json& failed = json["checks"][5];
  CHECK(failed["step"] == "stairway");
  CHECK(failed["name"] == "0003_index");
  CHECK(failed["status"] == "failed");
  CHECK(failed["file"] == "migrations/0003_index.sql");
  CHECK(failed["details"][0] == "still to drop index idx_a");
  CHECK(json["checks"][6]["status"] == "skipped");

  std::filesystem::path xml = project.root() / "reports/verify.xml";
  ProcessResult lint = run_process({"xmllint", "--noout", xml.string()});
  CHECK(lint.exit_code == 0);
  CHECK(xpath(xml, "string(/testsuites/@tests)") == "7");
  CHECK(xpath(xml, "string(/testsuites/@failures)") == "1");
  CHECK(xpath(xml, "string(//testcase[@name='0003_index']/@file)") == "migrations/0003_index.sql");
  CHECK_THAT(xpath(xml, "string(//testcase[@name='0003_index']/failure)"),
             Contains("still to drop index idx_a"));
  CHECK_THAT(xpath(xml, "string(//testcase[@name='0004_log']/skipped/@message)"),
             Contains("irreversible"));
  CHECK(xpath(xml, "count(//testcase[@name='0001_users']/failure)") == "0");
}

TEST_CASE("verify: bad input is refused with nothing written", "[e2e][verify][bad-input]") {
  Project project;
  add_history(project);
  std::filesystem::create_directories(project.root() / "out");
  auto nothing_written = [&] { return std::filesystem::is_empty(project.root() / "out"); };

  ProcessResult since = project.run("migrate-verify", {"--since", "0042", "--junit", "out/v.xml"});
  CHECK(since.exit_code == 2);
  CHECK_THAT(since.err, Contains("0042"));
  CHECK(since.out.empty());
  CHECK(nothing_written());

  ProcessResult folder = project.run("migrate-verify", {"--junit", "out"});
  CHECK(folder.exit_code == 2);
  CHECK_THAT(folder.err, Contains("--junit out: cannot write the report there (it is a folder)"));
  ProcessResult missing = project.run("migrate-verify", {"--junit", "no/such/v.xml"});
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Contains("(no/such is not a folder)"));

  std::filesystem::create_directories(project.migrations() / "tests");
  write_text(project.migrations() / "tests/0002_posts.sql", "SELECT 1;\n-- after:\nSELECT 2;\n");
  ProcessResult malformed = project.run("migrate-verify", {"--junit", "out/v.xml"});
  CHECK(malformed.exit_code == 2);
  CHECK_THAT(malformed.err,
             Contains("migrations/tests/0002_posts.sql:1: SQL before the first part"));
  CHECK(malformed.out.empty());
  CHECK(nothing_written());

  ProcessResult folder_missing = project.run("migrate-verify", {"--dir", "nowhere"});
  CHECK(folder_missing.exit_code == 2);
  CHECK_THAT(folder_missing.err, Contains("cannot read the migrations folder"));

  ProcessResult flag = project.run("migrate-verify", {"--frobnicate"});
  CHECK(flag.exit_code == 2);
  CHECK(nothing_written());
  CHECK_FALSE(std::filesystem::exists(project.db()));
}

TEST_CASE("verify: a data test run around its migration, its wrong expectation named",
          "[e2e][verify]") {
  Project project;
  add_history(project);
  std::filesystem::create_directories(project.migrations() / "tests");
  write_text(project.migrations() / "tests/0002.sql",
             "-- before:\nINSERT INTO users (id, name) VALUES (1, 'ann');\n\n"
             "-- after:\nINSERT INTO posts (id, title) VALUES (1, 'hello');\n"
             "SELECT id, title FROM posts;\n-- expect:\n-- 1 | goodbye\n"
             "SELECT name FROM users;\n-- expect:\n-- ann\n");
  ProcessResult result = project.run("migrate-verify");
  CHECK(result.exit_code == 3);
  CHECK_THAT(result.out, Contains("FAIL  data      0002 (migrations/tests/0002.sql): the data "
                                  "test of 0002_posts does not pass (1 problem)"));
  CHECK_THAT(result.out, Contains("migrations/tests/0002.sql:7: (after its up) expected 1 row: 1 "
                                  "| goodbye; got 1 row: 1 | hello"));
  write_text(project.migrations() / "tests/0002.sql",
             "-- after:\nSELECT id, title FROM posts;\n-- expect:\n");
  CHECK(project.run("migrate-verify").exit_code == 0);
}

TEST_CASE("verify: --changed-since walks the migrations a branch adds or changes",
          "[e2e][verify][git]") {
  TempDir dir;
  GitWorkTree repo(dir / "repo");
  repo.write("migrations/0001_users.sql",
             migration_text("CREATE TABLE users (id integer PRIMARY KEY);", "DROP TABLE users;"));
  repo.write("migrations/0002_posts.sql",
             migration_text("CREATE TABLE posts (id integer PRIMARY KEY);", "DROP TABLE posts;"));
  repo.commit("the shared history");
  repo.git({"branch", "base"});
  repo.write("migrations/0002_posts.sql",
             migration_text("CREATE TABLE posts (id integer PRIMARY KEY, title text);",
                            "DROP TABLE posts;"));
  repo.write("migrations/0003_tags.sql",
             migration_text("CREATE TABLE tags (id integer PRIMARY KEY);", "DROP TABLE tags;"));
  repo.commit("this branch's");
  repo.write("migrations/0004_draft.sql",  // not committed yet: changed all the same
             migration_text("CREATE TABLE drafts (id integer PRIMARY KEY);", "DROP TABLE drafts;"));
  ProcessResult result =
      run_tool("migrate-verify", {"--changed-since", "base"}, {.cwd = repo.root()});
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, !Contains("stairway  0001_users") && Contains("stairway  0002_posts") &&
                             Contains("stairway  0003_tags") && Contains("stairway  0004_draft"));
  CHECK_THAT(result.err, Contains("the stairway walks the migrations changed since base "
                                  "(--changed-since): 0002_posts, 0003_tags, 0004_draft"));
  ProcessResult unknown =
      run_tool("migrate-verify", {"--changed-since", "origin/nowhere"}, {.cwd = repo.root()});
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.err, Contains("--changed-since origin/nowhere: no such revision"));
  ProcessResult outside =
      run_tool("migrate-verify", {"--changed-since", "base"}, {.cwd = dir.path()});
  CHECK(outside.exit_code == 2);
}

TEST_CASE("verify: PostgreSQL on dev-database, each planted fault named",
          "[e2e][verify][postgres]") {
  Project project;
  PostgresDatabase db;
  use_dev_database(project, db);
  project.add("0001_orders.sql",
              migration_text("CREATE SEQUENCE order_no;\nCREATE TYPE mood AS ENUM ('ok');\n"
                             "CREATE TABLE orders (id bigint PRIMARY KEY DEFAULT "
                             "nextval('order_no'), m mood, note text);\n"
                             "CREATE INDEX orders_note ON orders (note);",
                             "DROP TABLE orders;"));
  ProcessResult result = project.run("migrate-verify");
  CHECK(result.exit_code == 3);
  CHECK_THAT(result.out, Contains("still to drop sequence public.order_no") &&
                             Contains("still to drop enum public.mood") &&
                             Contains("its up fails when run twice"));
  // The database verify was pointed at is never touched.
  CHECK(db.relations().empty());
}

TEST_CASE("verify: the lint step on what a branch changed, in the text, --json and --junit",
          "[e2e][verify][postgres][lint]") {
  TempDir dir;
  PostgresDatabase db;
  GitWorkTree repo(dir / "repo");
  repo.write("migrate.conf", "[migrate]\n\tdatabase = " + db.url() +
                                 "\n\tdev-database = " + postgres_admin_url() + "\n");
  repo.write("migrations/0001_users.sql",
             migration_text("CREATE TABLE users (id bigint PRIMARY KEY, email text);",
                            "DROP TABLE users;"));
  repo.commit("the shared history");
  repo.git({"update-ref", "refs/remotes/origin/main", "HEAD"});
  repo.write("migrations/0002_email.sql",
             migration_text("CREATE INDEX users_email ON users (email);\n"
                            "ALTER TABLE users ADD COLUMN note varchar(20);",
                            "ALTER TABLE users DROP COLUMN note;\nDROP INDEX users_email;"));
  // By default, what is not on upstream (origin/main): 0002, users being released.
  ProcessResult result =
      run_tool("migrate-verify", {"--json", "--junit", "verify.xml"}, {.cwd = repo.root()});
  INFO(result.err);
  CHECK(result.exit_code == 3);
  nlohmann::json json = nlohmann::json::parse(result.out);
  const nlohmann::json& lint = json["checks"][1];
  CHECK(lint["step"] == "lint");
  CHECK(lint["status"] == "failed");
  CHECK(lint["name"] == "1 migration");
  CHECK_THAT(lint["details"].dump(), Contains("migrations/0002_email.sql:2: error: CREATE INDEX "
                                              "on users") &&
                                         Contains("[require-concurrent-index-creation]"));
  CHECK_THAT(json["notes"].dump(), Contains("lint: migrations/0002_email.sql:3: warning:") &&
                                       Contains("[prefer-text-field]"));
  std::filesystem::path xml = repo.root() / "verify.xml";
  CHECK(xpath(xml, "count(//testsuite[@name='lint']/testcase[@name='1 migration']/failure)") ==
        "1");
  CHECK_THAT(xpath(xml, "string(//testsuite[@name='lint']//failure)"),
             Contains("require-concurrent-index-creation"));

  // --changed-since HEAD: nothing committed changed, 0002 is not committed: it alone again.
  ProcessResult text =
      run_tool("migrate-verify", {"--changed-since", "HEAD", "--migration-lock-timeout", "5s"},
               {.cwd = repo.root()});
  CHECK(text.exit_code == 3);
  CHECK_THAT(text.out, Contains("FAIL  lint      1 migration: 1 lint finding at error level"));
  CHECK_THAT(text.out, Contains("- migrations/0002_email.sql:2: error:"));
  CHECK_THAT(text.err, Contains("note: lint: migrations/0002_email.sql:3: warning:"));
}

TEST_CASE("verify: PostgreSQL on a throwaway cluster of its own, removed after",
          "[e2e][verify][postgres]") {
  Project project;
  PostgresDatabase db;
  TempDir tmp;
  let_cluster_owner_in(tmp.path());
  add_history(project);
  ProcessResult result = project.run("migrate-verify", {"--database", db.url()},
                                     {.env = {{"TMPDIR", tmp.path().string()}}});
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Contains("verified: 5 checks, 5 passed"));
  CHECK_THAT(result.out, Contains("lint      2 migrations: no lint error"));
  CHECK(postgres_processes_mentioning(tmp.path().string()).empty());
  CHECK(std::filesystem::is_empty(tmp.path()));
}

TEST_CASE("verify: Ctrl-C stops, removes the throwaway cluster and writes no report",
          "[e2e][verify][postgres][crash]") {
  Project project;
  PostgresDatabase db;
  TempDir tmp;
  let_cluster_owner_in(tmp.path());
  add_history(project);
  RunningProcess running =
      project.start("migrate-verify", {"--database", db.url(), "--junit", "verify.xml"},
                    {.env = {{"TMPDIR", tmp.path().string()}}});
  REQUIRE(eventually([&] { return !postgres_processes_mentioning(tmp.path().string()).empty(); }));
  running.kill(SIGINT);
  ProcessResult stopped = running.wait();
  CHECK(stopped.exit_code == 1);
  CHECK_THAT(stopped.err,
             Contains("migrate-verify: error: interrupted (Ctrl-C): nothing was written"));
  CHECK(eventually([&] { return postgres_processes_mentioning(tmp.path().string()).empty(); }));
  CHECK(std::filesystem::is_empty(tmp.path()));
  CHECK_FALSE(std::filesystem::exists(project.root() / "verify.xml"));
}

TEST_CASE("verify: the example migrations, their dump and the README's data test pass",
          "[e2e][verify]") {
  Project project;
  project.add_example_migrations();
  std::filesystem::copy_file(source_dir() / "schema.sql", project.root() / "schema.sql");
  write_text(project.root() / "migrate.conf", "[migrate]\n\tdump = schema.sql\n");
  std::string readme = read_text(source_dir() / "README.md");
  std::size_t start = readme.find("```sql\n-- migrations/tests/");
  REQUIRE(start != std::string::npos);
  start += 7;
  std::string test = readme.substr(start, readme.find("```", start) - start);
  std::string path = test.substr(3, test.find('\n') - 3);
  std::filesystem::create_directories(project.root() / "migrations/tests");
  write_text(project.root() / path, test);
  ProcessResult result = project.run("migrate-verify");
  INFO(result.out << result.err);
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Contains("ok    schema    dump = schema.sql") &&
                             Contains("ok    data      202611031200_add_display_name_to_users"));
  // An expectation that does not hold is named with what the database gave.
  write_text(project.root() / path,
             test.substr(0, test.find("-- ann@example.com | ann")) + "-- ann@example.com | ann!\n");
  ProcessResult wrong = project.run("migrate-verify");
  CHECK(wrong.exit_code == 3);
  CHECK_THAT(wrong.out, Contains("expected 1 row: ann@example.com | ann!; got 1 row: "
                                 "ann@example.com | ann"));
}
