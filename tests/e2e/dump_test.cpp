// migrate-dump run as a user runs it: the schema a history builds, canonical and loadable.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>

#include "support/postgres.hpp"
#include "support/project.hpp"
#include "support/run_tool.hpp"
#include "support/sqlite_probe.hpp"
#include "support/temp_dir.hpp"

using namespace migrate::test;
using Catch::Contains;

namespace {

void add_history(const Project& project) {
  project.add("0001_users.sql",
              migration_text("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n"
                             "CREATE INDEX users_email ON users (email);",
                             "DROP TABLE users;"));
  project.add("0002_posts.sql",
              migration_text("CREATE TABLE posts (id INTEGER PRIMARY KEY,\n"
                             "  author INT REFERENCES users (id) ON DELETE CASCADE,\n"
                             "  body TEXT CHECK (length(body) > 0));\n"
                             "CREATE VIEW authors AS SELECT DISTINCT author FROM posts;",
                             "DROP VIEW authors;\nDROP TABLE posts;"));
}

}  // namespace

TEST_CASE("dump: the schema a history builds, without the state table", "[e2e][dump]") {
  Project project;
  add_history(project);
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  ProcessResult dump = project.run("migrate-dump");
  INFO(dump.err);
  REQUIRE(dump.exit_code == 0);
  CHECK(dump.out ==
        "CREATE TABLE posts (\n"
        "  id INTEGER,\n"
        "  author INT,\n"
        "  body TEXT,\n"
        "  PRIMARY KEY (id),\n"
        "  FOREIGN KEY (author) REFERENCES users (id) ON DELETE CASCADE,\n"
        "  CHECK (length(body) > 0)\n"
        ");\n"
        "\n"
        "CREATE TABLE users (\n"
        "  id INTEGER,\n"
        "  email TEXT NOT NULL,\n"
        "  PRIMARY KEY (id)\n"
        ");\n"
        "\n"
        "CREATE INDEX users_email ON users (email);\n"
        "\n"
        "CREATE VIEW authors AS SELECT DISTINCT author FROM posts;\n");
  CHECK(dump.err.empty());
  // The same bytes again, and from a second database built by the same history.
  CHECK(project.run("migrate-dump").out == dump.out);
  Project other;
  add_history(other);
  REQUIRE(other.run("migrate-upgrade").exit_code == 0);
  CHECK(other.run("migrate-dump").out == dump.out);
  // The dump builds the same schema when the sqlite3 shell runs it.
  TempDir scratch;
  write_text(scratch / "dump.sql", dump.out);
  ProcessResult load = run_process({"sqlite3", "-bail", (scratch / "copy.db").string(),
                                    ".read " + (scratch / "dump.sql").string()});
  INFO(load.err);
  REQUIRE(load.exit_code == 0);
  CHECK(
      project.run("migrate-dump", {"--database", "sqlite:" + (scratch / "copy.db").string()}).out ==
      dump.out);
}

TEST_CASE("dump: --json gives the model, -o writes a file", "[e2e][dump]") {
  Project project;
  add_history(project);
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  ProcessResult json = project.run("migrate-dump", {"--json"});
  REQUIRE(json.exit_code == 0);
  nlohmann::json model = nlohmann::json::parse(json.out);
  CHECK(model["engine"] == "sqlite");
  REQUIRE(model["tables"].size() == 2);
  CHECK(model["tables"][0]["name"]["name"] == "posts");
  CHECK(model["tables"][0]["constraints"][1]["kind"] == "foreign_key");
  CHECK(model["tables"][0]["constraints"][1]["on_delete"] == "CASCADE");
  CHECK(model["views"][0]["name"]["name"] == "authors");

  ProcessResult written = project.run("migrate-dump", {"-o", "schema.sql"});
  INFO(written.err);
  REQUIRE(written.exit_code == 0);
  CHECK(written.out == "wrote schema.sql\n");
  CHECK(read_text(project.root() / "schema.sql") == project.run("migrate-dump").out);
}

