// migrate-diff run as a user runs it: schema files against a migrations folder, databases by
// URL; the migration it prints, applied by migrate-upgrade, brings the folder to the files.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <signal.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <thread>

#include "support/logged_run.hpp"
#include "support/postgres.hpp"
#include "support/processes.hpp"
#include "support/project.hpp"
#include "support/run_tool.hpp"
#include "support/sqlite_probe.hpp"
#include "support/temp_dir.hpp"

using namespace migrate::test;
using Catch::Contains;

namespace {

void add_users(const Project& project) {
  project.add("0001_users.sql",
              migration_text("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);",
                             "DROP TABLE users;"));
}

void write_schema(const Project& project, const std::string& sql) {
  std::filesystem::create_directories(project.root() / "schema");
  write_text(project.root() / "schema/users.sql", sql);
}

}  // namespace

TEST_CASE("diff: schema files against the migrations, and the loop closed by upgrade",
          "[e2e][diff]") {
  Project project;
  add_users(project);
  write_schema(project,
               "CREATE TABLE users (\n  id integer PRIMARY KEY,\n  email text NOT NULL,\n"
               "  phone text\n);\nCREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT);\n");
  ProcessResult diff = project.run("migrate-diff", {"migrations@head", "schema/"});
  INFO(diff.err);
  REQUIRE(diff.exit_code == 0);
  CHECK_THAT(diff.out, Contains("-- The schema changes from migrations@head to schema/.\n"));
  CHECK_THAT(diff.out, Contains("--   - create table tags\n--   - add column users.phone\n"));
  CHECK_THAT(diff.out, Contains("-- migrate:up\nCREATE TABLE tags ("));
  CHECK_THAT(diff.out, Contains("ALTER TABLE users ADD COLUMN phone TEXT;"));
  CHECK_THAT(diff.out, Contains("-- migrate:down foreign_keys:off\n"));
  CHECK(project.run("migrate-diff", {"--check", "migrations@head", "schema/"}).exit_code == 3);
  CHECK(project.run("migrate-diff", {"--check", "migrations@head", "schema/"}).out.empty());

  // The printed migration is a migration: once it is in the folder, they agree.
  project.add("0002_phone_and_tags.sql", diff.out);
  ProcessResult up = project.run("migrate-upgrade");
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  CHECK(project.run("migrate-diff", {"--check", "migrations@head", "schema/"}).exit_code == 0);
  CHECK(project.run("migrate-diff", {"--check", "sqlite:migrate.db", "schema/"}).exit_code == 0);
  ProcessResult same = project.run("migrate-diff", {"migrations@head", "schema/"});
  CHECK(same.exit_code == 0);
  CHECK(same.out.empty());
  CHECK_THAT(same.err, Contains("have the same schema: no migration"));
  // And back: migrations at the first one against the database.
  ProcessResult back = project.run("migrate-diff", {"sqlite:migrate.db", "migrations@0001"});
  CHECK(back.exit_code == 3);  // it would drop tags and phone
  CHECK(project.run("migrate-downgrade", {"-1"}).exit_code == 0);
  CHECK(
      project.run("migrate-diff", {"--check", "sqlite:migrate.db", "migrations@0001"}).exit_code ==
      0);
}

TEST_CASE("diff: dropping data needs --allow-destructive", "[e2e][diff]") {
  Project project;
  add_users(project);
  write_schema(project, "CREATE TABLE accounts (id INTEGER PRIMARY KEY);\n");
  ProcessResult refused = project.run("migrate-diff", {"migrations@head", "schema"});
  CHECK(refused.exit_code == 3);
  CHECK(refused.out.empty());
  CHECK_THAT(refused.err, Contains("would delete data:\n  - drop table users (deletes-data: "
                                   "drops table users and its rows)\nNothing was written. If "
                                   "that is meant, run again with --allow-destructive"));
  ProcessResult allowed =
      project.run("migrate-diff", {"migrations@head", "schema", "--allow-destructive"});
  REQUIRE(allowed.exit_code == 0);
  CHECK_THAT(allowed.out, Contains("-- hazard: deletes-data: drops table users and its rows\n"
                                   "DROP TABLE users;"));
}

