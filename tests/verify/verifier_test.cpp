// migrate-verify's steps on real development databases, SQLite's in memory and PostgreSQL's on the
// test cluster (as dev-database): planted faults, each caught and named, and a clean history that
// passes.
#include <catch2/catch.hpp>

#include <algorithm>

#include "config/config.hpp"
#include "diff/dev_database.hpp"
#include "migration/migration_dir.hpp"
#include "support/postgres.hpp"
#include "support/project.hpp"
#include "util/error.hpp"
#include "verify/verifier.hpp"

using namespace migrate;
using namespace migrate::test;
using Catch::Contains;

namespace {

/// A project's migrations verified on `engine`'s development databases.
struct Verified {
  Project project;
  std::string engine;
  Config config;
  VerifyRequest request;

  explicit Verified(std::string engine_name) : engine(std::move(engine_name)) {
    config.migrations_dir = project.migrations();
    config.root = project.root();
    request.migrations_dir = project.migrations();
    request.cwd = project.root();
    request.read_migrations = [dir = project.migrations()] { return read_migration_dir(dir); };
  }

  void add(std::string_view file, std::string_view up, std::optional<std::string_view> down) {
    project.add(file, migration_text(up, down));
  }
  void add_test(std::string_view name, std::string_view text) {
    std::filesystem::create_directories(project.migrations() / "tests");
    write_text(project.migrations() / "tests" / name, text);
  }

  VerifyReport run() {
    DevDatabases dev(engine, engine == "postgresql" ? postgres_admin_url() : "");
    return verify_migrations(request, dev, config);
  }
};

const VerifyCheck& check_of(const VerifyReport& report, VerifyStep step, const std::string& name) {
  auto found = std::find_if(report.checks.begin(), report.checks.end(), [&](const auto& check) {
    return check.step == step && check.name == name;
  });
  INFO("no " << verify_step_name(step) << " check named " << name);
  REQUIRE(found != report.checks.end());
  return *found;
}

std::string details_of(const VerifyCheck& check) {
  std::string text = check.message;
  for (const std::string& detail : check.details) {
    text += "\n" + detail;
  }
  return text;
}

/// A history with no fault, in SQL both engines take.
void add_clean_history(Verified& v) {
  v.add("0001_users.sql", "CREATE TABLE users (id integer PRIMARY KEY, name text NOT NULL);",
        "DROP TABLE users;");
  v.add("0002_posts.sql",
        "CREATE TABLE posts (id integer PRIMARY KEY, user_id integer REFERENCES users (id), "
        "title text);\nCREATE INDEX posts_user ON posts (user_id);",
        "DROP TABLE posts;");
  v.add("0003_email.sql", "ALTER TABLE users ADD COLUMN email text;",
        "ALTER TABLE users DROP COLUMN email;");
}

void clean_history_passes(const std::string& engine) {
  Verified v(engine);
  add_clean_history(v);
  v.add_test("0003_email.sql",
             "-- before:\nINSERT INTO users (id, name) VALUES (1, 'ann');\n"
             "SELECT name FROM users;\n-- expect:\n-- ann\n\n"
             "-- after:\nSELECT name, email FROM users;\n-- expect:\n-- ann | NULL\n"
             "INSERT INTO users (id, name) VALUES (2, NULL);\n-- expect-error: null\n");
  VerifyReport report = v.run();
  for (const VerifyCheck& check : report.checks) {
    INFO(verify_step_name(check.step) << " " << check.name << ": " << details_of(check));
    CHECK(check.status == CheckStatus::passed);
  }
  CHECK(report.passed());
  CHECK(report.engine == engine);
  // graph, lint, upgrade, three stairs, one data test
  CHECK(report.checks.size() == 7);
  CHECK(check_of(report, VerifyStep::graph, v.project.migrations().string()).message ==
        "3 migrations, one head: 0003_email");
}

/// A down that leaves the index its up made, which the up then fails to make again.
void index_left(const std::string& engine) {
  Verified v(engine);
  add_clean_history(v);
  v.add("0004_index.sql",
        "ALTER TABLE posts ADD COLUMN body text;\nCREATE INDEX idx_a ON posts (title);",
        "ALTER TABLE posts DROP COLUMN body;");
  v.add("0005_after.sql", "CREATE TABLE later (id integer PRIMARY KEY);", "DROP TABLE later;");
  VerifyReport report = v.run();
  CHECK_FALSE(report.passed());
  const VerifyCheck& check = check_of(report, VerifyStep::stairway, "0004_index");
  CHECK(check.status == CheckStatus::failed);
  CHECK_THAT(check.file, Contains("0004_index.sql"));
  CHECK_THAT(check.message, Contains("its down does not give back the schema before its up") &&
                                Contains("its up fails when run twice"));
  CHECK_THAT(details_of(check), Contains("still to drop index") && Contains("idx_a"));
  // The migrations after it are checked on a clean history, and pass.
  CHECK(check_of(report, VerifyStep::stairway, "0005_after").status == CheckStatus::passed);
  CHECK(check_of(report, VerifyStep::upgrade, "base -> head").status == CheckStatus::passed);
}

/// An up that inserts a row its down leaves: the schema comes back, the second up fails.
void up_fails_twice(const std::string& engine) {
  Verified v(engine);
  v.add("0001_settings.sql", "CREATE TABLE settings (k text PRIMARY KEY, v text);",
        "DROP TABLE settings;");
  v.add("0002_flag.sql",
        "CREATE TABLE flags (id integer PRIMARY KEY);\nINSERT INTO settings (k, v) VALUES "
        "('flags', 'on');",
        "DROP TABLE flags;");
  VerifyReport report = v.run();
  const VerifyCheck& check = check_of(report, VerifyStep::stairway, "0002_flag");
  CHECK(check.status == CheckStatus::failed);
  CHECK(check.message == "its up fails when run twice (again, after its down)");
  CHECK_THAT(details_of(check), Contains("0002_flag.sql") && Contains("INSERT INTO settings"));
  CHECK(check_of(report, VerifyStep::stairway, "0001_settings").status == CheckStatus::passed);
}

/// A data test whose expectation is wrong: named at its line, with what the database gave.
void wrong_expectation(const std::string& engine) {
  Verified v(engine);
  add_clean_history(v);
  v.add_test("0002_posts.sql",
             "-- before:\nINSERT INTO users (id, name) VALUES (1, 'ann');\n\n"
             "-- after:\nINSERT INTO posts (id, user_id, title) VALUES (1, 1, 'hello');\n"
             "SELECT title FROM posts;\n-- expect:\n-- goodbye\n");
  v.add_test("0009_nothing.sql", "-- after:\nSELECT 1;\n");
  VerifyReport report = v.run();
  const VerifyCheck& check = check_of(report, VerifyStep::data, "0002_posts");
  CHECK(check.status == CheckStatus::failed);
  CHECK_THAT(check.file, Contains("tests/0002_posts.sql"));
  REQUIRE(check.details.size() == 1);
  CHECK_THAT(check.details[0], Contains("tests/0002_posts.sql:7: (after its up) expected 1 row: "
                                        "goodbye; got 1 row: hello"));
  const VerifyCheck& unknown = check_of(report, VerifyStep::data, "0009_nothing");
  CHECK(unknown.status == CheckStatus::failed);
  CHECK_THAT(unknown.message, Contains("names no migration"));
}

}  // namespace

