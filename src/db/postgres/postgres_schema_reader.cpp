#include "db/postgres/postgres_schema_reader.hpp"

#include <algorithm>
#include <climits>
#include <map>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "db/connection.hpp"
#include "schema/postgres_schema_sql.hpp"
#include "schema/unsupported_schema.hpp"
#include "util/error.hpp"
#include "util/sha256.hpp"

namespace migrate {

namespace {

// Every query gives OIDs as text only to join its rows to another query's, within one read:
// none reaches the model, and every list is sorted here, byte by byte, whatever the
// database's collation.

/// The schemas of a user's objects: not PostgreSQL's own, not a session's temporary ones.
/// `n` is the object's pg_namespace row.
constexpr std::string_view kUserSchema =
    "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_)'";

/// SQL that holds when the object `oid` of `catalog` was not created by an extension.
std::string own(std::string_view catalog, std::string_view oid) {
  return fmt::format(
      "NOT EXISTS (SELECT FROM pg_depend AS x WHERE x.classid = '{}'::regclass AND x.objid = {} "
      "AND x.deptype = 'e')",
      catalog, oid);
}

const std::string& text_of(const SqlRow& row, std::size_t i) {
  static const std::string kEmpty;
  return row.at(i) ? *row.at(i) : kEmpty;
}

bool flag(const SqlRow& row, std::size_t i) {
  return text_of(row, i) == "t";
}

/// The settings that make the server write every definition the same way on every machine:
/// every name qualified (no schema is on the search path), ISO dates, UTC, exact floats.
constexpr std::string_view kSettings =
    "SET LOCAL search_path = pg_catalog; SET LOCAL DateStyle = ISO; "
    "SET LOCAL IntervalStyle = postgres; SET LOCAL TimeZone = 'UTC'; "
    "SET LOCAL extra_float_digits = 1; SET LOCAL bytea_output = hex; "
    "SET LOCAL quote_all_identifiers = off; SET LOCAL standard_conforming_strings = on";

/// One snapshot of the catalog, with kSettings, for the whole read: a read-only transaction, or
/// a savepoint in the caller's. Rolled back at the end, so the session is left as it was.
class CatalogSnapshot {
 public:
  explicit CatalogSnapshot(Connection& connection)
      : m_connection(connection), m_nested(connection.in_transaction()) {
    try {
      m_connection.execute(fmt::format("{}; {}",
                                       m_nested ? "SAVEPOINT migrate_schema_read"
                                                : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
                                       kSettings));
    } catch (const Error&) {
      end();
      throw;
    }
  }
  CatalogSnapshot(const CatalogSnapshot&) = delete;
  CatalogSnapshot& operator=(const CatalogSnapshot&) = delete;
  ~CatalogSnapshot() { end(); }

 private:
  void end() noexcept {
    if (!m_nested) {
      m_connection.rollback();
      return;
    }
    try {
      m_connection.execute(
          "ROLLBACK TO SAVEPOINT migrate_schema_read; RELEASE SAVEPOINT migrate_schema_read");
    } catch (const Error&) {  // NOLINT(bugprone-empty-catch): the caller's transaction failed
    }
  }

  Connection& m_connection;
  bool m_nested;
};

/// Catalogs of objects the model has no place for, with the column that holds their schema
/// (empty for a database's objects that belong to no schema: those with an OID of PostgreSQL's
/// own, below 16384, are its built-ins).
struct RefusedCatalog {
  std::string_view catalog;
  std::string_view namespace_column;
};
constexpr RefusedCatalog kRefusedCatalogs[] = {
    {"pg_operator", "oprnamespace"},
    {"pg_opclass", "opcnamespace"},
    {"pg_opfamily", "opfnamespace"},
    {"pg_collation", "collnamespace"},
    {"pg_conversion", "connamespace"},
    {"pg_ts_config", "cfgnamespace"},
    {"pg_ts_dict", "dictnamespace"},
    {"pg_ts_parser", "prsnamespace"},
    {"pg_ts_template", "tmplnamespace"},
    {"pg_statistic_ext", "stxnamespace"},
    {"pg_event_trigger", ""},
    {"pg_cast", ""},
    {"pg_foreign_data_wrapper", ""},
    {"pg_foreign_server", ""},
    {"pg_language", ""},
    {"pg_am", ""},
    {"pg_transform", ""},
    {"pg_publication", ""},
    {"pg_default_acl", ""},
};

/// Runs the reader's queries. With SchemaReadOptions::repeated, each is prepared (a name from
/// its text's hash) the first time its session sees it and executed by name after: the planner's
/// work on these catalog queries is most of a read of a small schema, and a development
/// database is read again and again on one connection. Prepared statements outlive the read's
/// transaction (PREPARE is not rolled back), so the ones already there are asked first.
class CatalogQueries {
 public:
  CatalogQueries(Connection& connection, bool prepare)
      : m_connection(connection), m_prepare(prepare) {
    if (m_prepare) {
      for (const SqlRow& row : m_connection.query(
               "SELECT name FROM pg_prepared_statements WHERE name LIKE 'migrate\\_schema\\_%'")) {
        m_prepared.insert(text_of(row, 0));
      }
    }
  }

  Connection& connection() { return m_connection; }

  std::vector<SqlRow> operator()(std::string_view sql) {
    if (!m_prepare) {
      return m_connection.query(sql);
    }
    std::string name = "migrate_schema_" + sha256_hex(sql).substr(0, 24);
    if (m_prepared.insert(name).second) {
      m_connection.execute(fmt::format("PREPARE {} AS {}", name, sql));
    }
    return m_connection.query("EXECUTE " + name);
  }

