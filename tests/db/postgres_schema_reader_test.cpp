// read_postgres_schema against a real server (the throwaway cluster of scripts/with-postgres.sh):
// each kind of object read into the model with its fields as the catalog spells them, what is
// left out (PostgreSQL's own, extensions', state tables), objects the model cannot hold refused
// by name, spellings the catalog makes one, and the session left as it was.
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "db/connection.hpp"
#include "db/database_url.hpp"
#include "db/open_database.hpp"
#include "db/postgres/postgres_schema_reader.hpp"
#include "db/schema_readers.hpp"
#include "schema/unsupported_schema.hpp"
#include "support/postgres.hpp"

using namespace migrate;
using namespace migrate::test;
using Catch::Contains;
using Strings = std::vector<std::string>;

namespace {

std::unique_ptr<Connection> connect(const PostgresDatabase& db) {
  return open_database(parse_database_url(db.url(), "/"), {});
}

SchemaModel read_model(const PostgresDatabase& db, const SchemaReadOptions& options = {}) {
  return read_postgres_schema(*connect(db), options);
}

/// The model of a fresh database after `sql`.
SchemaModel model_of(const std::string& sql, const SchemaReadOptions& options = {}) {
  PostgresDatabase db;
  db.exec(sql);
  return read_model(db, options);
}

template <typename T>
const T& named(const std::vector<T>& objects, const std::string& schema, const std::string& name) {
  auto found = std::find_if(objects.begin(), objects.end(), [&](const T& object) {
    return object.name == ObjectName{schema, name};
  });
  REQUIRE(found != objects.end());
  return *found;
}

template <typename T>
const T& member(const std::vector<T>& objects, const std::string& name) {
  auto found = std::find_if(objects.begin(), objects.end(),
                            [&](const T& object) { return object.name == name; });
  REQUIRE(found != objects.end());
  return *found;
}

template <typename T>
Strings names(const std::vector<T>& objects) {
  Strings out;
  for (const T& object : objects) {
    if constexpr (std::is_same_v<decltype(object.name), ObjectName>) {
      out.push_back(display_name(object.name));
    } else {
      out.push_back(object.name);
    }
  }
  return out;
}

/// "grantee: PRIV, PRIV" (with " WITH GRANT OPTION"), one per Grant.
Strings grants(const std::vector<Grant>& list) {
  Strings out;
  for (const Grant& grant : list) {
    out.push_back(fmt::format("{}: {}{}", grant.grantee, fmt::join(grant.privileges, ", "),
                              grant.with_grant_option ? " WITH GRANT OPTION" : ""));
  }
  return out;
}

Strings dependencies(const SchemaModel& model) {
  Strings out;
  for (const Dependency& dependency : model.dependencies) {
    out.push_back(dependency.object + " -> " + dependency.needs);
  }
  return out;
}

std::string with_role(std::string sql, const std::string& role) {
  for (std::size_t at = sql.find("{role}"); at != std::string::npos; at = sql.find("{role}")) {
    sql.replace(at, 6, role);
  }
  return sql;
}

}  // namespace

TEST_CASE("PostgreSQL schema: an empty database has an empty model", "[schema][postgres]") {
  PostgresDatabase db;
  SchemaModel model = read_model(db);
  CHECK(model.engine == "postgresql");
  CHECK(model == SchemaModel{"postgresql"});
  // read_schema reaches the same reader for a PostgreSQL connection.
  CHECK(read_schema(*connect(db), {}) == model);
}

TEST_CASE("PostgreSQL schema: schemas and extensions, public only when it was changed",
          "[schema][postgres]") {
  PostgresRole role("schema_reader_schemas");
  SchemaModel model = model_of(with_role(
      "CREATE SCHEMA b; CREATE SCHEMA a; COMMENT ON SCHEMA a IS 'first';"
      "GRANT USAGE ON SCHEMA a TO {role}; GRANT CREATE ON SCHEMA a TO {role} WITH GRANT OPTION;"
      "CREATE SCHEMA ext; CREATE EXTENSION citext WITH SCHEMA ext;",
      role.name()));
  CHECK(names(model.schemas) == Strings{"a", "b", "ext"});
  const Schema& a = member(model.schemas, "a");
  CHECK(a.comment == "first");
  CHECK(grants(a.grants) ==
        Strings{role.name() + ": USAGE", role.name() + ": CREATE WITH GRANT OPTION"});
  CHECK(member(model.schemas, "b").grants.empty());
  REQUIRE(model.extensions.size() == 1);  // plpgsql, which every database has, is not listed
  CHECK(model.extensions[0].name == "citext");
  CHECK(model.extensions[0].schema == "ext");
  CHECK(model.extensions[0].comment == "data type for case-insensitive character strings");

  SchemaModel commented = model_of("COMMENT ON SCHEMA public IS 'ours'");
  REQUIRE(names(commented.schemas) == Strings{"public"});
  CHECK(commented.schemas[0].comment == "ours");
  CHECK(grants(commented.schemas[0].grants) == Strings{"PUBLIC: USAGE"});
  SchemaModel revoked = model_of("REVOKE USAGE ON SCHEMA public FROM PUBLIC");
  REQUIRE(names(revoked.schemas) == Strings{"public"});
  CHECK(revoked.schemas[0].comment == "standard public schema");
  CHECK(revoked.schemas[0].grants.empty());
}