TEST_CASE("verifier: a clean history passes every step, SQLite", "[verify][sqlite]") {
  clean_history_passes("sqlite");
}

TEST_CASE("verifier: a clean history passes every step, PostgreSQL", "[verify][postgres]") {
  clean_history_passes("postgresql");
}

TEST_CASE("verifier: a down that leaves an index is named, SQLite", "[verify][sqlite]") {
  index_left("sqlite");
}

TEST_CASE("verifier: a down that leaves an index is named, PostgreSQL", "[verify][postgres]") {
  index_left("postgresql");
}

TEST_CASE("verifier: an up that fails when run twice is named, SQLite", "[verify][sqlite]") {
  up_fails_twice("sqlite");
}

TEST_CASE("verifier: an up that fails when run twice is named, PostgreSQL", "[verify][postgres]") {
  up_fails_twice("postgresql");
}

TEST_CASE("verifier: a data test whose expectation is wrong, SQLite", "[verify][sqlite]") {
  wrong_expectation("sqlite");
}

TEST_CASE("verifier: a data test whose expectation is wrong, PostgreSQL", "[verify][postgres]") {
  wrong_expectation("postgresql");
}

TEST_CASE("verifier: the lint step, PostgreSQL: an error fails it, warnings are notes",
          "[verify][postgres][lint]") {
  Verified v("postgresql");
  add_clean_history(v);
  v.add("0004_index.sql", "CREATE INDEX users_name ON users (name);", "DROP INDEX users_name;");
  auto lint_notes = [](const VerifyReport& report) {
    std::string text;
    for (const std::string& note : report.notes) {
      text += note + "\n";
    }
    return text;
  };

  // No upstream: every migration as a new database sees it, so users' index is no finding.
  v.request.upstream = "origin/main";
  VerifyReport fresh = v.run();
  const VerifyCheck& all = check_of(fresh, VerifyStep::lint, "4 migrations");
  CHECK(all.status == CheckStatus::passed);
  CHECK_THAT(all.message, Contains("no lint error") && Contains("below error level"));
  CHECK_THAT(lint_notes(fresh), Contains("no upstream (origin/main) here") &&
                                    Contains("lint: migrations/0001_users.sql:") &&
                                    Contains("[prefer-bigint-over-int]"));
  CHECK(fresh.passed());

  // --since 0003_email: a database there has users, so its index blocks writes.
  v.request.since = "0003_email";
  VerifyReport since = v.run();
  CHECK_FALSE(since.passed());
  const VerifyCheck& failed = check_of(since, VerifyStep::lint, "1 migration");
  CHECK(failed.status == CheckStatus::failed);
  CHECK_THAT(failed.message, Contains("at error level"));
  CHECK_THAT(details_of(failed), Contains("migrations/0004_index.sql:") &&
                                     Contains(": error: CREATE INDEX on users") &&
                                     Contains("[require-concurrent-index-creation]") &&
                                     Contains("[require-lock-timeout]"));
  CHECK_THAT(lint_notes(since), !Contains("no upstream"));
  // The runner's timeouts satisfy the timeout rules; the index stays an error.
  v.request.runner_lock_timeout = true;
  v.request.runner_statement_timeout = true;
  std::string timed = details_of(check_of(v.run(), VerifyStep::lint, "1 migration"));
  CHECK_THAT(timed, Contains("[require-concurrent-index-creation]") && !Contains("timeout]"));

  // Without limits, what is not on upstream: 0002 alone, whose posts is new.
  v.request.since.clear();
  v.request.unreleased_files =
      std::vector<std::filesystem::path>{v.project.migrations() / "0002_posts.sql"};
  VerifyReport unreleased = v.run();
  const VerifyCheck& branch = check_of(unreleased, VerifyStep::lint, "1 migration");
  CHECK(branch.status == CheckStatus::passed);
}

