// The PostgreSQL dump: names quoted as the server quotes them, literals, the items' order and
// their needs on hand-made models; then against the real server, the round trip (a schema of
// every kind read, dumped, loaded into a fresh database by psql, read again: the same model
// and the same bytes), and dumps that do not depend on the order objects were created in.
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "db/database_url.hpp"
#include "db/open_database.hpp"
#include "db/postgres/postgres_schema_reader.hpp"
#include "schema/postgres_schema_sql.hpp"
#include "schema/schema_dump.hpp"
#include "support/postgres.hpp"
#include "support/run_tool.hpp"
#include "support/temp_dir.hpp"
#include "util/file.hpp"

using namespace migrate;
using namespace migrate::test;
using Catch::Contains;
using Catch::StartsWith;

namespace {

SchemaModel read_model(const PostgresDatabase& db) {
  std::unique_ptr<Connection> connection = open_database(parse_database_url(db.url(), "/"), {});
  return read_postgres_schema(*connection, {});
}

/// Runs `sql` as psql runs a file, stopping at the first error.
void load_with_psql(const PostgresDatabase& db, const std::string& sql) {
  TempDir dir;
  write_text(dir / "dump.sql", sql);
  ProcessResult result = run_process(
      {"psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db.url(), "-f", (dir / "dump.sql")});
  INFO(sql);
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
}

/// Reads `db`, dumps it, loads the dump into a fresh database with psql and reads that: the
/// same model, and the same dump.
void check_round_trip(const PostgresDatabase& db) {
  SchemaModel model = read_model(db);
  std::string dump = dump_schema(model);
  PostgresDatabase copy;
  load_with_psql(copy, dump);
  SchemaModel again = read_model(copy);
  INFO(dump);
  CHECK(dump_schema(again) == dump);
  CHECK(again == model);
}

/// A schema with an object of every kind the model holds, in statements that each stand
/// alone, so that a test can run them in another order. `{role}` is a role's name.
std::vector<std::string> rich_schema(const std::string& role) {
  std::vector<std::string> statements = {
      "CREATE SCHEMA app",
      "COMMENT ON SCHEMA app IS 'the application'",
      "GRANT USAGE ON SCHEMA app TO {role}",
      "COMMENT ON SCHEMA public IS 'shared things'",
      "CREATE EXTENSION citext",
      "CREATE TYPE app.mood AS ENUM ('sad', 'ok', 'happy')",
      "ALTER TYPE app.mood ADD VALUE 'meh' BEFORE 'ok'",
      "COMMENT ON TYPE app.mood IS 'how one feels'",
      "REVOKE USAGE ON TYPE app.mood FROM PUBLIC",
      "CREATE DOMAIN app.positive AS integer DEFAULT 1 NOT NULL "
      "CONSTRAINT positive_check CHECK (VALUE > 0)",
      "ALTER DOMAIN app.positive ADD CONSTRAINT small CHECK (VALUE < 1000000) NOT VALID",
      "COMMENT ON DOMAIN app.positive IS 'more than zero'",
      "CREATE TYPE app.address AS (street text COLLATE \"C\", city text, zip app.positive)",
      "COMMENT ON COLUMN app.address.city IS 'the town'",
      "CREATE SEQUENCE app.invoice_numbers AS integer START WITH 1000 INCREMENT BY 10 CACHE 5",
      "COMMENT ON SEQUENCE app.invoice_numbers IS 'invoices'",
      "GRANT USAGE ON SEQUENCE app.invoice_numbers TO {role}",
      "CREATE FUNCTION app.next_code() RETURNS text LANGUAGE plpgsql AS $$ BEGIN RETURN 'c' || "
      "nextval('app.invoice_numbers'); END $$",
      "CREATE TABLE app.users (id bigint GENERATED ALWAYS AS IDENTITY (START WITH 100), "
      "email citext NOT NULL, name varchar(100) COLLATE \"C\", mood app.mood DEFAULT 'ok', "
      "home app.address, code text DEFAULT app.next_code(), score app.positive, "
      "created_at timestamptz NOT NULL DEFAULT now(), CONSTRAINT users_pkey PRIMARY KEY (id), "
      "CONSTRAINT users_email_key UNIQUE (email)) WITH (fillfactor = 80, "
      "toast.autovacuum_enabled = false)",
      "COMMENT ON TABLE app.users IS 'people'",
      "COMMENT ON COLUMN app.users.email IS 'unique'",
      "COMMENT ON CONSTRAINT users_email_key ON app.users IS 'one account each'",
      "GRANT SELECT, INSERT ON app.users TO {role}",
      "GRANT UPDATE (name) ON app.users TO {role}",
      "GRANT SELECT ON SEQUENCE app.users_id_seq TO {role}",
      "CREATE TABLE app.orders (id serial PRIMARY KEY, user_id bigint NOT NULL REFERENCES "
      "app.users (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED, total numeric(10,2) "
      "CHECK (total >= 0), quantity int, price numeric, amount numeric GENERATED ALWAYS AS "
      "(quantity * price) STORED, during tsrange, EXCLUDE USING gist (during WITH &&))",
      "ALTER TABLE app.orders ADD CONSTRAINT orders_total_small CHECK (total < 1000000) NOT VALID",
      "CREATE TABLE app.events (id int, at date NOT NULL, note text DEFAULT 'x') "
      "PARTITION BY RANGE (at)",
      "CREATE TABLE app.events_2024 PARTITION OF app.events "
      "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
      "CREATE TABLE app.events_other PARTITION OF app.events DEFAULT",
      "ALTER TABLE ONLY app.events_2024 ALTER COLUMN note SET DEFAULT 'y'",
      "CREATE INDEX events_id ON app.events (id)",
      "ALTER TABLE app.events ADD CONSTRAINT events_id_positive CHECK (id > 0)",
      "CREATE UNLOGGED TABLE app.cache (key text PRIMARY KEY, value jsonb)",
      "CREATE INDEX users_lower_name ON app.users (lower(name)) WHERE name IS NOT NULL",
      "COMMENT ON INDEX app.users_lower_name IS 'by name'",
      "CREATE INDEX orders_user ON app.orders USING btree (user_id) INCLUDE (total)",
      "CREATE VIEW app.user_orders AS SELECT u.id, u.email, count(o.id) AS orders "
      "FROM app.users u LEFT JOIN app.orders o ON o.user_id = u.id GROUP BY u.id",
      "COMMENT ON VIEW app.user_orders IS 'per user'",
      "COMMENT ON COLUMN app.user_orders.orders IS 'how many'",
      "GRANT SELECT (email) ON app.user_orders TO {role}",
      "GRANT SELECT ON app.user_orders TO {role} WITH GRANT OPTION",
      "CREATE VIEW app.big_orders WITH (security_barrier) AS SELECT id, total FROM app.orders "
      "WHERE total > 100 WITH LOCAL CHECK OPTION",
      "CREATE MATERIALIZED VIEW app.order_totals AS SELECT user_id, sum(total) AS total "
      "FROM app.orders GROUP BY user_id",
      "COMMENT ON MATERIALIZED VIEW app.order_totals IS 'totals'",
      "CREATE UNIQUE INDEX order_totals_user ON app.order_totals (user_id)",
      "CREATE FUNCTION app.order_count(u bigint) RETURNS bigint LANGUAGE sql STABLE "
      "AS $$ SELECT count(*) FROM app.orders WHERE user_id = u $$",
      "COMMENT ON FUNCTION app.order_count(bigint) IS 'how many'",
      "REVOKE EXECUTE ON FUNCTION app.order_count(bigint) FROM PUBLIC",
      "GRANT EXECUTE ON FUNCTION app.order_count(bigint) TO {role}",
      "CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
      "NEW.created_at := now(); RETURN NEW; END $$",
      "CREATE PROCEDURE app.reset(IN keep integer) LANGUAGE sql "
      "AS $$ DELETE FROM app.orders WHERE id > keep $$",
      "COMMENT ON PROCEDURE app.reset(integer) IS 'clears'",
      "REVOKE EXECUTE ON PROCEDURE app.reset(integer) FROM PUBLIC",
      "CREATE FUNCTION app.double(x integer) RETURNS integer LANGUAGE sql IMMUTABLE "
      "RETURN x * 2",
      "CREATE VIEW app.doubled AS SELECT app.double(id) AS twice FROM app.orders",
      "CREATE TRIGGER users_touch BEFORE UPDATE ON app.users FOR EACH ROW "
      "WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION app.touch()",
      "COMMENT ON TRIGGER users_touch ON app.users IS 'keeps created_at'",
      "ALTER TABLE app.orders ENABLE ROW LEVEL SECURITY",
      "ALTER TABLE app.orders FORCE ROW LEVEL SECURITY",
      "CREATE POLICY own_orders ON app.orders AS RESTRICTIVE FOR SELECT TO {role} "
      "USING (user_id = 1)",
      "COMMENT ON POLICY own_orders ON app.orders IS 'only mine'",
      "CREATE POLICY insert_orders ON app.orders FOR INSERT WITH CHECK (total > 0)",
      "CREATE TABLE public.notes (id integer PRIMARY KEY, \"Body\" text, \"select\" int)",
      "CREATE SEQUENCE public.notes_seq OWNED BY public.notes.id",
  };
  for (std::string& statement : statements) {
    for (std::size_t at = statement.find("{role}"); at != std::string::npos;
         at = statement.find("{role}")) {
      statement.replace(at, 6, role);
    }
  }
  return statements;
}

std::string joined(const std::vector<std::string>& statements) {
  std::string sql;
  for (const std::string& statement : statements) {
    sql += statement + ";\n";
  }
  return sql;
}

/// Runs `statements` in another order than given: from the last to the first, each on its own,
/// again and again, a statement that fails (what it needs is not there yet) left for the next
/// round. Returns the order they ran in.
std::vector<std::string> build_backwards(const PostgresDatabase& db,
                                         std::vector<std::string> statements) {
  std::reverse(statements.begin(), statements.end());
  std::vector<std::string> ran;
  while (!statements.empty()) {
    std::vector<std::string> failed;
    for (const std::string& statement : statements) {
      try {
        db.exec(statement);
        ran.push_back(statement);
      } catch (const std::exception&) {
        failed.push_back(statement);
      }
    }
    INFO(joined(failed));
    REQUIRE(failed.size() < statements.size());
    statements = std::move(failed);
  }
  return ran;
}

}  // namespace

TEST_CASE("postgres_identifier: plain lower-case words bare, anything else quoted", "[schema]") {
  CHECK(postgres_identifier("users") == "users");
  CHECK(postgres_identifier("created_at2") == "created_at2");
  CHECK(postgres_identifier("name") == "name");  // an unreserved keyword
  CHECK(postgres_identifier("select") == "\"select\"");
  CHECK(postgres_identifier("user") == "\"user\"");
  CHECK(postgres_identifier("int") == "\"int\"");  // a type's name: quoted, as quote_ident does
  CHECK(postgres_identifier("Order") == "\"Order\"");
  CHECK(postgres_identifier("my table") == "\"my table\"");
  CHECK(postgres_identifier("1st") == "\"1st\"");
  CHECK(postgres_identifier("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(postgres_identifier("caf\xc3\xa9") == "\"caf\xc3\xa9\"");
  CHECK(postgres_qualified({"app", "Users"}) == "app.\"Users\"");
  CHECK(postgres_qualified({"", "t"}) == "t");
}

TEST_CASE("postgres_identifier: quotes exactly what the server's quote_ident quotes",
          "[schema][postgres]") {
  PostgresDatabase db;
  Rows rows = db.rows(
      "SELECT w, quote_ident(w) FROM (SELECT word FROM pg_get_keywords() UNION ALL "
      "SELECT unnest(ARRAY['users', 'Users', '_x', 'x$', '9lives', 'a b', 'caf\u00e9'])) AS "
      "k(w)");
  REQUIRE(rows.size() > 400);
  for (const std::vector<std::string>& row : rows) {
    INFO(row[0]);
    CHECK(postgres_identifier(row[0]) == row[1]);
  }
}

TEST_CASE("postgres_literal: quotes doubled, backslashes in an E'' string", "[schema]") {
  CHECK(postgres_literal("plain") == "'plain'");
  CHECK(postgres_literal("it's") == "'it''s'");
  CHECK(postgres_literal("") == "''");
  CHECK(postgres_literal("C:\\dir's") == "E'C:\\\\dir''s'");
}

TEST_CASE("PostgreSQL dump: each item after what it needs, otherwise by kind and name",
          "[schema]") {
  SchemaModel model{"postgresql"};
  Table parent;
  parent.name = {"public", "b_events"};
  parent.columns = {{.name = "id", .type = "integer", .not_null = true},
                    {.name = "code", .type = "text", .default_value = "public.code()"}};
  parent.partition_key = "RANGE (id)";
  Table partition;
  partition.name = {"public", "a_events_1"};
  partition.partition_of = ObjectName{"public", "b_events"};
  partition.partition_bound = "FOR VALUES FROM (1) TO (10)";
  partition.columns = parent.columns;
  partition.columns[1].default_value = "'one'::text";
  Table users;
  users.name = {"public", "users"};
  users.columns = {{.name = "id", .type = "integer"}};
  users.constraints = {
      {.name = "users_pkey", .kind = ConstraintKind::primary_key, .definition = "PRIMARY KEY (id)"},
      {.name = "users_self",
       .kind = ConstraintKind::foreign_key,
       .definition = "FOREIGN KEY (id) REFERENCES public.users(id)",
       .references = {"public", "users"}},
      {.name = "users_check", .kind = ConstraintKind::check, .definition = "CHECK ((id > 0))"}};
  model.tables = {partition, parent, users};
  model.functions = {{.name = {"public", "code"},
                      .definition = "CREATE OR REPLACE FUNCTION public.code()\n RETURNS text\n"
                                    " LANGUAGE sql\nAS $function$ SELECT 'x' $function$\n",
                      .grants = {{"PUBLIC", {"EXECUTE"}, false}}},
                     {.name = {"public", "count_users"},
                      .definition = "CREATE OR REPLACE FUNCTION public.count_users()\n RETURNS "
                                    "bigint\n LANGUAGE sql\nAS $function$ SELECT count(*) FROM "
                                    "public.users $function$\n"}};
  model.views = {{.name = {"public", "a_view"}, .definition = " SELECT 1 FROM public.z_view;"},
                 {.name = {"public", "z_view"}, .definition = " SELECT 1;"}};
  model.dependencies = {{"table public.b_events", "function public.code()"},
                        {"view public.a_view", "view public.z_view"}};
  std::vector<DumpItem> items = postgres_dump_items(model);
  std::vector<std::string> order;
  for (const DumpItem* item : order_dump_items(items)) {
    order.push_back(item->key);
  }
  CHECK(order == std::vector<std::string>{
                     "setting check_function_bodies", "function public.code()",
                     "table public.b_events", "table public.a_events_1", "table public.users",
                     "view public.z_view", "view public.a_view", "function public.count_users()",
                     "constraint public.users.users_pkey", "constraint public.users.users_check",
                     "constraint public.users.users_self"});
  std::string dump = dump_schema(model);
  CHECK_THAT(dump, StartsWith("SET check_function_bodies = false;\n\n"));
  CHECK_THAT(dump, Contains("CREATE TABLE public.a_events_1 PARTITION OF public.b_events\n"
                            "FOR VALUES FROM (1) TO (10);\n"
                            "ALTER TABLE ONLY public.a_events_1 ALTER COLUMN code SET DEFAULT "
                            "'one'::text;\n\n"));
  CHECK_THAT(dump, Contains("CREATE VIEW public.a_view AS\n SELECT 1 FROM public.z_view;\n\n"));
  CHECK_THAT(dump, Contains("$function$ SELECT 'x' $function$;\n\nCREATE TABLE public.b_events"));
  // Functions have EXECUTE for PUBLIC unless it was revoked: revoked where the model lacks it.
  CHECK_THAT(dump, !Contains("GRANT EXECUTE ON FUNCTION public.code()"));
  CHECK_THAT(dump, Contains("REVOKE ALL ON FUNCTION public.count_users() FROM PUBLIC;\n"));
  CHECK(dump.ends_with(
      "ALTER TABLE public.users ADD CONSTRAINT users_self FOREIGN KEY (id) REFERENCES "
      "public.users(id);\n"));
}

TEST_CASE("PostgreSQL dump: a schema of every kind, loaded by psql, reads back the same",
          "[schema][postgres]") {
  PostgresRole role("schema_sql_role");
  PostgresDatabase db;
  db.exec(joined(rich_schema(role.quoted())));
  check_round_trip(db);
}

TEST_CASE(
    "PostgreSQL dump: names that need quotes, odd literals and partitions' own columns "
    "survive the round trip",
    "[schema][postgres]") {
  PostgresRole role("Schema Odd Role");
  PostgresDatabase db;
  std::string sql = R"(
CREATE SCHEMA "My App";
CREATE SCHEMA ext;
CREATE EXTENSION citext WITH SCHEMA ext;
COMMENT ON SCHEMA public IS NULL;
CREATE TYPE "My App"."Mood" AS ENUM ('it''s fine', E'back\\slash', 'café');
CREATE TYPE "My App".nothing AS ENUM ();
CREATE TYPE "My App".empty AS ();
CREATE DOMAIN "My App".moods AS "My App"."Mood"[];
CREATE DOMAIN "My App".posint AS integer CHECK (VALUE > 0);
CREATE TABLE "My App"."Order" ("select" int GENERATED ALWAYS AS IDENTITY
  (SEQUENCE NAME "My App"."Order Numbers" START WITH 5), "From" "My App".posint[],
  m "My App".moods, note ext.citext, "a.b" text);
CREATE TABLE "My App"."a.b" (c int);
CREATE SEQUENCE "My App"."dotted seq" OWNED BY "My App"."a.b".c;
CREATE TABLE "My App".parent (id int NOT NULL, k text DEFAULT 'p', flag bool)
  PARTITION BY LIST (k);
CREATE TABLE "My App"."Part A" PARTITION OF "My App".parent FOR VALUES IN ('a');
ALTER TABLE ONLY "My App"."Part A" ALTER COLUMN k DROP DEFAULT;
ALTER TABLE ONLY "My App"."Part A" ALTER COLUMN flag SET NOT NULL;
COMMENT ON COLUMN "My App"."Part A".flag IS 'set';
ALTER TABLE "My App"."Order" ADD CONSTRAINT "Order PK" PRIMARY KEY ("select");
CREATE UNIQUE INDEX "Idx" ON "My App"."Order" ("a.b") NULLS NOT DISTINCT;
COMMENT ON INDEX "My App"."Idx" IS E'back\\slash and ''quote''';
CREATE FUNCTION "My App"."Twice"(x integer) RETURNS integer LANGUAGE sql IMMUTABLE
  RETURN x * 2;
CREATE TABLE "My App".gen (a int, b int GENERATED ALWAYS AS ("My App"."Twice"(a)) STORED);
CREATE MATERIALIZED VIEW "My App".mv AS SELECT "select" FROM "My App"."Order";
CREATE VIEW "My App"."Over MV" AS SELECT * FROM "My App".mv;
CREATE RECURSIVE VIEW "My App".nums (n) AS VALUES (1) UNION ALL
  SELECT n + 1 FROM nums WHERE n < 5;
CREATE FUNCTION "My App".trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE TRIGGER "After Insert" AFTER INSERT ON "My App"."Order" REFERENCING NEW TABLE AS fresh
  FOR EACH STATEMENT EXECUTE FUNCTION "My App".trg();
COMMENT ON TRIGGER "After Insert" ON "My App"."Order" IS 'statement';
ALTER TABLE "My App"."Order" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Odd Policy" ON "My App"."Order" TO {role} USING ("select" > 0);
GRANT SELECT ON "My App"."Order" TO {role};
GRANT USAGE ON SCHEMA "My App" TO {role};
GRANT UPDATE ON SEQUENCE "My App"."Order Numbers" TO {role};
CREATE TABLE "My App".refs (o int REFERENCES "My App"."Order" ("select") MATCH FULL
  ON UPDATE RESTRICT);
)";
  db.exec(fmt::format(fmt::runtime(sql), fmt::arg("role", role.quoted())));
  check_round_trip(db);
}

TEST_CASE(
    "PostgreSQL dump: two databases built by the same statements in another order dump "
    "the same bytes",
    "[schema][postgres]") {
  PostgresRole role("schema_sql_role");
  PostgresDatabase forwards;
  PostgresDatabase backwards;
  std::vector<std::string> statements = rich_schema(role.quoted());
  forwards.exec(joined(statements));
  std::vector<std::string> order = build_backwards(backwards, statements);
  REQUIRE(order != statements);
  INFO(joined(order));
  SchemaModel model = read_model(forwards);
  CHECK(read_model(backwards) == model);
  std::string dump = dump_schema(model);
  CHECK(dump_schema(read_model(backwards)) == dump);
  CHECK(dump_schema(read_model(forwards)) == dump);  // and again: the same every run
}