 private:
  Connection& m_connection;
  bool m_prepare;
  std::set<std::string> m_prepared;
};

/// Throws UnsupportedSchema naming every object of the user's that the model cannot hold.
void refuse_unsupported(CatalogQueries& query) {
  std::vector<std::string> parts;
  auto relations = [&](std::string_view what, std::string_view where,
                       std::string_view joined = {}) {
    parts.push_back(fmt::format(
        "SELECT {} FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace{} "
        "WHERE {} AND {} AND {}",
        what, joined, where, kUserSchema, own("pg_class", "c.oid")));
  };
  relations("'foreign table ' || n.nspname || '.' || c.relname", "c.relkind = 'f'");
  relations("'typed table ' || n.nspname || '.' || c.relname",
            "c.relkind IN ('r', 'p') AND c.reloftype <> 0");
  // An unlogged table's identity or serial sequence is unlogged with it: that one is the table's.
  relations("'unlogged sequence ' || n.nspname || '.' || c.relname",
            "c.relkind = 'S' AND c.relpersistence = 'u' AND NOT EXISTS (SELECT FROM pg_depend AS d "
            "JOIN pg_class AS t ON t.oid = d.refobjid WHERE d.classid = 'pg_class'::regclass AND "
            "d.objid = c.oid AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') "
            "AND t.relpersistence = 'u')");
  relations(
      "'table ' || n.nspname || '.' || c.relname || ' (access method ' || "
      "(SELECT amname FROM pg_am WHERE oid = c.relam) || ')'",
      "c.relkind IN ('r', 'm') AND c.relam <> (SELECT oid FROM pg_am WHERE amname = 'heap')");
  relations(
      "'table inheritance: ' || n.nspname || '.' || c.relname || ' inherits ' || "
      "(SELECT pn.nspname || '.' || p.relname FROM pg_class AS p JOIN pg_namespace AS pn ON "
      "pn.oid = p.relnamespace WHERE p.oid = i.inhparent)",
      "NOT c.relispartition", " JOIN pg_inherits AS i ON i.inhrelid = c.oid");
  relations("'rule ' || r.rulename || ' on ' || n.nspname || '.' || c.relname",
            "r.rulename <> '_RETURN'", " JOIN pg_rewrite AS r ON r.ev_class = c.oid");
  parts.push_back(fmt::format(
      "SELECT 'aggregate ' || n.nspname || '.' || p.proname || '(' || "
      "pg_get_function_identity_arguments(p.oid) || ')' FROM pg_proc AS p JOIN pg_namespace AS n "
      "ON n.oid = p.pronamespace WHERE p.prokind = 'a' AND {} AND {}",
      kUserSchema, own("pg_proc", "p.oid")));
  parts.push_back(fmt::format(
      "SELECT CASE t.typtype WHEN 'r' THEN 'range type ' WHEN 'p' THEN 'shell type ' "
      "ELSE 'base type ' END || n.nspname || '.' || t.typname FROM pg_type AS t "
      "JOIN pg_namespace AS n ON n.oid = t.typnamespace WHERE (t.typtype IN ('r', 'p') OR "
      "(t.typtype = 'b' AND NOT EXISTS (SELECT FROM pg_type AS e WHERE e.typarray = t.oid))) "
      "AND {} AND {}",
      kUserSchema, own("pg_type", "t.oid")));
  for (const RefusedCatalog& refused : kRefusedCatalogs) {
    std::string where = refused.namespace_column.empty()
                            ? std::string("o.oid >= 16384")
                            : fmt::format("o.{} IN (SELECT n.oid FROM pg_namespace AS n WHERE {})",
                                          refused.namespace_column, kUserSchema);
    parts.push_back(fmt::format(
        "SELECT pg_describe_object('{0}'::regclass, o.oid, 0) FROM {0} AS o WHERE {1} AND {2}",
        refused.catalog, where, own(refused.catalog, "o.oid")));
  }
  // Comments on what the model holds as part of something else.
  relations("'comment on index ' || n.nspname || '.' || c.relname || ' (its constraint''s)'",
            "c.relkind IN ('i', 'I') AND obj_description(c.oid, 'pg_class') IS NOT NULL AND "
            "EXISTS (SELECT FROM pg_constraint AS co WHERE co.conindid = c.oid AND "
            "co.contype IN ('p', 'u', 'x'))");
  relations(
      "'comment on sequence ' || n.nspname || '.' || c.relname || ' (an identity "
      "column''s)'",
      "c.relkind = 'S' AND obj_description(c.oid, 'pg_class') IS NOT NULL AND EXISTS "
      "(SELECT FROM pg_depend AS d WHERE d.classid = 'pg_class'::regclass AND "
      "d.objid = c.oid AND d.deptype = 'i')");
  parts.emplace_back(
      "SELECT 'subscription ' || subname FROM pg_subscription "
      "WHERE subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())");
  std::vector<std::string> names;
  for (const SqlRow& row : query(fmt::format("{}", fmt::join(parts, " UNION ALL ")))) {
    names.push_back(text_of(row, 0));
  }
  if (names.empty()) {
    return;
  }
  std::sort(names.begin(), names.end());
  throw UnsupportedSchema(fmt::format(
      "the database has objects migrate's schema model does not hold: {}. A dump or a diff "
      "would leave them out; drop them, or keep them in a database that migrate does not "
      "compare",
      fmt::join(names, ", ")));
}

std::string collation_name(const std::string& schema, const std::string& name) {
  if (name.empty()) {
    return {};
  }
  return schema == "pg_catalog" ? postgres_identifier(name)
                                : postgres_identifier(schema) + "." + postgres_identifier(name);
}

/// A sequence's options as CREATE SEQUENCE takes them, only those that are not the default for
/// its type and direction, from the columns start, increment, max, min, cache, cycle at `i`.
std::string sequence_options(const std::string& type, const SqlRow& row, std::size_t i) {
  long long start = std::stoll(text_of(row, i));
  long long increment = std::stoll(text_of(row, i + 1));
  long long max = std::stoll(text_of(row, i + 2));
  long long min = std::stoll(text_of(row, i + 3));
  long long cache = std::stoll(text_of(row, i + 4));
  long long type_max = type == "smallint" ? 32767 : type == "integer" ? INT_MAX : LLONG_MAX;
  long long type_min = type == "smallint" ? -32768 : type == "integer" ? INT_MIN : LLONG_MIN;
  std::vector<std::string> parts;
  if (start != (increment > 0 ? min : max)) {
    parts.push_back(fmt::format("START WITH {}", start));
  }
  if (increment != 1) {
    parts.push_back(fmt::format("INCREMENT BY {}", increment));
  }
  if (min != (increment > 0 ? 1 : type_min)) {
    parts.push_back(fmt::format("MINVALUE {}", min));
  }
  if (max != (increment > 0 ? type_max : -1)) {
    parts.push_back(fmt::format("MAXVALUE {}", max));
  }
  if (cache != 1) {
    parts.push_back(fmt::format("CACHE {}", cache));
  }
  if (flag(row, i + 5)) {
    parts.emplace_back("CYCLE");
  }
  return fmt::format("{}", fmt::join(parts, " "));
}

std::string action(const std::string& code) {
  if (code == "r") {
    return "RESTRICT";
  }
  if (code == "c") {
    return "CASCADE";
  }
  if (code == "n") {
    return "SET NULL";
  }
  if (code == "d") {
    return "SET DEFAULT";
  }
  return {};  // 'a': NO ACTION
}

using GrantsById = std::map<std::string, std::vector<Grant>>;

/// The privileges on objects, by id: `objects` selects (id, acl, owner, kind) where kind is
/// acldefault's letter, so a NULL acl reads as PostgreSQL's default for the kind. The owner's
/// own privileges are left out.
GrantsById read_grants(CatalogQueries& query, std::string_view objects) {
  std::map<std::string, std::map<std::pair<std::string, bool>, std::vector<std::string>>> found;
  for (const SqlRow& row : query(fmt::format(
           "WITH o(id, acl, owner, kind) AS ({}) "
           "SELECT o.id, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) "
           "END, a.is_grantable, a.privilege_type FROM o, "
           "aclexplode(coalesce(o.acl, acldefault(o.kind, o.owner))) AS a "
           "WHERE a.grantee <> o.owner",
           objects))) {
    found[text_of(row, 0)][{text_of(row, 1), flag(row, 2)}].push_back(text_of(row, 3));
  }
  GrantsById grants;
  for (auto& [id, by_grantee] : found) {
    for (auto& [grantee, privileges] : by_grantee) {
      std::sort(privileges.begin(), privileges.end());
      privileges.erase(std::unique(privileges.begin(), privileges.end()), privileges.end());
      grants[id].push_back({grantee.first, std::move(privileges), grantee.second});
    }
  }
  return grants;
}

std::vector<Grant> grants_of(const GrantsById& grants, const std::string& id) {
  auto found = grants.find(id);
  return found == grants.end() ? std::vector<Grant>() : found->second;
}

/// What the reader builds, with the ids (OIDs as text) of what later queries add to.
class Reader {
 public:
  Reader(CatalogQueries& queries, const SchemaReadOptions& options)
      : m_connection(queries.connection()), m_queries(queries), m_options(options) {
    m_model.engine = "postgresql";
  }