TEST_CASE("verifier: SQL the lint step cannot parse fails it at its line, PostgreSQL",
          "[verify][postgres][lint]") {
  Verified v("postgresql");
  v.add("0001_bad.sql", "SELECT 1;\nCREATE INDEX ON ;", "SELECT 1;");
  VerifyReport report = v.run();
  const VerifyCheck& lint = check_of(report, VerifyStep::lint, "1 migration");
  CHECK(lint.status == CheckStatus::failed);
  CHECK(lint.message == "the migrations could not be linted");
  CHECK_THAT(details_of(lint), Contains("0001_bad.sql:"));
}

TEST_CASE("verifier: a down that omits DROP SEQUENCE or DROP TYPE, PostgreSQL",
          "[verify][postgres]") {
  Verified v("postgresql");
  v.add("0001_orders.sql",
        "CREATE SEQUENCE order_no;\nCREATE TABLE orders (id bigint PRIMARY KEY DEFAULT "
        "nextval('order_no'));",
        "DROP TABLE orders;");
  v.add("0002_mood.sql",
        "CREATE TYPE mood AS ENUM ('happy', 'sad');\nALTER TABLE orders ADD "
        "COLUMN m mood;",
        "ALTER TABLE orders DROP COLUMN m;");
  VerifyReport report = v.run();
  const VerifyCheck& sequence = check_of(report, VerifyStep::stairway, "0001_orders");
  CHECK(sequence.status == CheckStatus::failed);
  CHECK_THAT(details_of(sequence), Contains("still to drop sequence public.order_no"));
  const VerifyCheck& type = check_of(report, VerifyStep::stairway, "0002_mood");
  CHECK(type.status == CheckStatus::failed);
  CHECK_THAT(details_of(type), Contains("still to drop enum public.mood"));
  CHECK_THAT(type.message, Contains("its up fails when run twice"));
}

TEST_CASE("verifier: an irreversible migration is skipped with a note, a merge runs nothing",
          "[verify][sqlite]") {
  Verified v("sqlite");
  v.project.add("0001_a.sql", migration_text("CREATE TABLE a (id integer);", std::nullopt));
  v.project.add("0002_b.sql", migration_text("CREATE TABLE b (id integer);", "DROP TABLE b;",
                                             "-- depends: 0001_a"));
  v.project.add("0003_c.sql", migration_text("CREATE TABLE c (id integer);", "DROP TABLE c;",
                                             "-- depends: 0001_a"));
  v.project.add("0004_merge.sql", migration_text("", std::nullopt, "-- depends: 0002_b 0003_c"));
  VerifyReport report = v.run();
  CHECK(report.passed());
  const VerifyCheck& irreversible = check_of(report, VerifyStep::stairway, "0001_a");
  CHECK(irreversible.status == CheckStatus::skipped);
  CHECK(irreversible.message == "no down section: irreversible, so it is not tried");
  CHECK(check_of(report, VerifyStep::stairway, "0003_c").status == CheckStatus::passed);
  CHECK(check_of(report, VerifyStep::stairway, "0004_merge").message ==
        "its up section runs nothing (a merge)");
}

