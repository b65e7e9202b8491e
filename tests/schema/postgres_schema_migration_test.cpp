// Migrations generated between two PostgreSQL schemas, each tried both ways on the real server:
// FROM and TO built from SQL in two fresh databases and read from their catalogs, the up
// statements run on FROM's database in one transaction must give TO's model, the down
// statements then FROM's again.
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "db/connection.hpp"
#include "db/database_url.hpp"
#include "db/open_database.hpp"
#include "db/schema_readers.hpp"
#include "schema/postgres_schema_migration.hpp"
#include "schema/schema_migration.hpp"
#include "schema/schema_renames.hpp"
#include "support/postgres.hpp"
#include "util/error.hpp"

using namespace migrate;
using namespace migrate::test;
using Catch::Contains;

namespace {

std::unique_ptr<Connection> connect(const PostgresDatabase& db) {
  return open_database(parse_database_url(db.url(), "/"), {});
}

SchemaModel model_of(const PostgresDatabase& db) {
  return read_schema(*connect(db), {});
}

/// The model of a fresh database after `sql`.
SchemaModel model_of(const std::string& sql) {
  PostgresDatabase db;
  db.exec(sql);
  return model_of(db);
}

std::string joined(const std::vector<std::string>& statements) {
  std::string text;
  for (const std::string& statement : statements) {
    text += statement + ";\n";
  }
  return text;
}

/// Runs `statements` on `db` in one transaction.
void run_in_transaction(const PostgresDatabase& db, const std::vector<std::string>& statements) {
  if (!statements.empty()) {
    db.exec("BEGIN;\n" + joined(statements) + "COMMIT;");
  }
}

std::vector<std::string> descriptions(const SchemaMigration& m) {
  std::vector<std::string> out;
  for (const SchemaChange& c : m.changes) {
    out.push_back(c.description + (c.hazard.empty() ? "" : " [" + c.hazard + "]"));
  }
  return out;
}

/// The migration from the schema `from` makes to the one `to` makes, which must take FROM's
/// database to TO's model and back. `data`: rows put in FROM's database before the up runs.
SchemaMigration tried(const std::string& from, const std::string& to,
                      const std::string& data = {}) {
  PostgresDatabase before_db;
  PostgresDatabase after_db;
  if (!from.empty()) {
    before_db.exec(from);
  }
  if (!to.empty()) {
    after_db.exec(to);
  }
  SchemaModel before = model_of(before_db);
  SchemaModel after = model_of(after_db);
  SchemaMigration migration = postgres_schema_migration(before, after);
  INFO("up:\n"
       << joined(migration.up.statements) << "down:\n"
       << joined(migration.down.statements));
  INFO("changes:\n" << Catch::Detail::stringify(descriptions(migration)));
  if (!data.empty()) {
    before_db.exec(data);
  }
  run_in_transaction(before_db, migration.up.statements);
  CHECK(model_of(before_db) == after);
  run_in_transaction(before_db, migration.down.statements);
  CHECK(model_of(before_db) == before);
  return migration;
}

bool has(const std::vector<std::string>& list, const std::string& part) {
  return std::any_of(list.begin(), list.end(),
                     [&](const std::string& s) { return s.find(part) != std::string::npos; });
}

const char* const kBase =
    "CREATE TABLE users (id integer PRIMARY KEY, email text NOT NULL, age integer);";

}  // namespace

TEST_CASE("postgres migration: equal schemas give an empty migration", "[schema][postgres][diff]") {
  SchemaMigration m = tried(kBase, kBase);
  CHECK(m.empty());
  CHECK(m.up.statements.empty());
  CHECK(m.down.statements.empty());
}

TEST_CASE("postgres migration: a table created and dropped", "[schema][postgres][diff]") {
  SchemaMigration m =
      tried(kBase, std::string(kBase) + "CREATE TABLE \"Order\" (id bigint, note text);");
  CHECK(has(m.up.statements, "CREATE TABLE public.\"Order\""));
  CHECK(has(m.down.statements, "-- hazard: deletes-data: drops table public.Order"));
  CHECK(has(m.down.statements, "DROP TABLE public.\"Order\""));
  // The other way, the drop is destructive.
  SchemaMigration back = tried(std::string(kBase) + "CREATE TABLE \"Order\" (id bigint);", kBase);
  REQUIRE(back.destructive().size() == 1);
  CHECK(back.destructive()[0]->description == "drop table public.Order");
}

TEST_CASE("postgres migration: columns added and dropped", "[schema][postgres][diff]") {
  SchemaMigration m =
      tried(kBase,
            std::string(kBase) +
                "ALTER TABLE users ADD COLUMN name text COLLATE \"C\" DEFAULT 'x' NOT NULL, "
                "ADD COLUMN n bigint GENERATED ALWAYS AS IDENTITY (START WITH 10), "
                "ADD COLUMN twice integer GENERATED ALWAYS AS (age * 2) STORED;",
            "INSERT INTO users VALUES (1, 'a@b', 3);");
  CHECK(has(m.up.statements,
            "ALTER TABLE public.users ADD COLUMN name text COLLATE \"C\" "
            "DEFAULT 'x'::text NOT NULL"));
  CHECK(has(m.up.statements, "GENERATED ALWAYS AS IDENTITY"));
  CHECK(has(m.down.statements, "-- hazard: deletes-data: drops column public.users.name"));
  CHECK(m.destructive().empty());
}