  SchemaModel read() {
    read_schemas();
    read_extensions();
    read_types();
    read_sequences();
    read_functions();
    read_tables();
    read_views();
    read_columns();
    read_constraints();
    read_relation_options();
    read_indexes();
    read_triggers();
    read_policies();
    read_dependencies();
    leave_out_excluded_tables();
    sort();
    return std::move(m_model);
  }

 private:
  std::vector<SqlRow> query(std::string_view sql) { return m_queries(sql); }

  /// `public` is listed when it differs from what every new database has: the comment
  /// "standard public schema" and USAGE for PUBLIC (and CREATE before PostgreSQL 15).
  bool default_public(const Schema& schema) const {
    std::vector<std::string> privileges{"USAGE"};
    if (m_connection.server_version() < 150000) {
      privileges.insert(privileges.begin(), "CREATE");
    }
    return schema.comment == "standard public schema" &&
           schema.grants == std::vector<Grant>{{"PUBLIC", privileges, false}};
  }

  void read_schemas() {
    GrantsById grants =
        read_grants(m_queries, fmt::format("SELECT n.oid::text, n.nspacl, n.nspowner, "
                                           "'n'::\"char\" FROM pg_namespace AS n WHERE {}",
                                           kUserSchema));
    for (const SqlRow& row :
         query(fmt::format("SELECT n.oid::text, n.nspname, obj_description(n.oid, 'pg_namespace') "
                           "FROM pg_namespace AS n WHERE {} AND {}",
                           kUserSchema, own("pg_namespace", "n.oid")))) {
      Schema schema{text_of(row, 1), text_of(row, 2), grants_of(grants, text_of(row, 0))};
      if (schema.name != "public" || !default_public(schema)) {
        m_model.schemas.push_back(std::move(schema));
      }
    }
  }

  void read_extensions() {
    for (const SqlRow& row :
         query("SELECT e.extname, n.nspname, obj_description(e.oid, 'pg_extension') "
               "FROM pg_extension AS e JOIN pg_namespace AS n ON n.oid = e.extnamespace")) {
      if (text_of(row, 0) == "plpgsql" && text_of(row, 1) == "pg_catalog") {
        continue;  // every database has it
      }
      m_model.extensions.push_back({text_of(row, 0), text_of(row, 1), text_of(row, 2)});
    }
  }

  void read_types() {
    GrantsById grants = read_grants(
        m_queries, fmt::format("SELECT t.oid::text, t.typacl, t.typowner, 'T'::\"char\" FROM "
                               "pg_type AS t JOIN pg_namespace AS n ON n.oid = t.typnamespace "
                               "WHERE t.typtype IN ('e', 'd', 'c') AND {}",
                               kUserSchema));
    std::string types =
        fmt::format("JOIN pg_namespace AS n ON n.oid = t.typnamespace WHERE {} AND {}", kUserSchema,
                    own("pg_type", "t.oid"));
    std::map<std::string, std::size_t> enums;
    for (const SqlRow& row : query(fmt::format(
             "SELECT t.oid::text, n.nspname, t.typname, obj_description(t.oid, 'pg_type'), "
             "e.enumlabel FROM pg_type AS t LEFT JOIN pg_enum AS e ON e.enumtypid = t.oid {} "
             "AND t.typtype = 'e' ORDER BY t.oid, e.enumsortorder",
             types))) {
      auto [found, added] = enums.emplace(text_of(row, 0), m_model.enums.size());
      if (added) {
        m_model.enums.push_back({{text_of(row, 1), text_of(row, 2)},
                                 {},
                                 text_of(row, 3),
                                 grants_of(grants, text_of(row, 0))});
      }
      if (row.at(4)) {
        m_model.enums[found->second].values.push_back(text_of(row, 4));
      }
    }
    std::map<std::string, std::size_t> domains;
    for (const SqlRow& row : query(fmt::format(
             "SELECT t.oid::text, n.nspname, t.typname, format_type(t.typbasetype, t.typtypmod), "
             "cn.nspname, co.collname, pg_get_expr(t.typdefaultbin, 0), t.typnotnull, "
             "obj_description(t.oid, 'pg_type') FROM pg_type AS t "
             "JOIN pg_type AS b ON b.oid = t.typbasetype "
             "LEFT JOIN pg_collation AS co ON co.oid = t.typcollation AND "
             "t.typcollation <> b.typcollation "
             "LEFT JOIN pg_namespace AS cn ON cn.oid = co.collnamespace {} AND t.typtype = 'd'",
             types))) {
      domains.emplace(text_of(row, 0), m_model.domains.size());
      Domain domain;
      domain.name = {text_of(row, 1), text_of(row, 2)};
      domain.type = text_of(row, 3);
      domain.collation = collation_name(text_of(row, 4), text_of(row, 5));
      domain.default_value = text_of(row, 6);
      domain.not_null = flag(row, 7);
      domain.comment = text_of(row, 8);
      domain.grants = grants_of(grants, text_of(row, 0));
      m_model.domains.push_back(std::move(domain));
    }
    for (const SqlRow& row :
         query("SELECT contypid::text, conname, pg_get_constraintdef(oid), convalidated, "
               "obj_description(oid, 'pg_constraint') FROM pg_constraint "
               "WHERE contypid <> 0 AND contype = 'c'")) {
      if (auto found = domains.find(text_of(row, 0)); found != domains.end()) {
        Constraint check;
        check.name = text_of(row, 1);
        check.kind = ConstraintKind::check;
        check.definition = text_of(row, 2);
        check.validated = flag(row, 3);
        check.comment = text_of(row, 4);
        m_model.domains[found->second].checks.push_back(std::move(check));
      }
    }
    for (const SqlRow& row : query(fmt::format(
             "SELECT t.typrelid::text, n.nspname, t.typname, obj_description(t.oid, 'pg_type'), "
             "t.oid::text FROM pg_type AS t {} AND t.typtype = 'c' AND "
             "(SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c'",
             types))) {
      m_composites.emplace(text_of(row, 0), m_model.composite_types.size());
      m_model.composite_types.push_back({{text_of(row, 1), text_of(row, 2)},
                                         {},
                                         text_of(row, 3),
                                         grants_of(grants, text_of(row, 4))});
    }
  }