TEST_CASE("verifier: the graph's problems are a failed step, and the rest still runs",
          "[verify][sqlite]") {
  Verified v("sqlite");
  v.project.add("0001_a.sql", migration_text("CREATE TABLE a (id integer);", "DROP TABLE a;"));
  v.project.add("0002_b.sql", migration_text("CREATE TABLE b (id integer);", "DROP TABLE b;",
                                             "-- depends: 0001_a"));
  v.project.add("0003_c.sql", migration_text("-- nothing yet", "", "-- depends: 0001_a"));
  write_text(v.project.migrations() / "HEAD", "0002_b\n");
  VerifyReport report = v.run();
  const VerifyCheck& graph = check_of(report, VerifyStep::graph, v.project.migrations().string());
  CHECK(graph.status == CheckStatus::failed);
  CHECK_THAT(details_of(graph), Contains("2 heads: 0002_b, 0003_c") &&
                                    Contains("no statement in the up section of 0003_c"));
  CHECK(check_of(report, VerifyStep::upgrade, "base -> head").status == CheckStatus::passed);
  CHECK(check_of(report, VerifyStep::stairway, "0002_b").status == CheckStatus::passed);

  // Declared, the two heads are what the graph should have; HEAD then names neither.
  v.request.heads = {"0002_b", "0003"};
  VerifyReport declared = v.run();
  const VerifyCheck& again = check_of(declared, VerifyStep::graph, v.project.migrations().string());
  CHECK_THAT(details_of(again), !Contains("2 heads") && Contains("no statement"));
  v.request.heads = {"0002_b"};
  CHECK_THAT(details_of(check_of(v.run(), VerifyStep::graph, v.project.migrations().string())),
             Contains("the heads are 0002_b, 0003_c, not the declared 0002_b"));
  v.request.heads = {"0099"};
  CHECK_THAT(details_of(check_of(v.run(), VerifyStep::graph, v.project.migrations().string())),
             Contains("--heads 0099:"));
}

TEST_CASE("verifier: migrations that do not load fail the graph step and skip the others",
          "[verify][sqlite]") {
  Verified v("sqlite");
  v.project.add("0001_a.sql", migration_text("CREATE TABLE a (id integer);", "DROP TABLE a;",
                                             "-- depends: 0007_missing"));
  VerifyReport report = v.run();
  const VerifyCheck& graph = check_of(report, VerifyStep::graph, v.project.migrations().string());
  CHECK(graph.status == CheckStatus::failed);
  CHECK(graph.message == "the migrations do not load");
  CHECK_THAT(details_of(graph), Contains("0007_missing"));
  CHECK(report.count(CheckStatus::skipped) == 4);
  CHECK(check_of(report, VerifyStep::stairway, "stairway").message ==
        "not run: the migrations do not load");
}

TEST_CASE("verifier: --since walks only what a database at REV has not applied",
          "[verify][sqlite]") {
  Verified v("sqlite");
  add_clean_history(v);
  v.request.since = "0001_users";
  VerifyReport report = v.run();
  std::vector<std::string> walked;
  for (const VerifyCheck& check : report.checks) {
    if (check.step == VerifyStep::stairway) {
      walked.push_back(check.name);
    }
  }
  CHECK(walked == std::vector<std::string>{"0002_posts", "0003_email"});
  REQUIRE(report.notes.size() == 2);
  CHECK_THAT(report.notes[0], Contains("after 0001_users (--since): 0002_posts, 0003_email"));
  v.request.since = "head";
  CHECK_THAT(v.run().notes[0], Contains("there are none"));
  v.request.since = "0042";
  CHECK_THROWS_AS(v.run(), GraphError);
}