TEST_CASE("postgres migration: a column's type changed", "[schema][postgres][diff]") {
  SchemaMigration m =
      tried(kBase, "CREATE TABLE users (id integer PRIMARY KEY, email text NOT NULL, age bigint);",
            "INSERT INTO users VALUES (1, 'a@b', 3);");
  CHECK(has(m.up.statements, "-- hazard: rewrites-table:"));
  CHECK(has(m.up.statements,
            "ALTER TABLE public.users ALTER COLUMN age TYPE bigint USING age::bigint"));
}

TEST_CASE("postgres migration: a column's default, NOT NULL and collation changed",
          "[schema][postgres][diff]") {
  SchemaMigration m = tried(
      "CREATE TABLE t (a integer DEFAULT 1, b text, c text NOT NULL, d integer DEFAULT 4);",
      "CREATE TABLE t (a integer DEFAULT 2, b text COLLATE \"C\", c text, d integer NOT NULL);",
      "INSERT INTO t VALUES (1, 'x', 'y', 5);");
  CHECK(has(m.up.statements, "ALTER TABLE public.t ALTER COLUMN a SET DEFAULT 2"));
  CHECK(has(m.up.statements, "ALTER TABLE public.t ALTER COLUMN d DROP DEFAULT"));
  CHECK(has(m.up.statements, "-- hazard: locks-table: SET NOT NULL scans all of public.t"));
  CHECK(has(m.up.statements, "ALTER TABLE public.t ALTER COLUMN c DROP NOT NULL"));
  CHECK(has(m.up.statements, "TYPE text COLLATE \"C\""));
}

TEST_CASE("postgres migration: identity added, dropped and changed", "[schema][postgres][diff]") {
  SchemaMigration m = tried(
      "CREATE TABLE t (a integer NOT NULL, b integer GENERATED ALWAYS AS IDENTITY, "
      "c integer GENERATED ALWAYS AS IDENTITY);",
      "CREATE TABLE t (a integer GENERATED BY DEFAULT AS IDENTITY, b integer NOT NULL, "
      "c integer GENERATED BY DEFAULT AS IDENTITY);");
  CHECK(has(m.up.statements, "ALTER COLUMN a ADD GENERATED BY DEFAULT AS IDENTITY"));
  CHECK(has(m.up.statements, "ALTER COLUMN b DROP IDENTITY"));
  CHECK(has(m.up.statements, "ALTER COLUMN c SET GENERATED BY DEFAULT"));
}

TEST_CASE("postgres migration: column order is reported, not changed", "[schema][postgres][diff]") {
  SchemaModel a = model_of("CREATE TABLE t (x integer, y integer);");
  SchemaModel b = model_of("CREATE TABLE t (y integer, x integer);");
  SchemaMigration m = postgres_schema_migration(a, b);
  CHECK(m.empty());
  CHECK(m.notes == std::vector<std::string>{"column order of public.t differs: PostgreSQL cannot "
                                            "reorder columns; left as is"});
  CHECK(same_schema(a, b));
  CHECK_FALSE(a == b);
  CHECK(m.up.statements.empty());
  CHECK(m.down.statements.empty());
}

TEST_CASE("postgres migration: constraints dropped, added and changed",
          "[schema][postgres][diff]") {
  SchemaMigration m = tried(
      "CREATE TABLE p (id integer PRIMARY KEY, code text CONSTRAINT p_code_key UNIQUE);"
      "CREATE TABLE c (id integer, p_id integer, n integer CONSTRAINT c_n_check CHECK (n > 0));",
      "CREATE TABLE p (id integer PRIMARY KEY, code text);"
      "CREATE TABLE c (id integer, p_id integer CONSTRAINT c_p_fk REFERENCES p (id) "
      "ON DELETE CASCADE, n integer CONSTRAINT c_n_check CHECK (n > 1));"
      "ALTER TABLE c ADD CONSTRAINT c_id_check CHECK (id > 0) NOT VALID;",
      "INSERT INTO p VALUES (1, 'a'); INSERT INTO c VALUES (-1, 1, 5);");
  CHECK(has(m.up.statements, "ALTER TABLE public.p DROP CONSTRAINT p_code_key"));
  CHECK(has(m.up.statements, "ALTER TABLE public.c DROP CONSTRAINT c_n_check"));
  CHECK(has(m.up.statements,
            "ADD CONSTRAINT c_p_fk FOREIGN KEY (p_id) REFERENCES public.p(id) "
            "ON DELETE CASCADE"));
  CHECK(has(m.up.statements, "-- hazard: locks-table: checking every row of public.c for c_p_fk"));
  CHECK(has(m.up.statements, "NOT VALID"));
}