  void read_sequences() {
    m_sequence_grants = relation_grants("'S'");
    const GrantsById& grants = m_sequence_grants;
    for (const SqlRow& row : query(fmt::format(
             "SELECT c.oid::text, n.nspname, c.relname, format_type(s.seqtypid, NULL), "
             "s.seqstart, s.seqincrement, s.seqmax, s.seqmin, s.seqcache, s.seqcycle, "
             "d.deptype, t.relname, a.attname, obj_description(c.oid, 'pg_class') "
             "FROM pg_sequence AS s JOIN pg_class AS c ON c.oid = s.seqrelid "
             "JOIN pg_namespace AS n ON n.oid = c.relnamespace "
             "LEFT JOIN pg_depend AS d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid "
             "AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0 "
             "AND d.deptype IN ('a', 'i') "
             "LEFT JOIN pg_class AS t ON t.oid = d.refobjid "
             "LEFT JOIN pg_attribute AS a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid "
             "WHERE {} AND {}",
             kUserSchema, own("pg_class", "c.oid")))) {
      if (text_of(row, 10) == "i") {
        continue;  // an identity column's: part of the column
      }
      Sequence sequence;
      sequence.name = {text_of(row, 1), text_of(row, 2)};
      sequence.type = text_of(row, 3);
      sequence.options = sequence_options(sequence.type, row, 4);
      if (row.at(11)) {
        sequence.owned_by = text_of(row, 11) + "." + text_of(row, 12);
        m_sequence_tables[display_name(sequence.name)] = {sequence.name.schema, text_of(row, 11)};
      }
      sequence.comment = text_of(row, 13);
      sequence.grants = grants_of(grants, text_of(row, 0));
      m_model.sequences.push_back(std::move(sequence));
    }
  }

  void read_functions() {
    GrantsById grants = read_grants(
        m_queries, fmt::format("SELECT p.oid::text, p.proacl, p.proowner, 'f'::\"char\" FROM "
                               "pg_proc AS p JOIN pg_namespace AS n ON n.oid = p.pronamespace "
                               "WHERE {}",
                               kUserSchema));
    for (const SqlRow& row : query(fmt::format(
             "SELECT p.oid::text, n.nspname, p.proname, pg_get_function_identity_arguments(p.oid), "
             "p.prokind = 'p', pg_get_functiondef(p.oid), obj_description(p.oid, 'pg_proc') "
             "FROM pg_proc AS p JOIN pg_namespace AS n ON n.oid = p.pronamespace "
             "WHERE p.prokind <> 'a' AND {} AND {}",
             kUserSchema, own("pg_proc", "p.oid")))) {
      Function function;
      function.name = {text_of(row, 1), text_of(row, 2)};
      function.arguments = text_of(row, 3);
      function.procedure = flag(row, 4);
      function.definition = text_of(row, 5);
      function.comment = text_of(row, 6);
      function.grants = grants_of(grants, text_of(row, 0));
      m_model.functions.push_back(std::move(function));
    }
  }

  GrantsById relation_grants(std::string_view relkinds) {
    return read_grants(
        m_queries,
        fmt::format("SELECT c.oid::text, c.relacl, c.relowner, CASE c.relkind WHEN 'S' THEN 's' "
                    "ELSE 'r' END::\"char\" FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = "
                    "c.relnamespace WHERE c.relkind IN ({}) AND {}",
                    relkinds, kUserSchema));
  }

  void read_tables() {
    GrantsById grants = relation_grants("'r', 'p'");
    for (const SqlRow& row :
         query(fmt::format("SELECT c.oid::text, n.nspname, c.relname, c.relpersistence = 'u', "
                           "c.relrowsecurity, c.relforcerowsecurity, "
                           "CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END, "
                           "pn.nspname, p.relname, pg_get_expr(c.relpartbound, c.oid), "
                           "obj_description(c.oid, 'pg_class') FROM pg_class AS c "
                           "JOIN pg_namespace AS n ON n.oid = c.relnamespace "
                           "LEFT JOIN pg_inherits AS i ON c.relispartition AND i.inhrelid = c.oid "
                           "LEFT JOIN pg_class AS p ON p.oid = i.inhparent "
                           "LEFT JOIN pg_namespace AS pn ON pn.oid = p.relnamespace "
                           "WHERE c.relkind IN ('r', 'p') AND {} AND {}",
                           kUserSchema, own("pg_class", "c.oid")))) {
      m_tables.emplace(text_of(row, 0), m_model.tables.size());
      Table table;
      table.name = {text_of(row, 1), text_of(row, 2)};
      table.unlogged = flag(row, 3);
      table.row_security = flag(row, 4);
      table.force_row_security = flag(row, 5);
      table.partition_key = text_of(row, 6);
      if (row.at(8)) {
        table.partition_of = ObjectName{text_of(row, 7), text_of(row, 8)};
        table.partition_bound = text_of(row, 9);
      }
      table.comment = text_of(row, 10);
      table.grants = grants_of(grants, text_of(row, 0));
      m_model.tables.push_back(std::move(table));
    }
  }