TEST_CASE("diff: --json gives the changes and the sections", "[e2e][diff]") {
  Project project;
  add_users(project);
  write_schema(project,
               "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE);\n");
  ProcessResult json = project.run("migrate-diff", {"--json", "migrations@head", "schema/"});
  INFO(json.err);
  REQUIRE(json.exit_code == 0);
  nlohmann::json out = nlohmann::json::parse(json.out);
  CHECK(out["from"] == "migrations@head");
  CHECK(out["changes"][0]["description"] == "rebuild table users: add UNIQUE (email)");
  CHECK(out["changes"][0]["hazard"] == "rewrites-table: rebuilds users");
  CHECK(out["up"]["foreign_keys"] == false);
  CHECK(out["up"]["transaction"] == true);
  CHECK(out["up"]["statements"].size() == 4);
}

TEST_CASE("diff: a rebuild keeps every child row, trigger, index and view", "[e2e][diff][sqlite]") {
  Project project;
  project.add(
      "0001_shop.sql",
      migration_text("CREATE TABLE customers (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT);\n"
                     "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer INT NOT NULL\n"
                     "  REFERENCES customers (id) ON DELETE CASCADE);\n"
                     "CREATE TABLE audit (what TEXT);\n"
                     "CREATE INDEX customers_name ON customers (name);\n"
                     "CREATE VIEW order_counts AS SELECT customer, count(*) AS n FROM orders\n"
                     "  GROUP BY customer;\n"
                     "CREATE TRIGGER customers_audit AFTER UPDATE ON customers BEGIN\n"
                     "  INSERT INTO audit VALUES ('updated ' || NEW.id); END;",
                     "DROP TABLE audit;\nDROP VIEW order_counts;\nDROP TABLE orders;\nDROP TABLE "
                     "customers;"));
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  sqlite_exec(project.db(),
              "INSERT INTO customers (name) VALUES ('a'), ('b'), ('c');"
              "DELETE FROM customers WHERE name = 'c';"  // the counter stays at 3
              "INSERT INTO orders (customer) VALUES (1), (1), (2);");
  // The schema wants the name NOT NULL: a rebuild of the referenced table.
  write_schema(
      project,
      "CREATE TABLE customers (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL);\n"
      "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer INT NOT NULL\n"
      "  REFERENCES customers (id) ON DELETE CASCADE);\n"
      "CREATE TABLE audit (what TEXT);\n"
      "CREATE INDEX customers_name ON customers (name);\n"
      "CREATE VIEW order_counts AS SELECT customer, count(*) AS n FROM orders\n"
      "  GROUP BY customer;\n"
      "CREATE TRIGGER customers_audit AFTER UPDATE ON customers BEGIN\n"
      "  INSERT INTO audit VALUES ('updated ' || NEW.id); END;\n");
  ProcessResult diff = project.run("migrate-diff", {"migrations@head", "schema/"});
  INFO(diff.err);
  REQUIRE(diff.exit_code == 0);
  CHECK_THAT(diff.out, Contains("-- migrate:up foreign_keys:off\n"));
  project.add("0002_name_required.sql", diff.out);
  ProcessResult up = project.run("migrate-upgrade");
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  CHECK(sqlite_rows(project.db(), "SELECT count(*) FROM orders") == Rows{{"3"}});
  CHECK(sqlite_rows(project.db(), "SELECT * FROM order_counts ORDER BY customer") ==
        Rows{{"1", "2"}, {"2", "1"}});
  CHECK(sqlite_rows(project.db(), "SELECT seq FROM sqlite_sequence WHERE name = 'customers'") ==
        Rows{{"3"}});
  sqlite_exec(project.db(), "UPDATE customers SET name = 'z' WHERE id = 1;");
  CHECK(sqlite_rows(project.db(), "SELECT what FROM audit") == Rows{{"updated 1"}});
  CHECK(sqlite_rows(project.db(),
                    "SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL") ==
        Rows{{"customers_name"}});
  CHECK(project.run("migrate-diff", {"--check", "sqlite:migrate.db", "schema/"}).exit_code == 0);
  // Back down, the rows still there.
  REQUIRE(project.run("migrate-downgrade", {"-1"}).exit_code == 0);
  CHECK(sqlite_rows(project.db(), "SELECT count(*) FROM orders") == Rows{{"3"}});
}