TEST_CASE("postgres migration: a primary key changed takes its foreign keys along",
          "[schema][postgres][diff]") {
  tried(
      "CREATE TABLE p (id integer PRIMARY KEY, k integer NOT NULL);"
      "CREATE TABLE c (p_id integer REFERENCES p (id));",
      "CREATE TABLE p (id integer, k integer NOT NULL, PRIMARY KEY (id, k));"
      "CREATE TABLE c (p_id integer);"
      "ALTER TABLE p ADD CONSTRAINT p_id_key UNIQUE (id);"
      "ALTER TABLE c ADD CONSTRAINT c_p_id_fkey FOREIGN KEY (p_id) REFERENCES p (id);");
}

TEST_CASE("postgres migration: indexes dropped, created and changed", "[schema][postgres][diff]") {
  SchemaMigration m =
      tried(std::string(kBase) +
                "CREATE INDEX users_age ON users (age); CREATE INDEX users_email ON users (email);",
            std::string(kBase) +
                "CREATE INDEX users_age ON users (age DESC); CREATE UNIQUE INDEX users_lower ON "
                "users (lower(email)) WHERE age > 3;");
  CHECK(has(m.up.statements, "DROP INDEX public.users_email"));
  CHECK(has(m.up.statements, "DROP INDEX public.users_age"));
  CHECK(has(m.up.statements,
            "-- hazard: locks-table: CREATE INDEX blocks writes to public.users; "
            "for a large table, write it as CREATE INDEX CONCURRENTLY in a "
            "transaction:false section"));
  CHECK(!has(m.up.statements, "CONCURRENTLY ON"));
  CHECK_FALSE(m.up.no_transaction);
}

TEST_CASE("postgres migration: views and materialized views changed", "[schema][postgres][diff]") {
  SchemaMigration m = tried(std::string(kBase) +
                                "CREATE VIEW adults AS SELECT id, email FROM users WHERE age > 17;"
                                "CREATE VIEW adult_emails AS SELECT email FROM adults;"
                                "CREATE MATERIALIZED VIEW counts AS SELECT count(*) FROM users;",
                            std::string(kBase) +
                                "CREATE VIEW adults AS SELECT id, email FROM users WHERE age > 20;"
                                "CREATE VIEW adult_emails AS SELECT email FROM adults;"
                                "CREATE MATERIALIZED VIEW counts AS SELECT count(id) FROM users;");
  // adult_emails did not change, but depends on adults.
  CHECK(has(m.up.statements, "DROP VIEW public.adult_emails"));
  CHECK(has(m.up.statements, "DROP MATERIALIZED VIEW public.counts"));
}

TEST_CASE("postgres migration: a column's type changed under a view", "[schema][postgres][diff]") {
  SchemaMigration m = tried(std::string(kBase) +
                                "CREATE VIEW ages AS SELECT id, age FROM users;"
                                "CREATE VIEW old AS SELECT id FROM ages;",
                            "CREATE TABLE users (id integer PRIMARY KEY, email text NOT NULL, "
                            "age numeric);"
                            "CREATE VIEW ages AS SELECT id, age FROM users;"
                            "CREATE VIEW old AS SELECT id FROM ages;",
                            "INSERT INTO users VALUES (1, 'a', 5);");
  CHECK(has(m.up.statements, "DROP VIEW public.ages"));
  CHECK(has(m.up.statements, "DROP VIEW public.old"));
  CHECK(has(m.up.statements, "TYPE numeric USING age::numeric"));
}

TEST_CASE("postgres migration: sequences created, dropped and owned", "[schema][postgres][diff]") {
  tried("CREATE SEQUENCE s1 START WITH 5; CREATE TABLE t (id integer);",
        "CREATE SEQUENCE s2 AS integer INCREMENT BY 3;"
        "CREATE TABLE t (id integer);"
        "CREATE SEQUENCE s3 OWNED BY t.id;");
  tried("CREATE TABLE t (id integer); CREATE SEQUENCE s3;",
        "CREATE TABLE t (id integer); CREATE SEQUENCE s3 OWNED BY t.id;");
  tried("CREATE SEQUENCE s4 INCREMENT BY 2;", "CREATE SEQUENCE s4 INCREMENT BY 5 CACHE 3;");
}

TEST_CASE("postgres migration: enums created, dropped, with a value added",
          "[schema][postgres][diff]") {
  tried("", "CREATE TYPE mood AS ENUM ('sad', 'ok');");
  SchemaMigration m =
      tried("CREATE TYPE mood AS ENUM ('sad', 'ok'); CREATE TABLE t (m mood);",
            "CREATE TYPE mood AS ENUM ('meh', 'sad', 'ok', 'happy'); CREATE TABLE t (m mood);",
            "INSERT INTO t VALUES ('ok');");
  CHECK(has(m.up.statements, "ALTER TYPE public.mood ADD VALUE 'meh' BEFORE 'sad'"));
  CHECK(has(m.up.statements, "ALTER TYPE public.mood ADD VALUE 'happy' AFTER 'ok'"));
  CHECK(has(m.up.statements,
            "-- hazard: fails-on-data: the new value 'happy' of public.mood "
            "cannot be used before this transaction commits"));
}