  /// The columns of tables, the attributes of composite types, and the columns of views that
  /// have a comment or privileges (which must be read first).
  void read_columns() {
    GrantsById grants = read_grants(
        m_queries,
        fmt::format("SELECT a.attrelid::text || '.' || a.attnum, a.attacl, c.relowner, "
                    "'c'::\"char\" FROM pg_attribute AS a JOIN pg_class AS c ON c.oid = a.attrelid "
                    "JOIN pg_namespace AS n ON n.oid = c.relnamespace WHERE a.attacl IS NOT NULL "
                    "AND a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm') "
                    "AND {}",
                    kUserSchema));
    for (const SqlRow& row : query(fmt::format(
             "SELECT a.attrelid::text, a.attnum::text, a.attname, "
             "format_type(a.atttypid, a.atttypmod), cn.nspname, co.collname, "
             "pg_get_expr(d.adbin, d.adrelid), a.attnotnull, a.attidentity, a.attgenerated, "
             "col_description(a.attrelid, a.attnum), format_type(s.seqtypid, NULL), "
             "s.seqstart, s.seqincrement, s.seqmax, s.seqmin, s.seqcache, s.seqcycle, "
             "sc.relname, sc.relname = left(c.relname || '_' || a.attname || '_seq', 63), "
             "n.nspname, s.seqrelid::text "
             "FROM pg_attribute AS a JOIN pg_class AS c ON c.oid = a.attrelid "
             "JOIN pg_namespace AS n ON n.oid = c.relnamespace "
             "JOIN pg_type AS t ON t.oid = a.atttypid "
             "LEFT JOIN pg_collation AS co ON co.oid = a.attcollation AND "
             "a.attcollation <> t.typcollation "
             "LEFT JOIN pg_namespace AS cn ON cn.oid = co.collnamespace "
             "LEFT JOIN pg_attrdef AS d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
             "LEFT JOIN pg_sequence AS s ON s.seqrelid = CASE WHEN a.attidentity <> '' THEN "
             "pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname)::regclass "
             "END "
             "LEFT JOIN pg_class AS sc ON sc.oid = s.seqrelid "
             "WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'c', 'v', 'm') "
             "AND {} "
             "ORDER BY a.attrelid, a.attnum",
             kUserSchema))) {
      std::vector<Column>* columns = nullptr;
      std::string id = text_of(row, 0) + "." + text_of(row, 1);
      if (auto table = m_tables.find(text_of(row, 0)); table != m_tables.end()) {
        columns = &m_model.tables[table->second].columns;
      } else if (auto type = m_composites.find(text_of(row, 0)); type != m_composites.end()) {
        columns = &m_model.composite_types[type->second].attributes;
      } else if (auto view = m_views.find(text_of(row, 0)); view != m_views.end()) {
        if (row.at(10) || grants.contains(id)) {
          Column column;
          column.name = text_of(row, 2);
          column.comment = text_of(row, 10);
          column.grants = grants_of(grants, id);
          m_model.views[view->second].columns.push_back(std::move(column));
        }
        continue;
      } else {
        continue;
      }
      Column column;
      column.name = text_of(row, 2);
      column.type = text_of(row, 3);
      column.collation = collation_name(text_of(row, 4), text_of(row, 5));
      column.not_null = flag(row, 7);
      if (text_of(row, 9) == "s") {
        column.generated = text_of(row, 6);
        column.generated_stored = true;
      } else {
        column.default_value = text_of(row, 6);
      }
      if (const std::string& identity = text_of(row, 8); !identity.empty()) {
        column.identity = identity == "a" ? "ALWAYS" : "BY DEFAULT";
        if (row.at(11)) {
          std::string options = sequence_options(text_of(row, 11), row, 12);
          if (!flag(row, 19)) {  // not the name PostgreSQL would choose
            std::string name =
                "SEQUENCE NAME " + postgres_qualified({text_of(row, 20), text_of(row, 18)});
            options = options.empty() ? name : name + " " + options;
          }
          column.identity_options = options;
          column.identity_grants = grants_of(m_sequence_grants, text_of(row, 21));
        }
      }
      column.comment = text_of(row, 10);
      column.grants = grants_of(grants, id);
      columns->push_back(std::move(column));
    }
  }

  void read_constraints() {
    // The columns of each key, in order: its own ('l'), and a foreign key's referenced ('r').
    std::map<std::string, std::pair<std::vector<std::string>, std::vector<std::string>>> keys;
    for (const SqlRow& row :
         query("SELECT co.oid::text, 'l', k.n, a.attname FROM pg_constraint AS co "
               "CROSS JOIN LATERAL unnest(co.conkey) WITH ORDINALITY AS k(attnum, n) "
               "JOIN pg_attribute AS a ON a.attrelid = co.conrelid AND a.attnum = k.attnum "
               "WHERE co.conrelid <> 0 AND co.contype IN ('p', 'f', 'u', 'x') "
               "UNION ALL "
               "SELECT co.oid::text, 'r', k.n, a.attname FROM pg_constraint AS co "
               "CROSS JOIN LATERAL unnest(co.confkey) WITH ORDINALITY AS k(attnum, n) "
               "JOIN pg_attribute AS a ON a.attrelid = co.confrelid AND a.attnum = k.attnum "
               "WHERE co.contype = 'f' ORDER BY 1, 2, 3")) {
      auto& [own_columns, referenced] = keys[text_of(row, 0)];
      (text_of(row, 1) == "l" ? own_columns : referenced).push_back(text_of(row, 3));
    }
    for (const SqlRow& row :
         query("SELECT co.oid::text, co.conrelid::text, co.conname, co.contype, "
               "pg_get_constraintdef(co.oid), fn.nspname, f.relname, co.confupdtype, "
               "co.confdeltype, co.condeferrable, co.condeferred, co.convalidated, "
               "obj_description(co.oid, 'pg_constraint') FROM pg_constraint AS co "
               "LEFT JOIN pg_class AS f ON f.oid = co.confrelid "
               "LEFT JOIN pg_namespace AS fn ON fn.oid = f.relnamespace "
               "WHERE co.conrelid <> 0 AND co.contype IN ('p', 'f', 'u', 'c', 'x') "
               "AND co.conislocal AND co.conparentid = 0")) {
      auto table = m_tables.find(text_of(row, 1));
      if (table == m_tables.end()) {
        continue;
      }
      Constraint constraint;
      constraint.name = text_of(row, 2);
      const std::string& type = text_of(row, 3);
      constraint.kind = type == "p"   ? ConstraintKind::primary_key
                        : type == "f" ? ConstraintKind::foreign_key
                        : type == "u" ? ConstraintKind::unique
                        : type == "x" ? ConstraintKind::exclude
                                      : ConstraintKind::check;
      constraint.definition = text_of(row, 4);
      if (auto found = keys.find(text_of(row, 0)); found != keys.end()) {
        constraint.columns = found->second.first;
        constraint.referenced_columns = found->second.second;
      }
      if (constraint.kind == ConstraintKind::foreign_key) {
        constraint.references = {text_of(row, 5), text_of(row, 6)};
        constraint.on_update = action(text_of(row, 7));
        constraint.on_delete = action(text_of(row, 8));
      }
      constraint.deferrable = flag(row, 9);
      constraint.initially_deferred = flag(row, 10);
      constraint.validated = flag(row, 11);
      constraint.comment = text_of(row, 12);
      m_model.tables[table->second].constraints.push_back(std::move(constraint));
    }
  }