TEST_CASE("dump: a database that is not there, a file that cannot be written",
          "[e2e][dump][bad-input]") {
  Project project;
  add_history(project);
  ProcessResult missing = project.run("migrate-dump");
  CHECK(missing.exit_code == 1);
  CHECK_THAT(missing.err, Contains("sqlite:migrate.db does not exist yet: there is no schema to "
                                   "read. `migrate upgrade` creates it"));
  CHECK_FALSE(std::filesystem::exists(project.db()));  // never created

  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  ProcessResult nowhere = project.run("migrate-dump", {"-o", "no/such/folder/schema.sql"});
  CHECK(nowhere.exit_code == 1);
  CHECK_THAT(nowhere.err, Contains("no/such/folder"));
  CHECK_FALSE(std::filesystem::exists(project.root() / "no"));
}

TEST_CASE("dump: a virtual table is named and nothing is printed", "[e2e][dump][bad-input]") {
  Project project;
  project.add("0001_docs.sql",
              migration_text("CREATE VIRTUAL TABLE docs USING fts5(body);", "DROP TABLE docs;"));
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  ProcessResult dump = project.run("migrate-dump");
  CHECK(dump.exit_code == 2);
  CHECK(dump.out.empty());
  CHECK_THAT(dump.err, Contains("virtual tables (docs)"));
}

TEST_CASE("dump: dump = FILE is rewritten by the runs that change the database, and only them",
          "[e2e][dump]") {
  Project project;
  write_text(project.root() / "migrate.conf", "[migrate]\n\tdump = db/schema.sql\n");
  std::filesystem::create_directories(project.root() / "db");
  std::filesystem::path file = project.root() / "db/schema.sql";
  add_history(project);
  // What does not change the database does not write it.
  REQUIRE(project.run("migrate-upgrade", {"--dry-run"}).exit_code == 0);
  REQUIRE(project.run("migrate-upgrade", {"--sql"}).exit_code == 0);
  CHECK_FALSE(std::filesystem::exists(file));

  ProcessResult up = project.run("migrate-upgrade");
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  CHECK_THAT(up.out, Contains("Rewrote db/schema.sql."));
  CHECK(read_text(file) == project.run("migrate-dump").out);
  CHECK_THAT(read_text(file), Contains("CREATE TABLE posts"));

  ProcessResult down = project.run("migrate-downgrade", {"-1"});
  REQUIRE(down.exit_code == 0);
  CHECK_THAT(read_text(file), !Contains("CREATE TABLE posts"));
  CHECK(read_text(file) == project.run("migrate-dump").out);

  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  ProcessResult redo = project.run("migrate-redo");
  REQUIRE(redo.exit_code == 0);
  CHECK_THAT(redo.out, Contains("Rewrote db/schema.sql."));

  // Nothing to do, a failed migration: the file stays as it was.
  std::string before = read_text(file);
  ProcessResult nothing = project.run("migrate-upgrade");
  CHECK_THAT(nothing.out, !Contains("Rewrote"));
  CHECK(nothing.err.empty());
  // A stale file (a run killed between its commit and the dump, or an edit) is made right by the
  // next run, even one with nothing to do.
  write_text(file, "-- stale\n");
  ProcessResult refreshed = project.run("migrate-upgrade");
  CHECK(refreshed.exit_code == 0);
  CHECK_THAT(refreshed.err, Contains("note: rewrote db/schema.sql: it did not match the database"));
  CHECK(read_text(file) == before);
  CHECK(project.run("migrate-upgrade", {"--dry-run"}).exit_code == 0);  // never writes
  write_text(file, "-- stale\n");
  REQUIRE(project.run("migrate-upgrade", {"--dry-run"}).exit_code == 0);
  CHECK(read_text(file) == "-- stale\n");
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  project.add(
      "0003_bad.sql",
      migration_text("CREATE TABLE tags (id INT);\nSELECT nope FROM nowhere;", "DROP TABLE tags;"));
  ProcessResult failed = project.run("migrate-upgrade");
  CHECK(failed.exit_code == 1);
  CHECK(read_text(file) == before);
}