TEST_CASE("PostgreSQL schema: objects that extensions created are left out", "[schema][postgres]") {
  SchemaModel model = model_of(
      "CREATE EXTENSION citext; CREATE EXTENSION pgcrypto; CREATE EXTENSION btree_gist;"
      "CREATE TABLE t (salt text DEFAULT gen_salt('md5'), name citext, tags citext[])");
  CHECK(names(model.extensions) == Strings{"btree_gist", "citext", "pgcrypto"});
  CHECK(model.functions.empty());  // hundreds of them, all the extensions'
  CHECK(model.enums.empty());
  CHECK(model.domains.empty());
  CHECK(model.composite_types.empty());
  CHECK(names(model.tables) == Strings{"public.t"});
  const Table& t = model.tables[0];
  CHECK(t.columns[0].default_value == "public.gen_salt('md5'::text)");
  CHECK(t.columns[1].type == "public.citext");
  CHECK(t.columns[2].type == "public.citext[]");
  // A table needs the extensions whose types and functions it uses, array types included.
  CHECK(dependencies(model) ==
        Strings{"table public.t -> extension citext", "table public.t -> extension pgcrypto"});
}

TEST_CASE("PostgreSQL schema: tables and columns as the catalog spells them",
          "[schema][postgres]") {
  SchemaModel model = model_of(
      "CREATE SCHEMA app;"
      "CREATE TABLE app.items ("
      "  id int GENERATED BY DEFAULT AS IDENTITY (START WITH 10 INCREMENT BY 5),"
      "  code varchar(10) COLLATE \"C\" NOT NULL DEFAULT 'x',"
      "  price numeric(8, 2), qty int2, total numeric GENERATED ALWAYS AS (price * qty) STORED,"
      "  added timestamptz DEFAULT CURRENT_TIMESTAMP, changed timestamptz DEFAULT now(),"
      "  \"Mixed Case\" text, tags text[]"
      ") WITH (fillfactor = 70, autovacuum_enabled = false, toast.autovacuum_enabled = off);"
      "COMMENT ON TABLE app.items IS 'things';"
      "COMMENT ON COLUMN app.items.code IS 'the code';"
      "CREATE UNLOGGED TABLE app.scratch (n bigint GENERATED ALWAYS AS IDENTITY "
      "(SEQUENCE NAME app.scratch_numbers MAXVALUE 1000 CYCLE));"
      "CREATE TABLE app.empty ();"
      "ALTER TABLE app.items ADD COLUMN gone int, ADD COLUMN later bool;"
      "ALTER TABLE app.items DROP COLUMN gone");
  CHECK(names(model.tables) == Strings{"app.empty", "app.items", "app.scratch"});
  const Table& items = named(model.tables, "app", "items");
  CHECK(names(items.columns) == Strings{"id", "code", "price", "qty", "total", "added", "changed",
                                        "Mixed Case", "tags", "later"});
  const Column& id = items.columns[0];
  CHECK(id.type == "integer");
  CHECK(id.not_null);
  CHECK(id.identity == "BY DEFAULT");
  CHECK(id.identity_options == "START WITH 10 INCREMENT BY 5");
  CHECK(id.default_value.empty());
  const Column& code = items.columns[1];
  CHECK(code.type == "character varying(10)");
  CHECK(code.collation == "\"C\"");
  CHECK(code.default_value == "'x'::character varying");
  CHECK(code.not_null);
  CHECK(code.comment == "the code");
  CHECK(items.columns[2].type == "numeric(8,2)");
  CHECK(items.columns[2].collation.empty());
  CHECK(items.columns[3].type == "smallint");
  const Column& total = items.columns[4];
  CHECK(total.generated == "(price * (qty)::numeric)");
  CHECK(total.generated_stored);
  CHECK(total.default_value.empty());
  CHECK(items.columns[5].default_value == "CURRENT_TIMESTAMP");
  CHECK(items.columns[6].default_value == "now()");
  CHECK(items.columns[8].type == "text[]");
  CHECK(items.options ==
        Strings{"autovacuum_enabled=false", "fillfactor=70", "toast.autovacuum_enabled=off"});
  CHECK(items.comment == "things");
  CHECK_FALSE(items.unlogged);
  const Table& scratch = named(model.tables, "app", "scratch");
  CHECK(scratch.unlogged);
  CHECK(scratch.columns[0].identity == "ALWAYS");
  CHECK(scratch.columns[0].identity_options ==
        "SEQUENCE NAME app.scratch_numbers MAXVALUE 1000 CYCLE");
  CHECK(named(model.tables, "app", "empty").columns.empty());
  // Identity columns' sequences are the columns' own, not objects of their own.
  CHECK(model.sequences.empty());
}