TEST_CASE("verifier: head's schema against the schema and dump files", "[verify][sqlite]") {
  Verified v("sqlite");
  add_clean_history(v);
  std::filesystem::create_directories(v.project.root() / "schema");
  write_text(v.project.root() / "schema/app.sql",
             "CREATE TABLE users (id integer PRIMARY KEY, name text NOT NULL, email text, "
             "phone text);\nCREATE TABLE posts (id integer PRIMARY KEY, user_id integer "
             "REFERENCES users (id), title text);\nCREATE INDEX posts_user ON posts (user_id);\n");
  v.config.schema_path = v.project.root() / "schema";
  v.config.dump_file = v.project.root() / "schema.sql";
  VerifyReport report = v.run();
  const VerifyCheck& schema = check_of(report, VerifyStep::schema, "schema = schema");
  CHECK(schema.status == CheckStatus::failed);
  CHECK_THAT(details_of(schema), Contains("still to add column users.phone"));
  const VerifyCheck& dump = check_of(report, VerifyStep::schema, "dump = schema.sql");
  CHECK(dump.status == CheckStatus::failed);
  CHECK_THAT(dump.message, Contains("schema.sql does not exist"));

  write_text(v.project.root() / "schema/app.sql",
             "CREATE TABLE users (id integer PRIMARY KEY, name text NOT NULL, email text);\n"
             "CREATE TABLE posts (id integer PRIMARY KEY, user_id integer REFERENCES users (id), "
             "title text);\nCREATE INDEX posts_user ON posts (user_id);\n");
  write_text(v.config.dump_file, "CREATE TABLE users (id integer PRIMARY KEY, name tex");
  report = v.run();
  CHECK(check_of(report, VerifyStep::schema, "schema = schema").status == CheckStatus::passed);
  const VerifyCheck& broken = check_of(report, VerifyStep::schema, "dump = schema.sql");
  CHECK(broken.status == CheckStatus::failed);
  CHECK(broken.message == "it does not load");
}

TEST_CASE("verifier: a malformed data test stops everything before it starts",
          "[verify][sqlite][bad-input]") {
  Verified v("sqlite");
  add_clean_history(v);
  v.add_test("0002_posts.sql", "SELECT 1;\n");
  CHECK_THROWS_AS(v.run(), ParseError);
}

TEST_CASE("verifier: a data test's rows must read the same after the down", "[verify][sqlite]") {
  Verified v("sqlite");
  v.add("0001_users.sql", "CREATE TABLE users (id integer PRIMARY KEY, name text);",
        "DROP TABLE users;");
  // The down forgets the rows' names: it makes the column again, empty.
  v.add("0002_rename.sql", "ALTER TABLE users RENAME COLUMN name TO full_name;",
        "ALTER TABLE users DROP COLUMN full_name;\nALTER TABLE users ADD COLUMN name text;");
  v.add_test("0002_rename.sql",
             "-- before:\nINSERT INTO users (id, name) VALUES (1, 'ann');\n"
             "SELECT name FROM users;\n-- expect:\n-- ann\n\n"
             "-- after:\nSELECT full_name FROM users;\n-- expect:\n-- ann\n");
  VerifyReport report = v.run();
  const VerifyCheck& check = check_of(report, VerifyStep::data, "0002_rename");
  CHECK(check.status == CheckStatus::failed);
  REQUIRE(check.details.size() == 1);
  CHECK_THAT(check.details[0],
             Contains("0002_rename.sql:4: (after its down) expected 1 row: ann; got 1 row: NULL"));
}

TEST_CASE("verifier: head's schema against what schema-command makes", "[verify][sqlite]") {
  Verified v("sqlite");
  add_clean_history(v);
  write_text(v.project.root() / "model.sql",
             "CREATE TABLE users (id integer PRIMARY KEY, name text NOT NULL, email text);\n"
             "CREATE TABLE posts (id integer PRIMARY KEY, user_id integer REFERENCES users (id), "
             "title text);\nCREATE INDEX posts_user ON posts (user_id);\n");
  v.config.schema_command = "cat model.sql";
  VerifyReport report = v.run();
  CHECK(check_of(report, VerifyStep::schema, "schema-command").status == CheckStatus::passed);
  for (const std::string& note : report.notes) {
    INFO(note);
    CHECK(note.find("schema") == std::string::npos);  // nothing about the model
  }

  write_text(v.project.root() / "model.sql",
             "CREATE TABLE users (id integer PRIMARY KEY, name text NOT NULL);\n");
  VerifyReport other = v.run();
  const VerifyCheck& differs = check_of(other, VerifyStep::schema, "schema-command");
  CHECK(differs.status == CheckStatus::failed);
  CHECK_THAT(details_of(differs), Contains("still to drop table posts"));

  v.config.schema_command = "echo broken >&2; exit 4";
  VerifyReport failed = v.run();
  const VerifyCheck& failing = check_of(failed, VerifyStep::schema, "schema-command");
  CHECK(failing.status == CheckStatus::failed);
  CHECK(failing.message == "it does not load");
  CHECK_THAT(details_of(failing), Contains("broken"));
}