TEST_CASE("diff: bad sources are named, and nothing is printed", "[e2e][diff][bad-input]") {
  Project project;
  add_users(project);
  ProcessResult missing = project.run("migrate-diff", {"migrations@head", "nowhere/"});
  CHECK(missing.exit_code == 2);
  CHECK(missing.out.empty());
  CHECK_THAT(missing.err, Contains("nowhere/: no such file or folder. Give a database URL"));

  write_text(project.root() / "bad.sql",
             "CREATE TABLE a (x INT);\n\nCREATE TABLE b (\n  y NOPE(\n);\n");
  ProcessResult syntax = project.run("migrate-diff", {"migrations@head", "bad.sql"});
  CHECK(syntax.exit_code == 2);
  CHECK_THAT(syntax.err, Contains("bad.sql:5: near \")\": syntax error. Fix the schema file"));

  ProcessResult revision = project.run("migrate-diff", {"migrations@0042", "bad.sql"});
  CHECK(revision.exit_code == 2);
  CHECK_THAT(revision.err, Contains("unknown revision '0042'"));
  CHECK(project.run("migrate-diff", {"migrations@", "bad.sql"}).exit_code == 2);

  ProcessResult absent = project.run("migrate-diff", {"sqlite:absent.db", "migrations@head"});
  CHECK(absent.exit_code == 1);
  CHECK_THAT(absent.err, Contains("sqlite:absent.db does not exist"));
  CHECK_FALSE(std::filesystem::exists(project.root() / "absent.db"));

  ProcessResult unreachable = project.run(
      "migrate-diff", {"postgres://nobody@127.0.0.1:1/none?connect_timeout=2", "migrations@head"});
  CHECK(unreachable.exit_code == 1);
  CHECK(unreachable.out.empty());

  ProcessResult usage = project.run("migrate-diff", {"migrations@head"});
  CHECK(usage.exit_code == 2);
  CHECK_THAT(usage.err, Contains("migrate-diff FROM TO: name both schemas"));
}

TEST_CASE("diff: renames are never guessed: annotated they rename, else a note says how",
          "[e2e][diff]") {
  Project project;
  project.add("0001_users.sql",
              migration_text("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n"
                             "CREATE TABLE posts (id INTEGER PRIMARY KEY,\n"
                             "  author INT REFERENCES users (id), body TEXT);",
                             "DROP TABLE posts;\nDROP TABLE users;"));
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  sqlite_exec(project.db(),
              "INSERT INTO users VALUES (1, 'a@x'); INSERT INTO posts VALUES (1, 1, 'hi');");
  // Unannotated: a drop and an add, refused as destructive, with the hint.
  write_schema(project,
               "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n"
               "CREATE TABLE posts (id INTEGER PRIMARY KEY,\n"
               "  author INT REFERENCES users (id), content TEXT);\n");
  ProcessResult guessed = project.run("migrate-diff", {"migrations@head", "schema/"});
  CHECK(guessed.exit_code == 3);
  CHECK_THAT(guessed.err, Contains("\ncolumn posts.body is dropped and content added with the "
                                   "same type: if it is a rename, put `-- @renamed from=body` on "
                                   "the line of content in the schema file"));
  // Annotated: renames, which keep the rows.
  write_schema(project,
               "-- @renamed from=users\n"
               "CREATE TABLE accounts (\n"
               "  id INTEGER PRIMARY KEY,\n"
               "  email_address TEXT NOT NULL -- @renamed from=email\n"
               ");\n"
               "CREATE TABLE posts (id INTEGER PRIMARY KEY,\n"
               "  author INT REFERENCES accounts (id),\n"
               "  -- @renamed from=body\n"
               "  content TEXT);\n");
  ProcessResult renamed = project.run("migrate-diff", {"migrations@head", "schema/"});
  INFO(renamed.err);
  REQUIRE(renamed.exit_code == 0);
  CHECK_THAT(renamed.out, Contains("--   - rename table users to accounts\n"
                                   "--   - rename column accounts.email to email_address\n"
                                   "--   - rename column posts.body to content\n"
                                   "-- migrate:up\n"
                                   "ALTER TABLE users RENAME TO accounts;\n\n"
                                   "ALTER TABLE accounts RENAME COLUMN email TO email_address;\n\n"
                                   "ALTER TABLE posts RENAME COLUMN body TO content;\n"));
  CHECK_THAT(renamed.out, Contains("-- migrate:down\n"
                                   "ALTER TABLE accounts RENAME COLUMN email_address TO email;"));
  project.add("0002_rename.sql", renamed.out);
  ProcessResult up = project.run("migrate-upgrade");
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  CHECK(sqlite_rows(project.db(),
                    "SELECT a.email_address, p.content FROM posts AS p JOIN "
                    "accounts AS a ON a.id = p.author") == Rows{{"a@x", "hi"}});
  // The annotations stay in the file; once the rename ran they are nothing to do.
  ProcessResult after = project.run("migrate-diff", {"migrations@head", "schema/"});
  CHECK(after.exit_code == 0);
  CHECK(after.out.empty());
  REQUIRE(project.run("migrate-downgrade", {"-1"}).exit_code == 0);
  CHECK(sqlite_rows(project.db(), "SELECT email FROM users") == Rows{{"a@x"}});
}