TEST_CASE("PostgreSQL schema: partitioned tables and their partitions", "[schema][postgres]") {
  SchemaModel model = model_of(
      "CREATE TABLE events (id int, at date NOT NULL, kind text DEFAULT 'a') "
      "PARTITION BY RANGE (at);"
      "CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO "
      "('2025-01-01') PARTITION BY LIST (kind);"
      "CREATE TABLE events_2024_a PARTITION OF events_2024 FOR VALUES IN ('a', 'b');"
      "CREATE TABLE events_rest PARTITION OF events DEFAULT;"
      "ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY (id, at, kind);"
      "ALTER TABLE events ADD CONSTRAINT events_id_check CHECK (id > 0);"
      "CREATE INDEX events_kind ON events (kind);"
      "CREATE TRIGGER events_note AFTER INSERT ON events FOR EACH ROW EXECUTE FUNCTION "
      "suppress_redundant_updates_trigger()");
  CHECK(names(model.tables) == Strings{"public.events", "public.events_2024",
                                       "public.events_2024_a", "public.events_rest"});
  const Table& events = named(model.tables, "public", "events");
  CHECK(events.partition_key == "RANGE (at)");
  CHECK_FALSE(events.partition_of);
  const Table& year = named(model.tables, "public", "events_2024");
  CHECK(year.partition_key == "LIST (kind)");
  CHECK(year.partition_of == ObjectName{"public", "events"});
  CHECK(year.partition_bound == "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')");
  CHECK(names(year.columns) == Strings{"id", "at", "kind"});
  CHECK(year.columns[2].default_value == "'a'::text");
  CHECK(named(model.tables, "public", "events_2024_a").partition_bound ==
        "FOR VALUES IN ('a', 'b')");
  CHECK(named(model.tables, "public", "events_rest").partition_bound == "DEFAULT");
  // What partitions inherit (the key, the CHECK, the index, the trigger) is the parent's alone.
  CHECK(names(events.constraints) == Strings{"events_pkey", "events_id_check"});
  CHECK(year.constraints.empty());
  CHECK(names(model.indexes) == Strings{"public.events_kind"});
  CHECK(model.indexes[0].definition ==
        "CREATE INDEX events_kind ON public.events USING btree (kind)");
  CHECK(names(model.triggers) == Strings{"events_note"});
}

TEST_CASE("PostgreSQL schema: constraints of every kind with their attributes",
          "[schema][postgres]") {
  SchemaModel model = model_of(
      "CREATE TABLE users (id int, email text, CONSTRAINT users_pk PRIMARY KEY (id), "
      "CONSTRAINT users_email UNIQUE (email) DEFERRABLE);"
      "CREATE TABLE orders (id int PRIMARY KEY, user_id int, during tsrange, total int,"
      "  CONSTRAINT orders_user FOREIGN KEY (user_id) REFERENCES users ON DELETE SET NULL "
      "  ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED,"
      "  CONSTRAINT orders_no_overlap EXCLUDE USING gist (during WITH &&));"
      "ALTER TABLE orders ADD CONSTRAINT orders_total CHECK (total >= 0) NOT VALID;"
      "ALTER TABLE orders ADD CONSTRAINT orders_email FOREIGN KEY (user_id) REFERENCES users (id) "
      "NOT VALID;"
      "COMMENT ON CONSTRAINT orders_total ON orders IS 'no refunds'");
  const Table& users = named(model.tables, "public", "users");
  CHECK(names(users.constraints) == Strings{"users_pk", "users_email"});
  const Constraint& pk = users.constraints[0];
  CHECK(pk.kind == ConstraintKind::primary_key);
  CHECK(pk.definition == "PRIMARY KEY (id)");
  CHECK(pk.columns == Strings{"id"});
  const Constraint& unique = users.constraints[1];
  CHECK(unique.kind == ConstraintKind::unique);
  CHECK(unique.definition == "UNIQUE (email) DEFERRABLE");
  CHECK(unique.deferrable);
  CHECK_FALSE(unique.initially_deferred);
  const Table& orders = named(model.tables, "public", "orders");
  CHECK(names(orders.constraints) ==
        Strings{"orders_pkey", "orders_email", "orders_user", "orders_total", "orders_no_overlap"});
  const Constraint& fk = member(orders.constraints, "orders_user");
  CHECK(fk.kind == ConstraintKind::foreign_key);
  CHECK(fk.definition ==
        "FOREIGN KEY (user_id) REFERENCES public.users(id) ON UPDATE CASCADE ON DELETE SET NULL "
        "DEFERRABLE INITIALLY DEFERRED");
  CHECK(fk.columns == Strings{"user_id"});
  CHECK(fk.references == ObjectName{"public", "users"});
  CHECK(fk.referenced_columns == Strings{"id"});
  CHECK(fk.on_delete == "SET NULL");
  CHECK(fk.on_update == "CASCADE");
  CHECK(fk.deferrable);
  CHECK(fk.initially_deferred);
  CHECK(fk.validated);
  const Constraint& unchecked = member(orders.constraints, "orders_email");
  CHECK_FALSE(unchecked.validated);
  CHECK(unchecked.on_delete.empty());
  CHECK(unchecked.definition == "FOREIGN KEY (user_id) REFERENCES public.users(id) NOT VALID");
  const Constraint& check = member(orders.constraints, "orders_total");
  CHECK(check.kind == ConstraintKind::check);
  CHECK(check.definition == "CHECK ((total >= 0)) NOT VALID");
  CHECK(check.columns.empty());
  CHECK_FALSE(check.validated);
  CHECK(check.comment == "no refunds");
  const Constraint& exclude = member(orders.constraints, "orders_no_overlap");
  CHECK(exclude.kind == ConstraintKind::exclude);
  CHECK(exclude.definition == "EXCLUDE USING gist (during WITH &&)");
  CHECK(exclude.columns == Strings{"during"});
  // The constraints' own indexes are no indexes of the model; the foreign keys' triggers are
  // PostgreSQL's, not the model's.
  CHECK(model.indexes.empty());
  CHECK(model.triggers.empty());
  CHECK(dependencies(model) ==
        Strings{"constraint public.orders.orders_email -> constraint public.users.users_pk",
                "constraint public.orders.orders_email -> table public.users",
                "constraint public.orders.orders_user -> constraint public.users.users_pk",
                "constraint public.orders.orders_user -> table public.users",
                "table public.orders -> table public.users"});
}