TEST_CASE("postgres migration: an enum that loses a value is made again",
          "[schema][postgres][diff]") {
  SchemaMigration m = tried(
      "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');"
      "CREATE TABLE t (m mood DEFAULT 'ok', ms mood[]); CREATE VIEW v AS SELECT m FROM t;",
      "CREATE TYPE mood AS ENUM ('happy', 'ok');"
      "CREATE TABLE t (m mood DEFAULT 'ok', ms mood[]); CREATE VIEW v AS SELECT m FROM t;",
      "INSERT INTO t VALUES ('ok', ARRAY['happy'::mood]);");
  CHECK(has(m.up.statements, "ALTER TYPE public.mood RENAME TO mood_migrate_old"));
  CHECK(has(m.up.statements, "TYPE public.mood USING m::text::public.mood"));
  CHECK(has(m.up.statements, "TYPE public.mood[] USING ms::text[]::public.mood[]"));
  CHECK(has(m.up.statements, "DROP TYPE public.mood_migrate_old"));
}

TEST_CASE("postgres migration: domains and composite types", "[schema][postgres][diff]") {
  tried("CREATE DOMAIN posint AS integer CHECK (VALUE > 0); CREATE TYPE pair AS (a int, b text);",
        "CREATE DOMAIN posint AS bigint DEFAULT 1 NOT NULL CONSTRAINT positive CHECK (VALUE > 0);"
        "CREATE TYPE pair AS (a int, b text, c date);");
}

TEST_CASE("postgres migration: functions replaced, dropped and created",
          "[schema][postgres][diff]") {
  SchemaMigration m = tried(
      "CREATE FUNCTION f(a integer) RETURNS integer LANGUAGE sql AS 'SELECT a + 1';"
      "CREATE FUNCTION g() RETURNS integer LANGUAGE sql AS 'SELECT 1';"
      "CREATE PROCEDURE p() LANGUAGE sql AS 'SELECT 1';",
      "CREATE FUNCTION f(a integer) RETURNS integer LANGUAGE sql AS 'SELECT a + 2';"
      "CREATE FUNCTION g(x text) RETURNS integer LANGUAGE sql AS 'SELECT 1';"
      "CREATE PROCEDURE p() LANGUAGE sql AS 'SELECT 2';");
  CHECK(has(m.up.statements, "CREATE OR REPLACE FUNCTION public.f(a integer)"));
  CHECK(has(m.up.statements, "DROP FUNCTION public.g()"));
  CHECK(has(m.up.statements, "CREATE OR REPLACE PROCEDURE public.p()"));
}

TEST_CASE("postgres migration: triggers dropped, created and changed", "[schema][postgres][diff]") {
  const std::string base = std::string(kBase) +
                           "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS "
                           "'BEGIN RETURN NEW; END';";
  SchemaMigration m =
      tried(base +
                "CREATE TRIGGER a BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION touch();"
                "CREATE TRIGGER b BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION touch();",
            base +
                "CREATE TRIGGER a BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch();"
                "CREATE TRIGGER c AFTER DELETE ON users FOR EACH ROW EXECUTE FUNCTION touch();");
  CHECK(has(m.up.statements, "DROP TRIGGER b ON public.users"));
  CHECK(has(m.up.statements, "DROP TRIGGER a ON public.users"));
}

TEST_CASE("postgres migration: comments set, changed and removed", "[schema][postgres][diff]") {
  SchemaMigration m =
      tried(std::string(kBase) +
                "COMMENT ON TABLE users IS 'people'; COMMENT ON COLUMN users.age IS 'years';"
                "CREATE VIEW v AS SELECT id FROM users; COMMENT ON COLUMN v.id IS 'the id';"
                "CREATE TYPE mood AS ENUM ('a'); CREATE INDEX users_age ON users (age);",
            std::string(kBase) +
                "COMMENT ON TABLE users IS 'it''s people'; COMMENT ON COLUMN users.email IS 'at';"
                "CREATE VIEW v AS SELECT id FROM users; COMMENT ON VIEW v IS 'a view';"
                "CREATE TYPE mood AS ENUM ('a'); COMMENT ON TYPE mood IS 'feelings';"
                "CREATE INDEX users_age ON users (age); COMMENT ON INDEX users_age IS 'by age';"
                "COMMENT ON CONSTRAINT users_pkey ON users IS 'key';");
  CHECK(has(m.up.statements, "COMMENT ON TABLE public.users IS 'it''s people'"));
  CHECK(has(m.up.statements, "COMMENT ON COLUMN public.users.age IS NULL"));
  CHECK(has(m.up.statements, "COMMENT ON COLUMN public.v.id IS NULL"));
  CHECK(!has(m.up.statements, "DROP"));
}