TEST_CASE("diff: a malformed or misplaced @renamed is named at its line",
          "[e2e][diff][bad-input]") {
  Project project;
  add_users(project);
  write_schema(project,
               "-- @renamed\nCREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n");
  ProcessResult malformed = project.run("migrate-diff", {"migrations@head", "schema/"});
  CHECK(malformed.exit_code == 2);
  CHECK(malformed.out.empty());
  CHECK_THAT(malformed.err, Contains("schema/users.sql:1: a rename is written `-- @renamed "
                                     "from=OLD_NAME`"));
  write_schema(project,
               "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n"
               "-- @renamed from=old_view\nCREATE VIEW emails AS SELECT email FROM users;\n");
  ProcessResult misplaced = project.run("migrate-diff", {"migrations@head", "schema/"});
  CHECK(misplaced.exit_code == 2);
  CHECK_THAT(misplaced.err,
             Contains("schema/users.sql:2: `-- @renamed` belongs to a CREATE TABLE"));
}

TEST_CASE("diff: a renamed table that a view reads, in any case and comma style", "[e2e][diff]") {
  Project project;
  project.add("0001_users.sql",
              migration_text("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n"
                             "CREATE VIEW names AS SELECT name FROM users;",
                             "DROP VIEW names;\nDROP TABLE users;"));
  write_schema(project,
               "-- @renamed from=USERS\n"
               "CREATE TABLE people (\n"
               "    id INTEGER PRIMARY KEY\n"
               "  , full_name TEXT -- @renamed from=name\n"
               ");\n"
               "CREATE VIEW names AS SELECT full_name AS name FROM people;\n");
  ProcessResult diff = project.run("migrate-diff", {"migrations@head", "schema/"});
  INFO(diff.err);
  REQUIRE(diff.exit_code == 0);
  CHECK_THAT(diff.out, Contains("--   - rename table users to people\n"
                                "--   - rename column people.name to full_name\n"));
  project.add("0002_people.sql", diff.out);
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  REQUIRE(project.run("migrate-downgrade", {"-1"}).exit_code == 0);
  CHECK(
      project.run("migrate-diff", {"--check", "sqlite:migrate.db", "migrations@0001"}).exit_code ==
      0);
}