TEST_CASE("PostgreSQL schema: indexes, as pg_get_indexdef writes them", "[schema][postgres]") {
  SchemaModel model = model_of(
      "CREATE TABLE t (id int PRIMARY KEY, name text, doc jsonb, n int UNIQUE);"
      "CREATE UNIQUE INDEX t_lower_name ON t (lower(name)) WHERE name IS NOT NULL;"
      "CREATE INDEX t_doc ON t USING gin (doc);"
      "CREATE INDEX t_name_include ON t (name DESC NULLS LAST) INCLUDE (n);"
      "CREATE INDEX t_hash ON t USING hash (name);"
      "COMMENT ON INDEX t_doc IS 'documents';"
      "CREATE MATERIALIZED VIEW mv AS SELECT id FROM t;"
      "CREATE UNIQUE INDEX mv_id ON mv (id)");
  CHECK(names(model.indexes) == Strings{"public.mv_id", "public.t_doc", "public.t_hash",
                                        "public.t_lower_name", "public.t_name_include"});
  const Index& lower = named(model.indexes, "public", "t_lower_name");
  CHECK(lower.definition ==
        "CREATE UNIQUE INDEX t_lower_name ON public.t USING btree (lower(name)) WHERE (name IS "
        "NOT NULL)");
  CHECK(lower.unique);
  CHECK(lower.table == ObjectName{"public", "t"});
  CHECK(named(model.indexes, "public", "t_doc").comment == "documents");
  CHECK(named(model.indexes, "public", "t_name_include").definition ==
        "CREATE INDEX t_name_include ON public.t USING btree (name DESC NULLS LAST) INCLUDE (n)");
  CHECK(named(model.indexes, "public", "t_hash").definition ==
        "CREATE INDEX t_hash ON public.t USING hash (name)");
  const Index& mv = named(model.indexes, "public", "mv_id");
  CHECK(mv.table == ObjectName{"public", "mv"});
  CHECK(mv.unique);
}

TEST_CASE("PostgreSQL schema: views and materialized views", "[schema][postgres]") {
  PostgresRole role("schema_reader_views");
  SchemaModel model = model_of(
      with_role("CREATE TABLE t (id int PRIMARY KEY, n int);"
                "CREATE FUNCTION twice(x int) RETURNS int LANGUAGE sql IMMUTABLE RETURN x * 2;"
                "CREATE VIEW v AS SELECT id, twice(n) AS n2 FROM t WHERE n > 0;"
                "CREATE VIEW vv WITH (security_barrier = true) AS SELECT id FROM v WITH CASCADED "
                "CHECK OPTION;"
                "CREATE MATERIALIZED VIEW m WITH (fillfactor = 50) AS SELECT count(*) AS c FROM t;"
                "COMMENT ON VIEW v IS 'doubled'; GRANT SELECT ON v TO {role};"
                "COMMENT ON COLUMN v.n2 IS 'twice n'; GRANT UPDATE (id) ON v TO {role};",
                role.name()));
  CHECK(names(model.views) == Strings{"public.m", "public.v", "public.vv"});
  const View& v = named(model.views, "public", "v");
  CHECK(v.definition ==
        " SELECT t.id,\n    public.twice(t.n) AS n2\n   FROM public.t\n  WHERE (t.n > 0);");
  CHECK_FALSE(v.materialized);
  CHECK(v.comment == "doubled");
  CHECK(grants(v.grants) == Strings{role.name() + ": SELECT"});
  // Its columns are the query's, but for what only a column can have: comments, privileges.
  REQUIRE(names(v.columns) == Strings{"id", "n2"});
  CHECK(grants(v.columns[0].grants) == Strings{role.name() + ": UPDATE"});
  CHECK(v.columns[1].comment == "twice n");
  CHECK(v.columns[1].type.empty());
  CHECK(named(model.views, "public", "m").columns.empty());
  CHECK(named(model.views, "public", "vv").options ==
        Strings{"check_option=cascaded", "security_barrier=true"});
  const View& m = named(model.views, "public", "m");
  CHECK(m.materialized);
  CHECK(m.options == Strings{"fillfactor=50"});
  CHECK(dependencies(model) == Strings{"view public.m -> table public.t",
                                       "view public.v -> function public.twice(x integer)",
                                       "view public.v -> table public.t",
                                       "view public.vv -> view public.v"});
}

TEST_CASE("PostgreSQL schema: sequences, with only their options that are not the default",
          "[schema][postgres]") {
  SchemaModel model = model_of(
      "CREATE SEQUENCE plain;"
      "CREATE SEQUENCE small AS smallint INCREMENT BY 2 MINVALUE 5 CACHE 10;"
      "CREATE SEQUENCE down AS integer INCREMENT BY -1;"
      "CREATE SEQUENCE odd START WITH 7 MAXVALUE 99 CYCLE;"
      "CREATE TABLE t (id serial, other int, ident int GENERATED ALWAYS AS IDENTITY);"
      "CREATE SEQUENCE owned OWNED BY t.other;"
      "COMMENT ON SEQUENCE plain IS 'counts'");
  CHECK(names(model.sequences) == Strings{"public.down", "public.odd", "public.owned",
                                          "public.plain", "public.small", "public.t_id_seq"});
  const Sequence& plain = named(model.sequences, "public", "plain");
  CHECK(plain.type == "bigint");
  CHECK(plain.options.empty());
  CHECK(plain.comment == "counts");
  CHECK(named(model.sequences, "public", "small").type == "smallint");
  CHECK(named(model.sequences, "public", "small").options == "INCREMENT BY 2 MINVALUE 5 CACHE 10");
  CHECK(named(model.sequences, "public", "down").options == "INCREMENT BY -1");
  CHECK(named(model.sequences, "public", "odd").options == "START WITH 7 MAXVALUE 99 CYCLE");
  const Sequence& serial = named(model.sequences, "public", "t_id_seq");
  CHECK(serial.type == "integer");
  CHECK(serial.owned_by == "t.id");
  CHECK(named(model.sequences, "public", "owned").owned_by == "t.other");
  CHECK(named(model.tables, "public", "t").columns[0].default_value ==
        "nextval('public.t_id_seq'::regclass)");
  // The table needs the sequence its default calls; OWNED BY makes no dependency back.
  CHECK(dependencies(model) == Strings{"table public.t -> sequence public.t_id_seq"});
}