TEST_CASE("dump: a dump = that cannot be written fails the run, saying the migrations ran",
          "[e2e][dump][bad-input]") {
  Project project;
  write_text(project.root() / "migrate.conf", "[migrate]\n\tdump = no/such/folder/schema.sql\n");
  add_history(project);
  ProcessResult up = project.run("migrate-upgrade");
  CHECK(up.exit_code == 1);
  CHECK_THAT(up.err, Contains("the run finished, but no/such/folder/schema.sql (dump = in "
                              "migrate.conf) could not be rewritten, so it is stale"));
  CHECK_THAT(up.err, Contains("`migrate dump -o no/such/folder/schema.sql` writes it again"));
  CHECK(project.run("migrate-current", {"--check"}).exit_code == 0);  // applied all the same
}

TEST_CASE("dump: a PostgreSQL database, canonical and loadable by psql", "[e2e][dump][postgres]") {
  auto build = [](const Project& project, const PostgresDatabase& db) {
    project.add(
        "0001_shop.sql",
        migration_text("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');\n"
                       "CREATE TABLE customers (id bigint GENERATED BY DEFAULT AS "
                       "IDENTITY PRIMARY KEY,\n  name text NOT NULL, feeling mood,\n"
                       "  created timestamptz NOT NULL DEFAULT now());\n"
                       "COMMENT ON TABLE customers IS 'who buys';\n"
                       "CREATE TABLE orders (id serial PRIMARY KEY, customer bigint "
                       "REFERENCES customers ON DELETE CASCADE, total numeric(10,2) "
                       "CHECK (total >= 0));\n"
                       "CREATE INDEX orders_customer ON orders (customer) WHERE total > 0;\n"
                       "CREATE VIEW big_orders AS SELECT * FROM orders WHERE total > 100;",
                       "DROP VIEW big_orders;\nDROP TABLE orders;\nDROP TABLE "
                       "customers;\nDROP TYPE mood;"));
    ProcessResult up = project.run("migrate-upgrade", {"--database", db.url()});
    INFO(up.err);
    REQUIRE(up.exit_code == 0);
  };
  Project project;
  PostgresDatabase db;
  build(project, db);
  ProcessResult dump = project.run("migrate-dump", {"--database", db.url()});
  INFO(dump.err);
  REQUIRE(dump.exit_code == 0);
  CHECK_THAT(dump.out, Contains("CREATE TYPE public.mood AS ENUM (\n"));
  CHECK_THAT(dump.out, Contains("COMMENT ON TABLE public.customers IS 'who buys';"));
  CHECK_THAT(dump.out, Contains("CREATE INDEX orders_customer ON public.orders USING btree "
                                "(customer) WHERE (total > (0)::numeric);"));
  CHECK_THAT(dump.out, !Contains("schema_migrations"));
  // Byte for byte the same from a second database built the same way.
  Project other;
  PostgresDatabase second;
  build(other, second);
  CHECK(other.run("migrate-dump", {"--database", second.url()}).out == dump.out);
  // psql loads it into an empty database, whose dump is the same again.
  PostgresDatabase copy;
  write_text(project.root() / "dump.sql", dump.out);
  ProcessResult load = run_process({"psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", copy.url(),
                                    "-f", (project.root() / "dump.sql").string()});
  INFO(load.err);
  REQUIRE(load.exit_code == 0);
  CHECK(project.run("migrate-dump", {"--database", copy.url()}).out == dump.out);
  nlohmann::json model =
      nlohmann::json::parse(project.run("migrate-dump", {"--database", db.url(), "--json"}).out);
  CHECK(model["engine"] == "postgresql");
  CHECK(model["enums"][0]["values"] == nlohmann::json{"sad", "ok", "happy"});
}