TEST_CASE("diff: the migrations folder without a revision, an empty folder, a stray annotation",
          "[e2e][diff][bad-input]") {
  Project project;
  add_users(project);
  write_schema(project, "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n");
  ProcessResult bare = project.run("migrate-diff", {"migrations", "schema/"});
  CHECK(bare.exit_code == 2);
  CHECK_THAT(bare.err, Contains("migrations is the migrations folder: say at which revision, as "
                                "in migrations@head"));
  std::filesystem::create_directories(project.root() / "empty");
  ProcessResult empty = project.run("migrate-diff", {"migrations@head", "empty"});
  CHECK(empty.exit_code == 2);
  CHECK_THAT(empty.err, Contains("empty holds no .sql file"));
  write_schema(project,
               "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n"
               "-- @renamed from=gone\n");
  ProcessResult stray = project.run("migrate-diff", {"migrations@head", "schema/"});
  CHECK(stray.exit_code == 2);
  CHECK_THAT(stray.err, Contains("schema/users.sql:2: `-- @renamed` after the last statement"));
}

TEST_CASE("diff: a throwaway cluster's server never outlives a migrate killed with kill -9",
          "[e2e][diff][postgres][crash]") {
  Project project;
  PostgresDatabase db;
  TempDir tmp;
  let_cluster_owner_in(tmp.path());
  project.add("0001_t.sql", migration_text("CREATE TABLE t (a int);", "DROP TABLE t;"));
  write_schema(project, "CREATE TABLE t (a int);\n");
  // No dev-database: migrate starts a cluster of its own under TMPDIR.
  RunningProcess running = project.start(
      "migrate-diff", {"--database", db.url(), "--check", "migrations@head", "schema/"},
      {.env = {{"TMPDIR", tmp.path().string()}}});
  REQUIRE(eventually([&] { return !postgres_processes_mentioning(tmp.path().string()).empty(); },
                     std::chrono::seconds(4)));
  running.kill(SIGKILL);
  CHECK(running.wait().exit_code == 128 + SIGKILL);
  CHECK(eventually([&] { return postgres_processes_mentioning(tmp.path().string()).empty(); },
                   std::chrono::seconds(10)));
  // The next run works, and cleans up after itself.
  ProcessResult again =
      project.run("migrate-diff", {"--database", db.url(), "--check", "migrations@head", "schema/"},
                  {.env = {{"TMPDIR", tmp.path().string()}}});
  INFO(again.err);
  CHECK(again.exit_code == 0);
  CHECK(postgres_processes_mentioning(tmp.path().string()).empty());
}

TEST_CASE("diff: a development server that refuses, and objects the model cannot hold",
          "[e2e][diff][postgres][bad-input]") {
  Project project;
  PostgresDatabase db;
  PostgresRole role("migrate_no_createdb");
  postgres_exec(postgres_admin_url(), "ALTER ROLE " + role.quoted() + " LOGIN");
  project.add("0001_t.sql", migration_text("CREATE TABLE t (a int);", "DROP TABLE t;"));
  write_schema(project, "CREATE TABLE t (a int);\n");
  std::string admin = postgres_admin_url();
  std::string as_role = "postgresql://" + role.name() + admin.substr(admin.find('@'));
  write_text(project.root() / "migrate.conf", "[migrate]\n\tdev-database = " + as_role + "\n");
  ProcessResult refused = project.run(
      "migrate-diff", {"--database", db.url(), "--check", "migrations@head", "schema/"});
  CHECK(refused.exit_code == 1);
  CHECK_THAT(refused.err, Contains("cannot create a development database on") &&
                              Contains("(dev-database in migrate.conf)") &&
                              Contains("Its role needs CREATEDB"));
  CHECK(refused.err.find(role.name() + ":") == std::string::npos);  // no password shown either

  // A rule: named, exit 2, never skipped.
  db.exec(
      "CREATE TABLE t (a int); CREATE TABLE u (a int);"
      "CREATE RULE t_to_u AS ON INSERT TO t DO ALSO INSERT INTO u VALUES (NEW.a);");
  write_text(project.root() / "migrate.conf",
             "[migrate]\n\tdev-database = " + postgres_admin_url() + "\n");
  ProcessResult rule =
      project.run("migrate-diff", {"--database", db.url(), "--check", db.url(), "migrations@head"});
  CHECK(rule.exit_code == 2);
  CHECK_THAT(rule.err, Contains("t_to_u"));
}