TEST_CASE("PostgreSQL schema: functions and procedures", "[schema][postgres]") {
  PostgresRole role("schema_reader_functions");
  SchemaModel model = model_of(
      with_role("CREATE FUNCTION add(a int, b int DEFAULT 1) RETURNS int LANGUAGE sql IMMUTABLE "
                "AS $$ SELECT a + b $$;"
                "CREATE FUNCTION add(a text, b text) RETURNS text LANGUAGE sql RETURN a || b;"
                "CREATE PROCEDURE tidy(IN days int) LANGUAGE plpgsql AS $$ BEGIN NULL; END $$;"
                "COMMENT ON FUNCTION add(int, int) IS 'sum';"
                "REVOKE EXECUTE ON FUNCTION add(text, text) FROM PUBLIC;"
                "GRANT EXECUTE ON FUNCTION add(text, text) TO {role};"
                "CREATE TABLE t (id int); CREATE FUNCTION all_t() RETURNS SETOF t LANGUAGE sql "
                "BEGIN ATOMIC SELECT * FROM t; END",
                role.name()));
  REQUIRE(names(model.functions) ==
          Strings{"public.add", "public.add", "public.all_t", "public.tidy"});
  const Function& numbers = model.functions[0];
  CHECK(numbers.arguments == "a integer, b integer");
  CHECK_FALSE(numbers.procedure);
  CHECK(numbers.definition ==
        "CREATE OR REPLACE FUNCTION public.add(a integer, b integer DEFAULT 1)\n RETURNS "
        "integer\n LANGUAGE sql\n IMMUTABLE\nAS $function$ SELECT a + b $function$\n");
  CHECK(numbers.comment == "sum");
  CHECK(grants(numbers.grants) == Strings{"PUBLIC: EXECUTE"});
  const Function& texts = model.functions[1];
  CHECK(texts.arguments == "a text, b text");
  CHECK(grants(texts.grants) == Strings{role.name() + ": EXECUTE"});
  const Function& tidy = model.functions[3];
  CHECK(tidy.procedure);
  CHECK(tidy.arguments == "IN days integer");
  CHECK(tidy.definition.starts_with("CREATE OR REPLACE PROCEDURE public.tidy(IN days integer)"));
  // A function needs the table whose row type it returns, and what its SQL body reads.
  CHECK(dependencies(model) == Strings{"function public.all_t() -> table public.t"});
}

TEST_CASE("PostgreSQL schema: triggers, not PostgreSQL's own", "[schema][postgres]") {
  SchemaModel model = model_of(
      "CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE b (a_id int REFERENCES a);"
      "CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;"
      "CREATE TRIGGER stamp BEFORE INSERT OR UPDATE OF id ON a FOR EACH ROW "
      "WHEN (NEW.id > 0) EXECUTE FUNCTION stamp();"
      "CREATE TRIGGER stamp BEFORE INSERT ON b FOR EACH ROW EXECUTE FUNCTION stamp();"
      "CREATE CONSTRAINT TRIGGER late AFTER INSERT ON b DEFERRABLE INITIALLY DEFERRED "
      "FOR EACH ROW EXECUTE FUNCTION stamp();"
      "CREATE VIEW v AS SELECT id FROM a;"
      "CREATE FUNCTION instead() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;"
      "CREATE TRIGGER v_insert INSTEAD OF INSERT ON v FOR EACH ROW EXECUTE FUNCTION instead();"
      "COMMENT ON TRIGGER stamp ON b IS 'b too'");
  REQUIRE(model.triggers.size() == 4);  // the foreign key's triggers are not the model's
  CHECK(model.triggers[0].name == "stamp");
  CHECK(model.triggers[0].table == ObjectName{"public", "a"});
  CHECK(model.triggers[0].definition ==
        "CREATE TRIGGER stamp BEFORE INSERT OR UPDATE OF id ON public.a FOR EACH ROW WHEN "
        "((new.id > 0)) EXECUTE FUNCTION public.stamp()");
  CHECK(model.triggers[1].name == "late");
  CHECK(model.triggers[1].definition.starts_with("CREATE CONSTRAINT TRIGGER late AFTER INSERT"));
  CHECK(model.triggers[2].name == "stamp");
  CHECK(model.triggers[2].table == ObjectName{"public", "b"});
  CHECK(model.triggers[2].comment == "b too");
  CHECK(model.triggers[3].name == "v_insert");
  CHECK(model.triggers[3].table == ObjectName{"public", "v"});
  CHECK(names(model.tables[1].constraints) == Strings{"b_a_id_fkey"});  // not "late"
}