TEST_CASE("postgres migration: grants and revokes", "[schema][postgres][diff]") {
  PostgresRole reader("pggen_reader");
  PostgresRole writer("pggen_writer");
  std::string base = std::string(kBase) +
                     "CREATE FUNCTION f() RETURNS integer LANGUAGE sql AS 'SELECT 1';"
                     "CREATE SEQUENCE s;";
  tried(base + fmt::format("GRANT SELECT ON users TO {0}; GRANT SELECT (age) ON users TO {1};"
                           "GRANT USAGE ON SEQUENCE s TO {1};",
                           reader.quoted(), writer.quoted()),
        base + fmt::format("GRANT SELECT, INSERT ON users TO {0} WITH GRANT OPTION;"
                           "GRANT UPDATE (email) ON users TO {1};"
                           "REVOKE EXECUTE ON FUNCTION f() FROM PUBLIC;"
                           "GRANT EXECUTE ON FUNCTION f() TO {0};",
                           reader.quoted(), writer.quoted()));
}

TEST_CASE("postgres migration: row level security and policies", "[schema][postgres][diff]") {
  SchemaMigration m = tried(std::string(kBase) +
                                "CREATE POLICY own ON users USING (id > 0);"
                                "CREATE POLICY gone ON users USING (true);",
                            std::string(kBase) +
                                "ALTER TABLE users ENABLE ROW LEVEL SECURITY;"
                                "ALTER TABLE users FORCE ROW LEVEL SECURITY;"
                                "CREATE POLICY own ON users USING (id > 1);"
                                "CREATE POLICY fresh ON users FOR SELECT USING (age > 1);");
  CHECK(has(m.up.statements, "ALTER TABLE public.users ENABLE ROW LEVEL SECURITY"));
  CHECK(has(m.down.statements, "ALTER TABLE public.users NO FORCE ROW LEVEL SECURITY"));
  CHECK(has(m.up.statements, "DROP POLICY gone ON public.users"));
}

TEST_CASE("postgres migration: schemas and extensions", "[schema][postgres][diff]") {
  tried("CREATE SCHEMA old_one; CREATE TABLE old_one.t (id integer);",
        "CREATE SCHEMA \"New\"; COMMENT ON SCHEMA \"New\" IS 'new';"
        "CREATE TABLE \"New\".t (id integer); CREATE EXTENSION citext;"
        "CREATE TABLE names (n citext);");
}

TEST_CASE("postgres migration: table storage options and UNLOGGED", "[schema][postgres][diff]") {
  tried("CREATE TABLE t (id integer) WITH (fillfactor = 70, autovacuum_enabled = false);",
        "CREATE UNLOGGED TABLE t (id integer) WITH (fillfactor = 80);");
}

TEST_CASE("postgres migration: through diff_schemas, with its notes", "[schema][postgres][diff]") {
  SchemaModel a = model_of("CREATE TABLE t (id integer, old_name text);");
  SchemaModel b = model_of("CREATE TABLE t (id integer, new_name text);");
  SchemaMigration m = diff_schemas(a, b);
  REQUIRE(m.notes.size() == 1);
  CHECK_THAT(m.notes[0], Contains("column public.t.old_name is dropped and new_name added"));
  REQUIRE(m.destructive().size() == 1);
  CHECK(m.destructive()[0]->hazard == "deletes-data: drops column public.t.old_name");
}

TEST_CASE("postgres migration: renames by rename_statements", "[schema][postgres][diff]") {
  PostgresDatabase before;
  PostgresDatabase after;
  before.exec("CREATE SCHEMA app; CREATE TABLE app.\"People\" (id integer, \"Name\" text);");
  after.exec("CREATE SCHEMA app; CREATE TABLE app.persons (id integer, full_name text);");
  SchemaRenames renames;
  renames.tables["app.persons"] = "app.People";
  renames.columns[{"app.persons", "full_name"}] = "Name";
  std::vector<std::string> forward = rename_statements("postgresql", renames, false);
  CHECK(forward ==
        std::vector<std::string>{"ALTER TABLE app.\"People\" RENAME TO persons",
                                 "ALTER TABLE app.persons RENAME COLUMN \"Name\" TO full_name"});
  SchemaModel original = model_of(before);
  run_in_transaction(before, forward);
  CHECK(model_of(before) == model_of(after));
  run_in_transaction(before, rename_statements("postgresql", renames, true));
  CHECK(model_of(before) == original);
}

TEST_CASE("postgres migration: a partitioning change is refused", "[schema][postgres][diff]") {
  SchemaModel a = model_of("CREATE TABLE t (id integer, at date) PARTITION BY RANGE (at);");
  SchemaModel b = model_of("CREATE TABLE t (id integer, at date) PARTITION BY LIST (id);");
  CHECK_THROWS_WITH(postgres_schema_migration(a, b),
                    Contains("cannot generate the change of table public.t's partitioning"));
}