TEST_CASE("diff: a virtual table in schema files is named, exit 2", "[e2e][diff][bad-input]") {
  Project project;
  add_users(project);
  write_schema(project,
               "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n"
               "CREATE VIRTUAL TABLE docs USING fts5(body);\n");
  ProcessResult virtual_table = project.run("migrate-diff", {"migrations@head", "schema/"});
  CHECK(virtual_table.exit_code == 2);
  CHECK(virtual_table.out.empty());
  CHECK_THAT(virtual_table.err, Contains("virtual tables (docs)"));
}

TEST_CASE("diff: PostgreSQL, schema files against the migrations, closed by upgrade",
          "[e2e][diff][postgres]") {
  Project project;
  PostgresDatabase db;
  write_text(project.root() / "migrate.conf",
             "[migrate]\n\tdev-database = " + postgres_admin_url() + "\n");
  project.add("0001_users.sql",
              migration_text("CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY "
                             "KEY, email text NOT NULL);",
                             "DROP TABLE users;"));
  REQUIRE(project.run("migrate-upgrade", {"--database", db.url()}).exit_code == 0);
  db.exec("INSERT INTO users (email) VALUES ('a@x')");
  // The schema file puts the new column in the middle: PostgreSQL adds it at the end, says so.
  write_schema(project,
               "CREATE TYPE mood AS ENUM ('sad', 'happy');\n"
               "CREATE TABLE users (\n"
               "  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
               "  feeling mood,\n"
               "  email text NOT NULL\n"
               ");\n"
               "CREATE INDEX users_email ON users (lower(email));\n"
               "CREATE VIEW happy_users AS SELECT id, email FROM users WHERE feeling = 'happy';\n");
  ProcessResult diff =
      project.run("migrate-diff", {"--database", db.url(), "migrations@head", "schema/"});
  INFO(diff.err);
  REQUIRE(diff.exit_code == 0);
  CHECK_THAT(diff.err, Contains("note: column order of public.users differs: PostgreSQL cannot "
                                "reorder columns; left as is"));
  CHECK_THAT(diff.out, Contains("CREATE TYPE public.mood AS ENUM"));
  CHECK_THAT(diff.out, Contains("ALTER TABLE public.users ADD COLUMN feeling public.mood;"));
  CHECK_THAT(diff.out, Contains("-- hazard: locks-table"));  // the index on an existing table
  project.add("0002_moods.sql", diff.out);
  ProcessResult up = project.run("migrate-upgrade", {"--database", db.url()});
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  CHECK(db.rows("SELECT email FROM users") == Rows{{"a@x"}});
  CHECK(project.run("migrate-diff", {"--database", db.url(), "--check", db.url(), "schema/"})
            .exit_code == 0);
  REQUIRE(project.run("migrate-downgrade", {"--database", db.url(), "-1"}).exit_code == 0);
  CHECK(
      project.run("migrate-diff", {"--database", db.url(), "--check", db.url(), "migrations@0001"})
          .exit_code == 0);
}

TEST_CASE("diff: PostgreSQL renames said in schema files keep the rows", "[e2e][diff][postgres]") {
  Project project;
  PostgresDatabase db;
  write_text(project.root() / "migrate.conf",
             "[migrate]\n\tdev-database = " + postgres_admin_url() + "\n");
  project.add("0001_users.sql",
              migration_text("CREATE TABLE users (id int PRIMARY KEY, name text);\n"
                             "CREATE VIEW names AS SELECT name FROM users;",
                             "DROP VIEW names;\nDROP TABLE users;"));
  REQUIRE(project.run("migrate-upgrade", {"--database", db.url()}).exit_code == 0);
  db.exec("INSERT INTO users VALUES (1, 'ann')");
  write_schema(project,
               "-- @renamed from=users\n"
               "CREATE TABLE people (\n"
               "  id int PRIMARY KEY,\n"
               "  full_name text -- @renamed from=name\n"
               ");\n"
               "CREATE VIEW names AS SELECT full_name AS name FROM people;\n");
  ProcessResult diff =
      project.run("migrate-diff", {"--database", db.url(), "migrations@head", "schema/"});
  INFO(diff.err);
  REQUIRE(diff.exit_code == 0);
  CHECK_THAT(diff.out, Contains("--   - rename table users to people\n"
                                "--   - rename column people.name to full_name\n"));
  CHECK_THAT(diff.out, Contains("ALTER TABLE users RENAME TO people;"));
  project.add("0002_people.sql", diff.out);
  ProcessResult up = project.run("migrate-upgrade", {"--database", db.url()});
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  CHECK(db.rows("SELECT full_name FROM people") == Rows{{"ann"}});
  CHECK(db.rows("SELECT name FROM names") == Rows{{"ann"}});
  REQUIRE(project.run("migrate-downgrade", {"--database", db.url(), "-1"}).exit_code == 0);
  CHECK(db.rows("SELECT name FROM users") == Rows{{"ann"}});
}