TEST_CASE("PostgreSQL schema: enum, domain and composite types", "[schema][postgres]") {
  PostgresRole role("schema_reader_types");
  SchemaModel model = model_of(
      with_role("CREATE TYPE mood AS ENUM ('sad', 'happy'); ALTER TYPE mood ADD VALUE 'ok' BEFORE "
                "'happy'; ALTER TYPE mood ADD VALUE 'elated';"
                "CREATE TYPE nothing AS ENUM ();"
                "COMMENT ON TYPE mood IS 'feelings';"
                "CREATE DOMAIN code AS varchar(8) COLLATE \"C\" DEFAULT 'none' NOT NULL "
                "CONSTRAINT code_upper CHECK (VALUE = upper(VALUE));"
                "ALTER DOMAIN code ADD CONSTRAINT code_long CHECK (length(VALUE) > 2) NOT VALID;"
                "COMMENT ON CONSTRAINT code_upper ON DOMAIN code IS 'shouting';"
                "CREATE DOMAIN plain AS int;"
                "REVOKE USAGE ON DOMAIN plain FROM PUBLIC; GRANT USAGE ON DOMAIN plain TO {role};"
                "CREATE TYPE pair AS (left_side code, right_side text COLLATE \"POSIX\");"
                "COMMENT ON COLUMN pair.left_side IS 'first';"
                "CREATE TABLE t (p pair, m mood)",
                role.name()));
  CHECK(names(model.enums) == Strings{"public.mood", "public.nothing"});
  const EnumType& mood = named(model.enums, "public", "mood");
  CHECK(mood.values == Strings{"sad", "ok", "happy", "elated"});
  CHECK(mood.comment == "feelings");
  CHECK(grants(mood.grants) == Strings{"PUBLIC: USAGE"});
  CHECK(named(model.enums, "public", "nothing").values.empty());
  CHECK(names(model.domains) == Strings{"public.code", "public.plain"});
  const Domain& code = named(model.domains, "public", "code");
  CHECK(code.type == "character varying(8)");
  CHECK(code.collation == "\"C\"");
  CHECK(code.default_value == "'none'::character varying");
  CHECK(code.not_null);
  REQUIRE(names(code.checks) == Strings{"code_long", "code_upper"});
  CHECK(code.checks[0].definition == "CHECK ((length((VALUE)::text) > 2)) NOT VALID");
  CHECK_FALSE(code.checks[0].validated);
  CHECK(code.checks[1].definition == "CHECK (((VALUE)::text = upper((VALUE)::text)))");
  CHECK(code.checks[1].comment == "shouting");
  CHECK(grants(named(model.domains, "public", "plain").grants) == Strings{role.name() + ": USAGE"});
  // A table's row type is no composite type of the model.
  CHECK(names(model.composite_types) == Strings{"public.pair"});
  const CompositeType& pair = model.composite_types[0];
  REQUIRE(names(pair.attributes) == Strings{"left_side", "right_side"});
  CHECK(pair.attributes[0].type == "public.code");
  CHECK(pair.attributes[0].comment == "first");
  CHECK(pair.attributes[1].collation == "\"POSIX\"");
  CHECK(dependencies(model) == Strings{"table public.t -> type public.mood",
                                       "table public.t -> type public.pair",
                                       "type public.pair -> type public.code"});
}

TEST_CASE("PostgreSQL schema: grants, without the owner's own privileges", "[schema][postgres]") {
  PostgresRole reader("schema_reader_reader");
  PostgresRole writer("schema_reader_writer");
  std::string sql = fmt::format(
      "CREATE TABLE t (id int, secret text);"
      "GRANT UPDATE, SELECT, INSERT ON t TO {0}; GRANT SELECT ON t TO {1} WITH GRANT OPTION;"
      "GRANT DELETE ON t TO {1}; GRANT SELECT (id), UPDATE (id) ON t TO PUBLIC;"
      "CREATE SEQUENCE s; GRANT USAGE, SELECT ON SEQUENCE s TO {0};"
      "CREATE TABLE i (id int GENERATED ALWAYS AS IDENTITY);"
      "GRANT USAGE ON SEQUENCE i_id_seq TO {1};"
      "REVOKE ALL ON TABLE t FROM CURRENT_USER",
      reader.name(), writer.name());
  SchemaModel model = model_of(sql);
  const Table& t = named(model.tables, "public", "t");
  CHECK(grants(t.grants) == Strings{reader.name() + ": INSERT, SELECT, UPDATE",
                                    writer.name() + ": DELETE",
                                    writer.name() + ": SELECT WITH GRANT OPTION"});
  CHECK(grants(t.columns[0].grants) == Strings{"PUBLIC: SELECT, UPDATE"});
  CHECK(t.columns[1].grants.empty());
  CHECK(grants(model.sequences[0].grants) == Strings{reader.name() + ": SELECT, USAGE"});
  // An identity column's sequence is the column's, and so are the privileges on it.
  const Table& i = named(model.tables, "public", "i");
  CHECK(grants(i.columns[0].identity_grants) == Strings{writer.name() + ": USAGE"});
  CHECK(i.columns[0].grants.empty());
}