  /// Storage parameters of tables (their TOAST table's as "toast.name=value"), and options of
  /// views (which must be read first).
  void read_relation_options() {
    for (const SqlRow& row :
         query("SELECT c.oid::text, c.relkind IN ('v', 'm'), o.option FROM pg_class AS c "
               "CROSS JOIN LATERAL unnest(c.reloptions) AS o(option) "
               "WHERE c.relkind IN ('r', 'p', 'v', 'm') UNION ALL "
               "SELECT c.oid::text, false, 'toast.' || o.option FROM pg_class AS c "
               "JOIN pg_class AS t ON t.oid = c.reltoastrelid "
               "CROSS JOIN LATERAL unnest(t.reloptions) AS o(option) WHERE c.relkind = 'r'")) {
      if (auto table = m_tables.find(text_of(row, 0)); table != m_tables.end()) {
        m_model.tables[table->second].options.push_back(text_of(row, 2));
      } else if (auto view = m_views.find(text_of(row, 0)); view != m_views.end()) {
        m_model.views[view->second].options.push_back(text_of(row, 2));
      }
    }
  }

  void read_views() {
    GrantsById grants = relation_grants("'v', 'm'");
    for (const SqlRow& row : query(fmt::format(
             "SELECT c.oid::text, n.nspname, c.relname, pg_get_viewdef(c.oid), c.relkind = 'm', "
             "obj_description(c.oid, 'pg_class') FROM pg_class AS c "
             "JOIN pg_namespace AS n ON n.oid = c.relnamespace "
             "WHERE c.relkind IN ('v', 'm') AND {} AND {}",
             kUserSchema, own("pg_class", "c.oid")))) {
      m_views.emplace(text_of(row, 0), m_model.views.size());
      View view;
      view.name = {text_of(row, 1), text_of(row, 2)};
      view.definition = text_of(row, 3);
      view.materialized = flag(row, 4);
      view.comment = text_of(row, 5);
      view.grants = grants_of(grants, text_of(row, 0));
      m_model.views.push_back(std::move(view));
    }
  }

  /// Indexes that are no constraint's and no partition's share of a partitioned index (those
  /// come with the constraint, or with the parent's index).
  void read_indexes() {
    for (const SqlRow& row : query(fmt::format(
             "SELECT n.nspname, i.relname, t.relname, pg_get_indexdef(x.indexrelid), "
             "x.indisunique, i.relkind = 'I' AND x.indisvalid, "
             "obj_description(i.oid, 'pg_class') FROM pg_index AS x "
             "JOIN pg_class AS i ON i.oid = x.indexrelid JOIN pg_class AS t ON t.oid = x.indrelid "
             "JOIN pg_namespace AS n ON n.oid = t.relnamespace "
             "WHERE t.relkind IN ('r', 'p', 'm') AND NOT i.relispartition AND NOT EXISTS "
             "(SELECT FROM pg_constraint AS co WHERE co.conindid = x.indexrelid AND "
             "co.conrelid = x.indrelid AND co.contype IN ('p', 'u', 'x')) AND {} AND {} AND {}",
             kUserSchema, own("pg_class", "i.oid"), own("pg_class", "t.oid")))) {
      Index index;
      index.name = {text_of(row, 0), text_of(row, 1)};
      index.table = {text_of(row, 0), text_of(row, 2)};
      index.definition = text_of(row, 3);
      index.unique = flag(row, 4);
      if (flag(row, 5)) {
        // A partitioned table's index, on all its partitions: created as it is on them all.
        std::string only = fmt::format("CREATE {}INDEX {} ON ONLY ", index.unique ? "UNIQUE " : "",
                                       postgres_identifier(index.name.name));
        if (index.definition.starts_with(only)) {
          index.definition.erase(only.size() - 5, 5);
        }
      }
      index.comment = text_of(row, 6);
      m_model.indexes.push_back(std::move(index));
    }
  }

  void read_triggers() {
    std::string clone = m_connection.server_version() >= 130000 ? "t.tgparentid = 0" : "true";
    for (const SqlRow& row : query(fmt::format(
             "SELECT t.tgname, n.nspname, c.relname, pg_get_triggerdef(t.oid), "
             "obj_description(t.oid, 'pg_trigger') FROM pg_trigger AS t "
             "JOIN pg_class AS c ON c.oid = t.tgrelid "
             "JOIN pg_namespace AS n ON n.oid = c.relnamespace "
             "WHERE NOT t.tgisinternal AND {} AND {} AND {} AND {}",
             clone, kUserSchema, own("pg_class", "c.oid"), own("pg_trigger", "t.oid")))) {
      m_model.triggers.push_back(
          {text_of(row, 0), {text_of(row, 1), text_of(row, 2)}, text_of(row, 3), text_of(row, 4)});
    }
  }

  /// CREATE POLICY written from pg_policy, roles sorted.
  void read_policies() {
    std::map<std::string, std::vector<std::string>> roles;
    for (const SqlRow& row :
         query("SELECT p.oid::text, CASE WHEN r.role = 0 THEN NULL ELSE pg_get_userbyid(r.role) "
               "END FROM pg_policy AS p CROSS JOIN LATERAL unnest(p.polroles) AS r(role)")) {
      roles[text_of(row, 0)].push_back(row.at(1) ? postgres_identifier(text_of(row, 1))
                                                 : std::string("PUBLIC"));
    }
    for (const SqlRow& row : query(fmt::format(
             "SELECT p.oid::text, p.polname, n.nspname, c.relname, p.polpermissive, p.polcmd, "
             "pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid), "
             "obj_description(p.oid, 'pg_policy') FROM pg_policy AS p "
             "JOIN pg_class AS c ON c.oid = p.polrelid "
             "JOIN pg_namespace AS n ON n.oid = c.relnamespace WHERE {} AND {}",
             kUserSchema, own("pg_class", "c.oid")))) {
      Policy policy;
      policy.name = text_of(row, 1);
      policy.table = {text_of(row, 2), text_of(row, 3)};
      const std::string& command = text_of(row, 5);
      std::vector<std::string>& to = roles[text_of(row, 0)];
      std::sort(to.begin(), to.end());
      policy.definition =
          fmt::format("CREATE POLICY {} ON {} AS {} FOR {} TO {}", postgres_identifier(policy.name),
                      postgres_qualified(policy.table), flag(row, 4) ? "PERMISSIVE" : "RESTRICTIVE",
                      command == "r"   ? "SELECT"
                      : command == "a" ? "INSERT"
                      : command == "w" ? "UPDATE"
                      : command == "d" ? "DELETE"
                                       : "ALL",
                      fmt::join(to, ", "));
      if (row.at(6)) {
        policy.definition += " USING (" + text_of(row, 6) + ")";
      }
      if (row.at(7)) {
        policy.definition += " WITH CHECK (" + text_of(row, 7) + ")";
      }
      policy.comment = text_of(row, 8);
      m_model.policies.push_back(std::move(policy));
    }
  }