TEST_CASE("diff: PostgreSQL renames of an index, a type and an enum value",
          "[e2e][diff][postgres]") {
  Project project;
  PostgresDatabase db;
  write_text(project.root() / "migrate.conf",
             "[migrate]\n\tdev-database = " + postgres_admin_url() + "\n");
  project.add("0001_moods.sql",
              migration_text("CREATE TYPE mood AS ENUM ('sad', 'ok');\n"
                             "CREATE TABLE t (id int PRIMARY KEY, m mood, n text);\n"
                             "CREATE INDEX t_n ON t (n);",
                             "DROP TABLE t;\nDROP TYPE mood;"));
  REQUIRE(project.run("migrate-upgrade", {"--database", db.url()}).exit_code == 0);
  db.exec("INSERT INTO t VALUES (1, 'ok', 'x')");
  write_schema(project,
               "-- @renamed from=mood\n"
               "CREATE TYPE feeling AS ENUM (\n"
               "  'sad',\n"
               "  'fine' -- @renamed from=ok\n"
               ");\n"
               "CREATE TABLE t (id int PRIMARY KEY, m feeling, n text);\n"
               "-- @renamed from=t_n\n"
               "CREATE INDEX t_by_n ON t (n);\n");
  ProcessResult diff =
      project.run("migrate-diff", {"--database", db.url(), "migrations@head", "schema/"});
  INFO(diff.err);
  REQUIRE(diff.exit_code == 0);
  CHECK_THAT(diff.out, Contains("ALTER TYPE mood RENAME TO feeling;"));
  CHECK_THAT(diff.out, Contains("ALTER INDEX t_n RENAME TO t_by_n;"));
  CHECK_THAT(diff.out, Contains("ALTER TYPE feeling RENAME VALUE 'ok' TO 'fine';"));
  project.add("0002_feelings.sql", diff.out);
  ProcessResult up = project.run("migrate-upgrade", {"--database", db.url()});
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  CHECK(db.rows("SELECT m::text FROM t") == Rows{{"fine"}});
  REQUIRE(project.run("migrate-downgrade", {"--database", db.url(), "-1"}).exit_code == 0);
  CHECK(db.rows("SELECT m::text FROM t") == Rows{{"ok"}});
}

TEST_CASE("diff: Ctrl-C stops and removes the throwaway cluster, and says so",
          "[e2e][diff][postgres][crash]") {
  Project project;
  PostgresDatabase db;
  TempDir tmp;
  let_cluster_owner_in(tmp.path());
  project.add("0001_t.sql", migration_text("CREATE TABLE t (a int);", "DROP TABLE t;"));
  write_schema(project, "CREATE TABLE t (a int);\n");
  // Both ways a cluster serves: two schemas compared, and the live drift of the database.
  std::vector<std::string> args =
      GENERATE(std::vector<std::string>{"--check", "migrations@head", "schema/"},
               std::vector<std::string>{});
  REQUIRE(project.run("migrate-upgrade", {"--database", db.url()}).exit_code == 0);
  args.insert(args.begin(), {"--database", db.url()});
  RunningProcess running =
      project.start("migrate-diff", args, {.env = {{"TMPDIR", tmp.path().string()}}});
  REQUIRE(eventually([&] { return !postgres_processes_mentioning(tmp.path().string()).empty(); },
                     std::chrono::seconds(4)));
  running.kill(SIGINT);
  ProcessResult stopped = running.wait();
  CHECK(stopped.exit_code == 1);
  CHECK_THAT(stopped.err,
             Contains("migrate-diff: error: interrupted (Ctrl-C): nothing was written"));
  // A server started as the signal came is told by the death signal.
  CHECK(eventually([&] { return postgres_processes_mentioning(tmp.path().string()).empty(); },
                   std::chrono::seconds(5)));
  bool left = false;
  for (const auto& entry : std::filesystem::directory_iterator(tmp.path())) {
    left = left || entry.path().filename().string().starts_with("migrate-dev-");
  }
  CHECK_FALSE(left);
}