TEST_CASE("PostgreSQL schema: row-level security and policies", "[schema][postgres]") {
  PostgresRole role("schema_reader_policies");
  PostgresRole other("schema_reader_policies_b");
  SchemaModel model = model_of(fmt::format(
      "CREATE TABLE docs (id int, owner text, body text);"
      "ALTER TABLE docs ENABLE ROW LEVEL SECURITY; ALTER TABLE docs FORCE ROW LEVEL SECURITY;"
      "CREATE POLICY mine ON docs USING (owner = current_user);"
      "CREATE POLICY writers ON docs AS RESTRICTIVE FOR UPDATE TO {1}, {0} "
      "USING (id > 0) WITH CHECK (body IS NOT NULL);"
      "CREATE POLICY adding ON docs FOR INSERT WITH CHECK (true);"
      "COMMENT ON POLICY mine ON docs IS 'own rows';"
      "CREATE TABLE open (id int)",
      role.name(), other.name()));
  const Table& docs = named(model.tables, "public", "docs");
  CHECK(docs.row_security);
  CHECK(docs.force_row_security);
  CHECK_FALSE(named(model.tables, "public", "open").row_security);
  REQUIRE(names(model.policies) == Strings{"adding", "mine", "writers"});
  CHECK(model.policies[0].definition ==
        "CREATE POLICY adding ON public.docs AS PERMISSIVE FOR INSERT TO PUBLIC WITH CHECK (true)");
  CHECK(model.policies[1].definition ==
        "CREATE POLICY mine ON public.docs AS PERMISSIVE FOR ALL TO PUBLIC USING ((owner = "
        "CURRENT_USER))");
  CHECK(model.policies[1].comment == "own rows");
  CHECK(model.policies[2].table == ObjectName{"public", "docs"});
  std::vector<std::string> roles{role.name(), other.name()};
  std::sort(roles.begin(), roles.end());
  CHECK(model.policies[2].definition ==
        fmt::format("CREATE POLICY writers ON public.docs AS RESTRICTIVE FOR UPDATE TO {}, {} "
                    "USING ((id > 0)) WITH CHECK ((body IS NOT NULL))",
                    roles[0], roles[1]));
}

TEST_CASE("PostgreSQL schema: what the catalog spells one way reads the same",
          "[schema][postgres]") {
  SchemaModel written = model_of(
      "CREATE TABLE t (a int, b varchar(10), c int4 CHECK (c > 0 AND c < 10), "
      "d timestamp DEFAULT CURRENT_TIMESTAMP, e bool);"
      "CREATE VIEW v AS SELECT a, b FROM t WHERE a > 1;"
      "CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT x + 1; END;"
      "CREATE INDEX t_b ON t (b) WHERE e");
  SchemaModel respelled = model_of(
      "create table T (\"a\" INTEGER, B character varying (10), c INTEGER "
      "constraint t_c_check check ((C>0)and(c<10)), d TIMESTAMP WITHOUT TIME ZONE default "
      "current_timestamp, e boolean);\n"
      "create view V as\n  select   a,\n          b\n  from t\n  where   a>1;\n"
      "create function F(X integer) returns integer language SQL\nbegin atomic\n"
      "    select X+1;\nend;\n"
      "create index T_B on t using btree (B) where E");
  CHECK(respelled == written);
  // A function body in quotes is text the catalog keeps as written: two layouts differ.
  SchemaModel quoted = model_of("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'");
  SchemaModel requoted =
      model_of("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$\n  SELECT 1\n$$");
  CHECK(quoted.functions[0].definition != requoted.functions[0].definition);
  // now() and CURRENT_TIMESTAMP are two expressions to PostgreSQL.
  CHECK(model_of("CREATE TABLE t (d timestamptz DEFAULT now())") !=
        model_of("CREATE TABLE t (d timestamptz DEFAULT CURRENT_TIMESTAMP)"));
}

TEST_CASE("PostgreSQL schema: state tables are left out with what belongs to them",
          "[schema][postgres]") {
  std::string sql =
      "CREATE SCHEMA app; CREATE SCHEMA other;"
      "CREATE TABLE public.schema_migrations (id serial PRIMARY KEY, version text);"
      "CREATE INDEX schema_migrations_version ON public.schema_migrations (version);"
      "CREATE TABLE app.schema_migrations (id int); CREATE TABLE app.flyway_history (id int);"
      "CREATE TABLE other.flyway_history (id int);"
      "CREATE FUNCTION noop() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;"
      "CREATE TRIGGER t BEFORE INSERT ON public.schema_migrations FOR EACH ROW EXECUTE "
      "FUNCTION noop();"
      "CREATE POLICY p ON public.schema_migrations USING (true);"
      "CREATE VIEW applied AS SELECT version FROM public.schema_migrations";
  SchemaModel model = model_of(sql, {{"schema_migrations", "app.flyway_history"}});
  CHECK(names(model.tables) == Strings{"other.flyway_history"});
  CHECK(model.indexes.empty());
  CHECK(model.triggers.empty());
  CHECK(model.policies.empty());
  CHECK(model.sequences.empty());                          // the serial's
  CHECK(names(model.views) == Strings{"public.applied"});  // a view of the user's stays
  CHECK(model.dependencies.empty());
  CHECK(names(model_of(sql).tables) == Strings{"app.flyway_history", "app.schema_migrations",
                                               "other.flyway_history", "public.schema_migrations"});
}