TEST_CASE("postgres migration: a serial column added and dropped", "[schema][postgres][diff]") {
  SchemaMigration m = tried(kBase, std::string(kBase) + "ALTER TABLE users ADD COLUMN n serial;",
                            "INSERT INTO users VALUES (1, 'a', 2);");
  CHECK(has(m.up.statements, "CREATE SEQUENCE public.users_n_seq"));
  CHECK(has(m.up.statements, "OWNED BY public.users.n"));
  CHECK(has(m.down.statements, "ALTER SEQUENCE public.users_n_seq OWNED BY NONE"));
}

TEST_CASE("postgres migration: a generated column changed", "[schema][postgres][diff]") {
  SchemaMigration m = tried(
      "CREATE TABLE t (a integer, b integer GENERATED ALWAYS AS (a * 2) STORED);"
      "CREATE TABLE u (a integer, c integer GENERATED ALWAYS AS (a + 1) STORED);",
      "CREATE TABLE t (a integer, b integer GENERATED ALWAYS AS (a * 3) STORED);"
      "CREATE TABLE u (a integer, c integer);",
      "INSERT INTO t (a) VALUES (1); INSERT INTO u (a) VALUES (1);");
  CHECK(has(m.up.statements, "ALTER TABLE public.u ALTER COLUMN c DROP EXPRESSION"));
  CHECK(has(m.up.statements, "-- hazard: deletes-data: drops column public.t.b to add it again"));
  CHECK(has(m.down.statements, "-- hazard: deletes-data: drops column public.u.c to add it again"));
}

TEST_CASE("postgres migration: a column added before others is left at the end, and said so",
          "[schema][postgres][diff]") {
  SchemaModel a = model_of("CREATE TABLE t (x integer, z integer);");
  SchemaModel b = model_of("CREATE TABLE t (x integer, y integer, z integer);");
  SchemaMigration m = postgres_schema_migration(a, b);
  CHECK(descriptions(m) == std::vector<std::string>{"add column public.t.y"});
  CHECK(m.notes == std::vector<std::string>{"column order of public.t differs: PostgreSQL cannot "
                                            "reorder columns; left as is"});
  CHECK(joined(m.up.statements) == "ALTER TABLE public.t ADD COLUMN y integer;\n");
}

TEST_CASE("postgres migration: a type change keeps its default and indexes",
          "[schema][postgres][diff]") {
  SchemaMigration m = tried(
      "CREATE TABLE t (a integer DEFAULT 1 NOT NULL, b text); CREATE INDEX t_a ON t (a);",
      "CREATE TABLE t (a bigint DEFAULT 1 NOT NULL, b varchar(20)); CREATE INDEX t_a ON t (a);",
      "INSERT INTO t VALUES (5, 'x');");
  CHECK(has(m.up.statements, "ALTER TABLE public.t ALTER COLUMN a DROP DEFAULT"));
  CHECK(has(m.up.statements, "ALTER TABLE public.t ALTER COLUMN a SET DEFAULT 1"));
  CHECK(has(m.up.statements, "TYPE character varying(20) USING b::character varying(20)"));
}

TEST_CASE("postgres migration: a NOT NULL column without a default says it fails on data",
          "[schema][postgres][diff]") {
  SchemaMigration m =
      tried(kBase, std::string(kBase) + "ALTER TABLE users ADD COLUMN nick text NOT NULL;");
  CHECK(has(m.up.statements,
            "-- hazard: fails-on-data: public.users.nick is NOT NULL without a "
            "default"));
}

TEST_CASE("postgres migration: identity options changed", "[schema][postgres][diff]") {
  SchemaMigration m =
      tried("CREATE TABLE t (id integer GENERATED ALWAYS AS IDENTITY);",
            "CREATE TABLE t (id integer GENERATED ALWAYS AS IDENTITY (START WITH 100));");
  CHECK(has(m.up.statements, "DROP IDENTITY"));
  CHECK(has(m.up.statements, "ADD GENERATED ALWAYS AS IDENTITY (START WITH 100)"));
  CHECK(has(m.up.statements,
            "-- hazard: fails-on-data: the identity of public.t.id gets a new "
            "sequence"));
}

TEST_CASE("postgres migration: a default that calls a function, and the function, dropped",
          "[schema][postgres][diff]") {
  const char* const function = "CREATE FUNCTION one() RETURNS integer LANGUAGE sql AS 'SELECT 1';";
  tried(std::string(function) + "CREATE TABLE t (a integer DEFAULT one());",
        "CREATE TABLE t (a integer);");
  // Replaced in place, the default keeps calling it.
  tried(std::string(function) + "CREATE TABLE t (a integer DEFAULT one());",
        "CREATE FUNCTION one() RETURNS integer LANGUAGE sql AS 'SELECT 2';"
        "CREATE TABLE t (a integer DEFAULT one());");
}

