#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migrate {

// One model of a database schema, whatever the engine, as read from the database's own catalog
// (never from DDL text parsed by migrate): PostgreSQL's pg_catalog, SQLite's sqlite_schema and
// pragma functions. Text fields hold what the catalog gives, in the catalog's canonical
// spelling (format_type, pg_get_expr, pg_get_*def), so that `int` and `integer`, or two
// indentations of one view, read the same. Empty strings mean "none"; SQLite leaves every
// schema name empty. Every list is sorted by name (the readers sort), so two models of equal
// schemas compare equal with ==.

/// A qualified name: `schema` is empty where the engine has no schemas (SQLite).
struct ObjectName {
  std::string schema;
  std::string name;

  bool operator==(const ObjectName&) const = default;
  auto operator<=>(const ObjectName&) const = default;
};

/// A GRANT on an object: who gets which privileges (`SELECT`, `INSERT`…, sorted), and whether
/// they may grant them on. The owner's implicit privileges are not listed.
struct Grant {
  std::string grantee;  ///< a role, or "PUBLIC"
  std::vector<std::string> privileges;
  bool with_grant_option = false;

  bool operator==(const Grant&) const = default;
};

struct Column {
  std::string name;
  std::string type;           ///< PostgreSQL: format_type(); SQLite: the declared type as written
  std::string collation;      ///< when not the type's default (PostgreSQL: quoted, "C")
  std::string default_value;  ///< the default expression (pg_get_expr; SQLite's dflt_value)
  bool not_null = false;
  /// PostgreSQL identity: "ALWAYS" or "BY DEFAULT" (its sequence options in identity_options).
  std::string identity;
  /// "START WITH 10 INCREMENT BY 2…", only what is not default (and "SEQUENCE NAME s.t_id"
  /// first when the sequence is not named <table>_<column>_seq).
  std::string identity_options;
  std::vector<Grant> identity_grants;  ///< privileges on an identity column's sequence
  std::string generated;               ///< a generated column's expression
  bool generated_stored = false;       ///< STORED (PostgreSQL's only kind); SQLite VIRTUAL is false
  std::string comment;
  std::vector<Grant> grants;  ///< PostgreSQL column privileges (GRANT SELECT (c) ON t …)

  bool operator==(const Column&) const = default;
};

enum class ConstraintKind { primary_key, foreign_key, unique, check, exclude };

/// A table constraint (or a domain's CHECK). `definition` is the whole constraint after its
/// name, canonical: PostgreSQL's pg_get_constraintdef ("FOREIGN KEY (a) REFERENCES t(id) ON
/// DELETE CASCADE"), SQLite's written by the reader from the pragma functions in the same form.
struct Constraint {
  std::string name;  ///< empty for SQLite's unnamed constraints
  ConstraintKind kind = ConstraintKind::check;
  std::string definition;
  std::vector<std::string> columns;  ///< the columns it is on, in order (none for a CHECK)
  ObjectName references;             ///< a foreign key's table
  std::vector<std::string> referenced_columns;
  std::string on_delete;  ///< "CASCADE", "SET NULL", … ; empty for NO ACTION
  std::string on_update;
  bool deferrable = false;
  bool initially_deferred = false;
  bool validated = true;  ///< false: added NOT VALID
  std::string comment;

  bool operator==(const Constraint&) const = default;
};

/// An index that is not a constraint's own (those come with their constraint).
struct Index {
  ObjectName name;  ///< in the table's schema
  ObjectName table;
  /// The whole CREATE INDEX statement, canonical (pg_get_indexdef; SQLite's rebuilt from
  /// pragma index_xinfo, with its WHERE and expressions as stored).
  std::string definition;
  bool unique = false;
  std::string comment;

  bool operator==(const Index&) const = default;
};

struct Trigger {
  std::string name;
  ObjectName table;
  std::string definition;  ///< the whole CREATE TRIGGER statement (pg_get_triggerdef; SQLite's sql)
  std::string comment;

  bool operator==(const Trigger&) const = default;
};

/// A row-level security policy (PostgreSQL).
struct Policy {
  std::string name;
  ObjectName table;
  std::string definition;  ///< the whole CREATE POLICY statement, written from pg_policy
  std::string comment;

  bool operator==(const Policy&) const = default;
};

struct Table {
  ObjectName name;
  std::vector<Column> columns;  ///< in the table's order (which counts: SQLite rebuilds for it)
  std::vector<Constraint> constraints;
  /// PostgreSQL partitioning: the key of a partitioned table ("RANGE (created_at)"), and for a
  /// partition its parent and bound ("FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')").
  std::string partition_key;
  std::optional<ObjectName> partition_of;
  std::string partition_bound;
  bool without_rowid = false;  ///< SQLite
  bool strict = false;         ///< SQLite
  bool autoincrement = false;  ///< SQLite: the INTEGER PRIMARY KEY is AUTOINCREMENT
  bool row_security = false;   ///< PostgreSQL: ENABLE ROW LEVEL SECURITY
  bool force_row_security = false;
  bool unlogged = false;  ///< PostgreSQL: UNLOGGED
  /// PostgreSQL storage parameters (reloptions), each "name=value" ("fillfactor=70"), sorted.
  std::vector<std::string> options;
  std::string comment;
  std::vector<Grant> grants;