TEST_CASE("diff: without FROM and TO, the database's drift from its applied migrations",
          "[e2e][diff]") {
  Project project;
  add_users(project);
  project.add("0002_posts.sql",
              migration_text("CREATE TABLE posts (id INTEGER PRIMARY KEY, body TEXT);",
                             "DROP TABLE posts;"));
  REQUIRE(project.run("migrate-upgrade", {"0001"}).exit_code == 0);
  // Only what was applied counts: 0002 is pending, no drift.
  ProcessResult clean = project.run("migrate-diff");
  INFO(clean.err);
  CHECK(clean.exit_code == 0);
  CHECK_THAT(clean.out,
             Contains("No drift: sqlite:migrate.db is what its applied migrations build."));
  // A hotfix by hand: an index and a column.
  sqlite_exec(project.db(),
              "CREATE INDEX users_email ON users (email);"
              "ALTER TABLE users ADD COLUMN note TEXT;");
  ProcessResult drift = project.run("migrate-diff");
  CHECK(drift.exit_code == 3);
  CHECK_THAT(drift.out, Contains("Drift: sqlite:migrate.db differs from what its applied "
                                 "migrations build:\n"));
  CHECK_THAT(drift.out, Contains("  - add column users.note\n"));
  CHECK_THAT(drift.out, Contains("  - create index users_email\n"));
  // Not there: an error, not created.
  ProcessResult absent = project.run("migrate-diff", {"--database", "sqlite:absent.db"});
  CHECK(absent.exit_code == 1);
  CHECK_FALSE(std::filesystem::exists(project.root() / "absent.db"));
}

TEST_CASE("diff: a stop drops the development databases it made on dev-database",
          "[e2e][diff][postgres][crash]") {
  Project project;
  PostgresDatabase db;
  // The command waits, so the stop comes while its development database exists.
  write_text(project.root() / "migrate.conf",
             fmt::format("[migrate]\n\tdatabase = {}\n\tdev-database = {}\n"
                         "\tschema-command = \"sleep 30\"\n",
                         db.url(), postgres_admin_url()));
  project.add("0001_t.sql", migration_text("CREATE TABLE t (a int);", "DROP TABLE t;"));
  RunningProcess running = project.start("migrate-diff", {"migrations@head", "schema-command"});
  std::string mine = fmt::format(
      "SELECT datname FROM pg_database WHERE datname LIKE 'migrate\\_dev\\_{}\\_%'", running.pid());
  REQUIRE(eventually([&] { return !postgres_rows(postgres_admin_url(), mine).empty(); },
                     std::chrono::seconds(20)));
  running.kill(SIGTERM);
  ProcessResult stopped = running.wait();
  CHECK(stopped.exit_code == 1);
  CHECK_THAT(stopped.err, Contains("interrupted"));
  CHECK(postgres_rows(postgres_admin_url(), mine).empty());
}

TEST_CASE("diff: an empty migration applied with --allow-empty is no drift", "[e2e][diff]") {
  Project project;
  add_users(project);
  project.add("0002_nothing.sql", migration_text("-- nothing yet", "-- nothing"));
  REQUIRE(project.run("migrate-upgrade", {"--allow-empty"}).exit_code == 0);
  ProcessResult clean = project.run("migrate-diff");
  INFO(clean.err);
  CHECK(clean.exit_code == 0);
  CHECK_THAT(clean.out, Contains("No drift"));
}