TEST_CASE("postgres migration: an enum made again takes the functions that use it along",
          "[schema][postgres][diff]") {
  SchemaMigration m = tried(
      "CREATE TYPE mood AS ENUM ('a', 'b');"
      "CREATE FUNCTION f(m mood) RETURNS text LANGUAGE sql AS 'SELECT m::text';",
      "CREATE TYPE mood AS ENUM ('b', 'a');"
      "CREATE FUNCTION f(m mood) RETURNS text LANGUAGE sql AS 'SELECT m::text';");
  CHECK(has(m.up.statements, "DROP FUNCTION public.f(m public.mood)"));
}

TEST_CASE("postgres migration: a domain in use cannot be made again", "[schema][postgres][diff]") {
  SchemaModel a = model_of("CREATE DOMAIN posint AS integer; CREATE TABLE t (n posint);");
  SchemaModel b = model_of("CREATE DOMAIN posint AS bigint; CREATE TABLE t (n posint);");
  CHECK_THROWS_WITH(postgres_schema_migration(a, b),
                    Contains("table public.t uses domain public.posint, which must be dropped"));
}

TEST_CASE("postgres migration: a materialized view made again with its index",
          "[schema][postgres][diff]") {
  SchemaMigration m = tried(std::string(kBase) +
                                "CREATE MATERIALIZED VIEW mv AS SELECT id, age FROM users;"
                                "CREATE INDEX mv_id ON mv (id);",
                            "CREATE TABLE users (id integer PRIMARY KEY, email text NOT NULL);"
                            "CREATE MATERIALIZED VIEW mv AS SELECT id FROM users;"
                            "CREATE INDEX mv_id ON mv (id);");
  CHECK(has(m.up.statements, "DROP INDEX public.mv_id"));
  CHECK(has(m.up.statements, "DROP MATERIALIZED VIEW public.mv"));
}

TEST_CASE("postgres migration: a table dropped with the foreign key to it",
          "[schema][postgres][diff]") {
  tried(
      "CREATE TABLE p (id integer PRIMARY KEY);"
      "CREATE TABLE c (id integer, p_id integer REFERENCES p (id));",
      "CREATE TABLE c (id integer, p_id integer);");
}

TEST_CASE("postgres migration: column privileges of a role whose table privileges change",
          "[schema][postgres][diff]") {
  PostgresRole role("pggen_both");
  tried(std::string(kBase) + fmt::format("GRANT SELECT ON users TO {0};"
                                         "GRANT UPDATE (email) ON users TO {0};",
                                         role.quoted()),
        std::string(kBase) + fmt::format("GRANT SELECT, DELETE ON users TO {0};"
                                         "GRANT UPDATE (email), INSERT (age) ON users TO {0};",
                                         role.quoted()));
}

TEST_CASE("postgres migration: names that need quotes", "[schema][postgres][diff]") {
  tried("CREATE SCHEMA \"My Schema\"; CREATE TABLE \"My Schema\".\"Order\" (\"Id\" integer);",
        "CREATE SCHEMA \"My Schema\"; CREATE TABLE \"My Schema\".\"Order\" (\"Id\" bigint "
        "NOT NULL, \"select\" text DEFAULT 'x');"
        "CREATE INDEX \"Order By\" ON \"My Schema\".\"Order\" (\"select\");");
}

TEST_CASE("postgres migration: sequence options changed in place", "[schema][postgres][diff]") {
  SchemaMigration m = tried(
      "CREATE TABLE t (id serial, n integer);"
      "CREATE SEQUENCE down_seq INCREMENT BY -1;"
      "CREATE SEQUENCE s AS integer START WITH 7 CACHE 4 CYCLE;",
      "CREATE TABLE t (id serial, n integer);"
      "ALTER SEQUENCE t_id_seq INCREMENT BY 5 MAXVALUE 1000;"
      "CREATE SEQUENCE down_seq INCREMENT BY -2 MINVALUE -50;"
      "CREATE SEQUENCE s AS bigint;",
      "INSERT INTO t (n) VALUES (1), (2);");
  CHECK(has(m.up.statements, "ALTER SEQUENCE public.t_id_seq AS integer INCREMENT BY 5"));
  CHECK(!has(m.up.statements, "DROP SEQUENCE"));
}

TEST_CASE("postgres migration: a domain in use changed in place", "[schema][postgres][diff]") {
  SchemaMigration m = tried(
      "CREATE DOMAIN code AS text CONSTRAINT short CHECK (length(VALUE) < 10);"
      "CREATE TABLE t (c code);",
      "CREATE DOMAIN code AS text DEFAULT 'x' NOT NULL CONSTRAINT short CHECK (length(VALUE) < "
      "20) CONSTRAINT upper CHECK (VALUE = upper(VALUE));"
      "COMMENT ON CONSTRAINT upper ON DOMAIN code IS 'capitals';"
      "CREATE TABLE t (c code);",
      "INSERT INTO t VALUES ('AB');");
  CHECK(has(m.up.statements, "ALTER DOMAIN public.code SET DEFAULT 'x'::text"));
  CHECK(has(m.up.statements, "ALTER DOMAIN public.code DROP CONSTRAINT short"));
  CHECK(!has(m.up.statements, "DROP DOMAIN"));
}