  bool operator==(const Table&) const = default;
};

struct View {
  ObjectName name;
  std::string definition;  ///< the query (pg_get_viewdef; SQLite's CREATE VIEW statement)
  bool materialized = false;
  /// PostgreSQL view options (reloptions), each "name=value" ("check_option=local",
  /// "security_barrier=true"), sorted.
  std::vector<std::string> options;
  /// PostgreSQL: the columns that have a comment or privileges of their own, in the view's
  /// order, with their name, comment and grants only (the query says the rest).
  std::vector<Column> columns;
  std::string comment;
  std::vector<Grant> grants;

  bool operator==(const View&) const = default;
};

struct Sequence {
  ObjectName name;
  std::string type;  ///< "bigint"
  /// "START WITH 10 INCREMENT BY 2 …", as CREATE SEQUENCE takes them: only what is not the
  /// default for the type and direction.
  std::string options;
  /// The column it belongs to (OWNED BY), "table.column" in the sequence's schema.
  std::string owned_by;
  std::string comment;
  std::vector<Grant> grants;

  bool operator==(const Sequence&) const = default;
};

/// A function or a procedure (PostgreSQL).
struct Function {
  ObjectName name;
  std::string arguments;  ///< its identity arguments (pg_get_function_identity_arguments)
  bool procedure = false;
  std::string definition;  ///< the whole CREATE OR REPLACE statement (pg_get_functiondef)
  std::string comment;
  std::vector<Grant> grants;

  bool operator==(const Function&) const = default;
};

struct EnumType {
  ObjectName name;
  std::vector<std::string> values;  ///< in their order, which counts
  std::string comment;
  std::vector<Grant> grants;  ///< USAGE to PUBLIC unless revoked, as PostgreSQL gives every type

  bool operator==(const EnumType&) const = default;
};

struct Domain {
  ObjectName name;
  std::string type;
  std::string collation;
  std::string default_value;
  bool not_null = false;
  std::vector<Constraint> checks;
  std::string comment;
  std::vector<Grant> grants;  ///< as EnumType's

  bool operator==(const Domain&) const = default;
};

struct CompositeType {
  ObjectName name;
  std::vector<Column> attributes;  ///< name, type, collation and comment only
  std::string comment;
  std::vector<Grant> grants;  ///< as EnumType's

  bool operator==(const CompositeType&) const = default;
};

struct Extension {
  std::string name;
  std::string schema;  ///< where its objects are
  std::string comment;

  bool operator==(const Extension&) const = default;
};

struct Schema {
  std::string name;
  std::string comment;
  std::vector<Grant> grants;

  bool operator==(const Schema&) const = default;
};

/// What one object needs to exist first, beyond what its kind implies (a view's tables, a
/// function a default calls…): keys of object_key() form, from pg_depend and view or function
/// bodies.
struct Dependency {
  std::string object;
  std::string needs;

  bool operator==(const Dependency&) const = default;
  auto operator<=>(const Dependency&) const = default;
};

/// A database's schema. Objects that extensions created, migrate's own state table and the
/// state tables of the tools migrate knows are not in it.
struct SchemaModel {
  std::string engine;           ///< "sqlite", "postgresql"
  std::vector<Schema> schemas;  ///< PostgreSQL: the schemas besides `public`, and `public` when it
                                ///< has a comment or grants
  std::vector<Extension> extensions;
  std::vector<EnumType> enums;
  std::vector<Domain> domains;
  std::vector<CompositeType> composite_types;
  std::vector<Sequence> sequences;
  std::vector<Function> functions;
  std::vector<Table> tables;
  std::vector<View> views;  ///< views and materialized views
  std::vector<Index> indexes;
  std::vector<Trigger> triggers;
  std::vector<Policy> policies;
  std::vector<Dependency> dependencies;  ///< sorted

  bool operator==(const SchemaModel&) const = default;
};

/// "table public.users", "view v", "function public.f(integer)": how dependencies and messages
/// name an object. `kind` is one of: schema, extension, type (enums, domains and composite
/// types), sequence, function, table, view, index, trigger, policy.
std::string object_key(std::string_view kind, const ObjectName& name,
                       std::string_view arguments = {});

/// "constraint public.users.users_pkey", "trigger public.users.audit": the key of an object
/// whose name is unique only on its table (PostgreSQL's constraints, triggers and policies).
std::string member_key(std::string_view kind, const ObjectName& table, std::string_view name);

/// `name` as text: "schema.name", or "name" without a schema. Unquoted: for messages and keys.
std::string display_name(const ObjectName& name);

/// Whether two schemas are the same as their engine sees them: equal models, except that on
/// PostgreSQL the order of a table's columns does not count (it cannot be changed without
/// making the table again, and nothing reads columns by position but SELECT *).
bool same_schema(const SchemaModel& a, const SchemaModel& b);

}  // namespace migrate