  /// The keys of the objects in the model: a dependency is kept when both its ends are one.
  std::set<std::string> model_keys() const {
    std::set<std::string> keys;
    for (const Extension& extension : m_model.extensions) {
      keys.insert(object_key("extension", {"", extension.name}));
    }
    for (const EnumType& type : m_model.enums) {
      keys.insert(object_key("type", type.name));
    }
    for (const Domain& type : m_model.domains) {
      keys.insert(object_key("type", type.name));
    }
    for (const CompositeType& type : m_model.composite_types) {
      keys.insert(object_key("type", type.name));
    }
    for (const Sequence& sequence : m_model.sequences) {
      keys.insert(object_key("sequence", sequence.name));
    }
    for (const Function& function : m_model.functions) {
      keys.insert(object_key("function", function.name, function.arguments));
    }
    for (const Table& table : m_model.tables) {
      keys.insert(object_key("table", table.name));
      for (const Constraint& constraint : table.constraints) {
        keys.insert(member_key("constraint", table.name, constraint.name));
      }
    }
    for (const View& view : m_model.views) {
      keys.insert(object_key("view", view.name));
    }
    for (const Index& index : m_model.indexes) {
      keys.insert(object_key("index", index.name));
    }
    for (const Trigger& trigger : m_model.triggers) {
      keys.insert(member_key("trigger", trigger.table, trigger.name));
    }
    for (const Policy& policy : m_model.policies) {
      keys.insert(member_key("policy", policy.table, policy.name));
    }
    return keys;
  }

  /// pg_depend's normal dependencies between the model's objects, each end named by its key
  /// (the catalog rows of a view's query, a column's default, a constraint, a type's array…
  /// named after the object they belong to; an extension's objects after the extension), but
  /// a constraint's, trigger's or policy's on its own table; and a table's on the tables its
  /// foreign keys reference.
  void read_dependencies() {
    std::string sql = fmt::format(
        "WITH ext AS (SELECT d.classid, d.objid, e.extname FROM pg_depend AS d "
        "JOIN pg_extension AS e ON e.oid = d.refobjid "
        "WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'), "
        "base(classid, objid, kind, schema, name, member, args) AS ("
        // relations, and indexes as themselves or as the constraint they make
        "SELECT 'pg_class'::regclass, c.oid, CASE WHEN c.relkind IN ('r', 'p') THEN 'table' "
        "WHEN c.relkind IN ('v', 'm') THEN 'view' WHEN c.relkind = 'S' THEN 'sequence' "
        "ELSE 'type' END, n.nspname, c.relname, NULL, '' FROM pg_class AS c "
        "JOIN pg_namespace AS n ON n.oid = c.relnamespace "
        "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'c') AND {0} "
        "UNION ALL SELECT 'pg_class'::regclass, x.indexrelid, "
        "CASE WHEN co.oid IS NULL THEN 'index' ELSE 'constraint' END, n.nspname, "
        "CASE WHEN co.oid IS NULL THEN i.relname ELSE t.relname END, co.conname, '' "
        "FROM pg_index AS x JOIN pg_class AS i ON i.oid = x.indexrelid "
        "JOIN pg_class AS t ON t.oid = x.indrelid "
        "JOIN pg_namespace AS n ON n.oid = t.relnamespace "
        "LEFT JOIN pg_constraint AS co ON co.conindid = x.indexrelid AND "
        "co.conrelid = x.indrelid AND co.contype IN ('p', 'u', 'x') WHERE {0} "
        // constraints: a table's, or a domain's (named after the domain)
        "UNION ALL SELECT 'pg_constraint'::regclass, co.oid, "
        "CASE WHEN co.conrelid <> 0 THEN 'constraint' ELSE 'type' END, n.nspname, "
        "coalesce(c.relname, t.typname), CASE WHEN co.conrelid <> 0 THEN co.conname END, '' "
        "FROM pg_constraint AS co LEFT JOIN pg_class AS c ON c.oid = co.conrelid "
        "LEFT JOIN pg_type AS t ON t.oid = co.contypid "
        "JOIN pg_namespace AS n ON n.oid = coalesce(c.relnamespace, t.typnamespace) WHERE {0} "
        // what belongs to a table or a view: defaults, a view's query, triggers, policies
        "UNION ALL SELECT 'pg_attrdef'::regclass, ad.oid, 'table', n.nspname, c.relname, NULL, "
        "'' FROM pg_attrdef AS ad JOIN pg_class AS c ON c.oid = ad.adrelid "
        "JOIN pg_namespace AS n ON n.oid = c.relnamespace WHERE {0} "
        "UNION ALL SELECT 'pg_rewrite'::regclass, r.oid, 'view', n.nspname, c.relname, NULL, '' "
        "FROM pg_rewrite AS r JOIN pg_class AS c ON c.oid = r.ev_class "
        "JOIN pg_namespace AS n ON n.oid = c.relnamespace WHERE {0} "
        "UNION ALL SELECT 'pg_trigger'::regclass, tg.oid, 'trigger', n.nspname, c.relname, "
        "tg.tgname, '' FROM pg_trigger AS tg JOIN pg_class AS c ON c.oid = tg.tgrelid "
        "JOIN pg_namespace AS n ON n.oid = c.relnamespace WHERE {0} "
        "UNION ALL SELECT 'pg_policy'::regclass, p.oid, 'policy', n.nspname, c.relname, "
        "p.polname, '' FROM pg_policy AS p JOIN pg_class AS c ON c.oid = p.polrelid "
        "JOIN pg_namespace AS n ON n.oid = c.relnamespace WHERE {0} "
        "UNION ALL SELECT 'pg_proc'::regclass, p.oid, 'function', n.nspname, p.proname, NULL, "
        "pg_get_function_identity_arguments(p.oid) FROM pg_proc AS p "
        "JOIN pg_namespace AS n ON n.oid = p.pronamespace WHERE {0} "
        // types: enums, domains, composites, and tables' and views' row types
        "UNION ALL SELECT 'pg_type'::regclass, t.oid, CASE WHEN c.relkind IN ('r', 'p') THEN "
        "'table' WHEN c.relkind IN ('v', 'm') THEN 'view' ELSE 'type' END, n.nspname, "
        "t.typname, NULL, '' FROM pg_type AS t LEFT JOIN pg_class AS c ON c.oid = t.typrelid "
        "JOIN pg_namespace AS n ON n.oid = t.typnamespace "
        "WHERE t.typtype IN ('e', 'd', 'c') AND {0}), "
        "named AS (SELECT b.* FROM base AS b WHERE NOT EXISTS (SELECT FROM ext WHERE "
        "ext.classid = b.classid AND ext.objid = b.objid) UNION ALL "
        "SELECT classid, objid, 'extension', '', extname, NULL, '' FROM ext), "
        // an array type is named after its element type
        "keys AS (SELECT * FROM named UNION ALL SELECT 'pg_type'::regclass, t.typarray, "
        "k.kind, k.schema, k.name, k.member, k.args FROM named AS k JOIN pg_type AS t ON "
        "k.classid = 'pg_type'::regclass AND t.oid = k.objid AND t.typarray <> 0) "
        "SELECT DISTINCT o.kind, o.schema, o.name, o.member, o.args, "
        "r.kind, r.schema, r.name, r.member, r.args FROM pg_depend AS d "
        "JOIN keys AS o ON o.classid = d.classid AND o.objid = d.objid "
        "JOIN keys AS r ON r.classid = d.refclassid AND r.objid = d.refobjid "
        "WHERE d.deptype = 'n' AND NOT (o.member IS NOT NULL AND r.member IS NULL AND "
        "r.kind IN ('table', 'view') AND r.schema = o.schema AND r.name = o.name)",
        kUserSchema);
    auto key = [](const SqlRow& row, std::size_t i) {
      ObjectName name{text_of(row, i + 1), text_of(row, i + 2)};
      return row.at(i + 3) ? member_key(text_of(row, i), name, text_of(row, i + 3))
                           : object_key(text_of(row, i), name, text_of(row, i + 4));
    };
    for (const SqlRow& row : query(sql)) {
      m_model.dependencies.push_back({key(row, 0), key(row, 5)});
    }
    for (const Table& table : m_model.tables) {
      for (const Constraint& constraint : table.constraints) {
        if (constraint.kind == ConstraintKind::foreign_key) {
          m_model.dependencies.push_back(
              {object_key("table", table.name), object_key("table", constraint.references)});
        }
      }
    }
  }