TEST_CASE("postgres migration: the public schema's comment and privileges",
          "[schema][postgres][diff]") {
  PostgresRole role("pggen_public");
  tried("", fmt::format("COMMENT ON SCHEMA public IS 'mine'; REVOKE ALL ON SCHEMA public FROM "
                        "PUBLIC; GRANT USAGE ON SCHEMA public TO {};",
                        role.quoted()));
}

TEST_CASE("postgres migration: identity sequence privileges", "[schema][postgres][diff]") {
  PostgresRole role("pggen_ident");
  tried("CREATE TABLE t (id integer GENERATED ALWAYS AS IDENTITY);",
        fmt::format("CREATE TABLE t (id integer GENERATED ALWAYS AS IDENTITY);"
                    "GRANT USAGE ON SEQUENCE t_id_seq TO {};",
                    role.quoted()));
}

TEST_CASE("postgres migration: a materialized view created is filled", "[schema][postgres][diff]") {
  SchemaMigration m =
      tried(kBase, std::string(kBase) + "CREATE MATERIALIZED VIEW mv AS SELECT id FROM users;",
            "INSERT INTO users VALUES (1, 'a', 2);");
  CHECK(has(m.up.statements, "REFRESH MATERIALIZED VIEW public.mv"));
}

TEST_CASE("postgres migration: a column retyped under a policy and a trigger that read it",
          "[schema][postgres][diff]") {
  const std::string function =
      "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS "
      "'BEGIN RETURN NEW; END';";
  tried(function +
            "CREATE TABLE t (id integer, n integer); CREATE POLICY p ON t USING (n > 0);"
            "CREATE TRIGGER tr BEFORE UPDATE ON t FOR EACH ROW WHEN (NEW.n > 0) "
            "EXECUTE FUNCTION touch();",
        function +
            "CREATE TABLE t (id integer, n bigint); CREATE POLICY p ON t USING (n > 0);"
            "CREATE TRIGGER tr BEFORE UPDATE ON t FOR EACH ROW WHEN (NEW.n > 0) "
            "EXECUTE FUNCTION touch();",
        "INSERT INTO t VALUES (1, 2);");
}

TEST_CASE("postgres migration: both ends of a foreign key retyped", "[schema][postgres][diff]") {
  tried("CREATE TABLE p (id integer PRIMARY KEY); CREATE TABLE c (p_id integer REFERENCES p);",
        "CREATE TABLE p (id bigint PRIMARY KEY); CREATE TABLE c (p_id bigint REFERENCES p);",
        "INSERT INTO p VALUES (1); INSERT INTO c VALUES (1);");
}

TEST_CASE("postgres migration: a partition added to a partitioned table",
          "[schema][postgres][diff]") {
  const std::string parent =
      "CREATE TABLE m (id integer, at date NOT NULL) PARTITION BY RANGE "
      "(at);";
  tried(parent, parent +
                    "CREATE TABLE m_2024 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO "
                    "('2025-01-01');");
}

TEST_CASE("postgres migration: a table with a serial and an enum column dropped",
          "[schema][postgres][diff]") {
  SchemaMigration m = tried(
      "CREATE TABLE keep (id integer);"
      "CREATE TYPE mood AS ENUM ('a'); CREATE TABLE t (id serial PRIMARY KEY, m mood);",
      "CREATE TABLE keep (id integer);", "INSERT INTO t (m) VALUES ('a');");
  CHECK(m.destructive().size() == 1);
}

TEST_CASE("postgres migration: a new enum, sequence and function used by new columns",
          "[schema][postgres][diff]") {
  tried(kBase,
        std::string(kBase) +
            "CREATE TYPE mood AS ENUM ('a', 'b'); CREATE SEQUENCE counter;"
            "CREATE FUNCTION two() RETURNS integer LANGUAGE sql AS 'SELECT 2';"
            "ALTER TABLE users ADD COLUMN m mood DEFAULT 'b', "
            "ADD COLUMN c bigint DEFAULT nextval('counter'), "
            "ADD COLUMN d integer DEFAULT two() CHECK (d > 0);",
        "INSERT INTO users VALUES (1, 'a', 2);");
}

TEST_CASE("postgres migration: a function that becomes a procedure is made again",
          "[schema][postgres][diff]") {
  SchemaMigration m = tried("CREATE FUNCTION r(a integer) RETURNS void LANGUAGE sql AS 'SELECT';",
                            "CREATE PROCEDURE r(a integer) LANGUAGE sql AS 'SELECT 1';");
  CHECK(has(m.up.statements, "DROP FUNCTION public.r(a integer)"));
}