TEST_CASE("PostgreSQL schema: objects the model cannot hold are refused, each by name",
          "[schema][postgres]") {
  PostgresDatabase db;
  db.exec(
      "CREATE TABLE t (id int); CREATE TABLE child (extra int) INHERITS (t);"
      "CREATE RULE keep AS ON DELETE TO t DO INSTEAD NOTHING;"
      "CREATE FOREIGN DATA WRAPPER dummy; CREATE SERVER remote FOREIGN DATA WRAPPER dummy;"
      "CREATE FOREIGN TABLE far (id int) SERVER remote;"
      "CREATE FUNCTION no_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$;"
      "CREATE EVENT TRIGGER no_ddl ON ddl_command_start EXECUTE FUNCTION no_ddl();"
      "CREATE AGGREGATE total(int) (SFUNC = int4pl, STYPE = int);"
      "CREATE OPERATOR === (LEFTARG = int, RIGHTARG = int, FUNCTION = int4eq);"
      "CREATE TYPE span AS RANGE (SUBTYPE = int);"
      "CREATE PUBLICATION everything FOR ALL TABLES;"
      "CREATE COLLATION german (provider = libc, locale = 'C');"
      "ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO PUBLIC;"
      "CREATE UNLOGGED SEQUENCE lonely; CREATE TYPE pair AS (a int, b int);"
      "CREATE TABLE typed OF pair; CREATE TEXT SEARCH CONFIGURATION plain (COPY = simple);"
      "CREATE STATISTICS both_columns ON id, extra FROM child;"
      "CREATE FUNCTION to_pair(integer) RETURNS pair LANGUAGE sql AS 'SELECT $1, $1';"
      "CREATE CAST (integer AS pair) WITH FUNCTION to_pair(integer);"
      "CREATE TABLE keyed (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY);"
      "COMMENT ON INDEX keyed_pkey IS 'the key'; COMMENT ON SEQUENCE keyed_id_seq IS 'ids'");
  try {
    read_model(db);
    FAIL("read_postgres_schema did not refuse");
  } catch (const UnsupportedSchema& e) {
    CHECK(e.exit_code() == ExitCode::bad_input);
    std::string message = e.what();
    for (const char* name :
         {"foreign table public.far", "rule keep on public.t", "event trigger no_ddl",
          "aggregate public.total(integer)", "operator public.===(integer,integer)",
          "range type public.span", "table inheritance: public.child inherits public.t",
          "publication everything", "server remote", "foreign-data wrapper dummy",
          "collation public.german", "default privileges on new relations",
          "unlogged sequence public.lonely", "typed table public.typed",
          "text search configuration public.plain", "statistics object public.both_columns",
          "cast from integer to public.pair", "comment on index public.keyed_pkey",
          "comment on sequence public.keyed_id_seq"}) {
      CHECK_THAT(message, Contains(name));
    }
  }
}

TEST_CASE("PostgreSQL schema: a read leaves the session as it was, in a transaction or not",
          "[schema][postgres]") {
  PostgresDatabase db;
  db.exec("CREATE SCHEMA app; CREATE TABLE app.t (d date DEFAULT '2024-02-01')");
  std::unique_ptr<Connection> connection = connect(db);
  connection->execute("SET search_path = app, public; SET DateStyle = 'SQL, DMY'");
  SchemaModel model = read_postgres_schema(*connection, {});
  // Read with every name qualified and ISO dates, whatever the session had.
  CHECK(model.tables[0].columns[0].default_value == "'2024-02-01'::date");
  CHECK_FALSE(connection->in_transaction());
  CHECK(connection->query("SHOW search_path")[0][0] == std::optional<std::string>("app, public"));
  CHECK(connection->query("SHOW DateStyle")[0][0] == std::optional<std::string>("SQL, DMY"));

  connection->begin();
  connection->execute("CREATE TABLE app.u (id int)");
  SchemaModel inside = read_postgres_schema(*connection, {});
  CHECK(names(inside.tables) == Strings{"app.t", "app.u"});  // sees its own transaction's work
  CHECK(connection->in_transaction());
  CHECK(connection->query("SHOW search_path")[0][0] == std::optional<std::string>("app, public"));
  connection->commit();
  CHECK(db.relations("app") == Strings{"t", "u"});

  // And on a connection opened read-only, as a dump's would be.
  std::unique_ptr<Connection> reader =
      open_database(parse_database_url(db.url(), "/"), {.read_only = true});
  CHECK(names(read_postgres_schema(*reader, {}).tables) == Strings{"app.t", "app.u"});
}

TEST_CASE("postgres_schema_reader: read again and again with its plans reused, the same model",
          "[schema][postgres]") {
  PostgresDatabase db;
  db.exec("CREATE TABLE a (id int PRIMARY KEY, name text NOT NULL)");
  std::unique_ptr<Connection> connection = connect(db);
  SchemaReadOptions repeated;
  repeated.repeated = true;
  SchemaModel first = read_postgres_schema(*connection, repeated);
  CHECK(first == read_model(db));
  // What changes between two reads is seen: the plans are the queries', not the results'.
  connection->execute("CREATE INDEX a_name ON a (name); CREATE TYPE mood AS ENUM ('sad')");
  SchemaModel second = read_postgres_schema(*connection, repeated);
  CHECK(second == read_model(db));
  CHECK(second.indexes.size() == 1);
  CHECK(second.enums.size() == 1);
  std::vector<SqlRow> prepared = connection->query(
      "SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 'migrate\\_schema\\_%'");
  CHECK(prepared.at(0).at(0).value_or("0") != "0");
  // Within a caller's transaction too, where the read is a savepoint.
  connection->begin();
  connection->execute("DROP INDEX a_name");
  CHECK(read_postgres_schema(*connection, repeated).indexes.empty());
  connection->rollback();
  CHECK(read_postgres_schema(*connection, repeated) == second);
}