  /// Whether `table` is one of the state tables the options name.
  bool excluded(const ObjectName& table) const {
    return std::any_of(m_options.excluded_tables.begin(), m_options.excluded_tables.end(),
                       [&](const std::string& name) {
                         std::size_t dot = name.find('.');
                         return dot == std::string::npos ? name == table.name
                                                         : name.substr(0, dot) == table.schema &&
                                                               name.substr(dot + 1) == table.name;
                       });
  }

  void leave_out_excluded_tables() {
    auto on_excluded = [&](const auto& object) { return excluded(object.table); };
    std::erase_if(m_model.tables, [&](const Table& table) { return excluded(table.name); });
    std::erase_if(m_model.indexes, on_excluded);
    std::erase_if(m_model.triggers, on_excluded);
    std::erase_if(m_model.policies, on_excluded);
    std::erase_if(m_model.sequences, [&](const Sequence& sequence) {
      auto owner = m_sequence_tables.find(display_name(sequence.name));
      return owner != m_sequence_tables.end() && excluded(owner->second);
    });
    std::set<std::string> keys = model_keys();
    std::erase_if(m_model.dependencies, [&](const Dependency& dependency) {
      return dependency.object == dependency.needs || !keys.contains(dependency.object) ||
             !keys.contains(dependency.needs);
    });
  }

  void sort() {
    auto by_name = [](const auto& a, const auto& b) { return a.name < b.name; };
    auto by_table = [](const auto& a, const auto& b) {
      return std::tie(a.table, a.name) < std::tie(b.table, b.name);
    };
    auto grants = [](std::vector<Grant>& list) {
      std::sort(list.begin(), list.end(), [](const Grant& a, const Grant& b) {
        return std::tie(a.grantee, a.with_grant_option) < std::tie(b.grantee, b.with_grant_option);
      });
    };
    SchemaModel& m = m_model;
    std::sort(m.schemas.begin(), m.schemas.end(), by_name);
    std::sort(m.extensions.begin(), m.extensions.end(), by_name);
    std::sort(m.enums.begin(), m.enums.end(), by_name);
    std::sort(m.domains.begin(), m.domains.end(), by_name);
    std::sort(m.composite_types.begin(), m.composite_types.end(), by_name);
    std::sort(m.sequences.begin(), m.sequences.end(), by_name);
    std::sort(m.functions.begin(), m.functions.end(), [](const Function& a, const Function& b) {
      return std::tie(a.name, a.arguments) < std::tie(b.name, b.arguments);
    });
    std::sort(m.tables.begin(), m.tables.end(), by_name);
    std::sort(m.views.begin(), m.views.end(), by_name);
    std::sort(m.indexes.begin(), m.indexes.end(), by_name);
    std::sort(m.triggers.begin(), m.triggers.end(), by_table);
    std::sort(m.policies.begin(), m.policies.end(), by_table);
    std::sort(m.dependencies.begin(), m.dependencies.end());
    m.dependencies.erase(std::unique(m.dependencies.begin(), m.dependencies.end()),
                         m.dependencies.end());
    for (Schema& schema : m.schemas) {
      grants(schema.grants);
    }
    for (EnumType& type : m.enums) {
      grants(type.grants);
    }
    for (Domain& domain : m.domains) {
      std::sort(domain.checks.begin(), domain.checks.end(), by_name);
      grants(domain.grants);
    }
    for (CompositeType& type : m.composite_types) {
      grants(type.grants);
    }
    for (Sequence& sequence : m.sequences) {
      grants(sequence.grants);
    }
    for (Function& function : m.functions) {
      grants(function.grants);
    }
    for (Table& table : m.tables) {
      std::sort(table.constraints.begin(), table.constraints.end(),
                [](const Constraint& a, const Constraint& b) {
                  return std::tie(a.kind, a.name) < std::tie(b.kind, b.name);
                });
      std::sort(table.options.begin(), table.options.end());
      for (Column& column : table.columns) {
        grants(column.grants);
        grants(column.identity_grants);
      }
      grants(table.grants);
    }
    for (View& view : m.views) {
      std::sort(view.options.begin(), view.options.end());
      for (Column& column : view.columns) {
        grants(column.grants);
      }
      grants(view.grants);
    }
  }

  Connection& m_connection;
  CatalogQueries& m_queries;
  const SchemaReadOptions& m_options;
  SchemaModel m_model;
  std::map<std::string, std::size_t> m_tables;          ///< by OID
  std::map<std::string, std::size_t> m_views;           ///< by OID
  std::map<std::string, std::size_t> m_composites;      ///< by the OID of the type's pg_class row
  std::map<std::string, ObjectName> m_sequence_tables;  ///< an owned sequence's table, by name
  GrantsById m_sequence_grants;                         ///< identity columns' sequences' too
};

}  // namespace

SchemaModel read_postgres_schema(Connection& connection, const SchemaReadOptions& options) {
  if (connection.dialect().name() != "postgresql") {
    throw InternalError("read_postgres_schema needs a PostgreSQL connection");
  }
  CatalogSnapshot snapshot(connection);
  CatalogQueries queries(connection, options.repeated);
  refuse_unsupported(queries);
  return Reader(queries, options).read();
}

}  // namespace migrate
