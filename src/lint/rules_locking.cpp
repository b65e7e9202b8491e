#include "lint/rules_locking.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <iterator>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "lint/pg_names.hpp"

namespace migrate {

namespace {

enum Rule : std::size_t {
  kVolatileDefault,
  kStoredGenerated,
  kAutoIncrement,
  kRequired,
  kSetNotNull,
  kForeignKey,
  kNotValid,
  kUnique,
  kPrimaryKey,
  kColumnType,
  kExclusion,
};

constexpr std::array<RuleInfo, 11> kRules = {{
    {"adding-field-with-default", Severity::error,
     "ADD COLUMN with a volatile default rewrites the table",
     "From PostgreSQL 11 a constant or non-volatile default is kept in the catalog and the rows "
     "are left alone, but a volatile default (gen_random_uuid(), clock_timestamp(), nextval()) "
     "has to be computed for every existing row: the whole table is rewritten under an ACCESS "
     "EXCLUSIVE lock, and reads and writes wait until it is done. Before PostgreSQL 11 any "
     "default does this.",
     "Add the column without a default, give new rows the default, and fill the old rows in "
     "batches:\n"
     "ALTER TABLE users ADD COLUMN token uuid;\n"
     "ALTER TABLE users ALTER COLUMN token SET DEFAULT gen_random_uuid();\n"
     "-- then, in a later migration, batch by batch:\n"
     "UPDATE users SET token = gen_random_uuid() WHERE id BETWEEN 1 AND 10000 AND token IS "
     "NULL;"},
    {"adding-stored-generated-column", Severity::error,
     "ADD COLUMN ... GENERATED ALWAYS AS (...) STORED rewrites the table",
     "A stored generated column is computed and written for every existing row: the table is "
     "rewritten under an ACCESS EXCLUSIVE lock, and reads and writes wait until it is done.",
     "Add a plain column, keep it up to date with a trigger, and fill the old rows in batches:\n"
     "ALTER TABLE orders ADD COLUMN total numeric;\n"
     "CREATE FUNCTION orders_total() RETURNS trigger LANGUAGE plpgsql AS $$\n"
     "BEGIN NEW.total := NEW.price * NEW.quantity; RETURN NEW; END $$;\n"
     "CREATE TRIGGER orders_total BEFORE INSERT OR UPDATE ON orders\n"
     "  FOR EACH ROW EXECUTE FUNCTION orders_total();\n"
     "-- then, in a later migration, batch by batch:\n"
     "UPDATE orders SET total = price * quantity WHERE id BETWEEN 1 AND 10000 AND total IS "
     "NULL;"},
    {"adding-auto-increment-column", Severity::error,
     "adding a serial or identity column rewrites the table",
     "Every existing row needs its own value from the sequence, so PostgreSQL rewrites the "
     "whole table under an ACCESS EXCLUSIVE lock, and reads and writes wait until it is done.",
     "Add a nullable column, give new rows a sequence default, and number the old rows in "
     "batches (or create a new table and move the data to it):\n"
     "CREATE SEQUENCE orders_number_seq;\n"
     "ALTER TABLE orders ADD COLUMN number bigint;\n"
     "ALTER TABLE orders ALTER COLUMN number SET DEFAULT nextval('orders_number_seq');\n"
     "ALTER SEQUENCE orders_number_seq OWNED BY orders.number;\n"
     "-- then, in a later migration, batch by batch:\n"
     "UPDATE orders SET number = nextval('orders_number_seq') WHERE id BETWEEN 1 AND 10000 "
     "AND number IS NULL;"},
    {"adding-required-field", Severity::error, "ADD COLUMN ... NOT NULL without a default",
     "PostgreSQL refuses it on a table that has rows (they would hold NULL), and once it is "
     "in, deployed code that inserts rows without the new column fails.",
     "Add it nullable and backfill it before making it NOT NULL, or give it a constant "
     "default (no rewrite from PostgreSQL 11):\n"
     "ALTER TABLE users ADD COLUMN active boolean NOT NULL DEFAULT true;"},
    {"adding-not-nullable-field", Severity::error,
     "SET NOT NULL scans the table under an ACCESS EXCLUSIVE lock",
     "PostgreSQL reads every row to check for NULLs while it holds an ACCESS EXCLUSIVE lock: "
     "reads and writes wait for the whole scan. From PostgreSQL 12 the scan is skipped when a "
     "validated CHECK (column IS NOT NULL) already proves it.",
     "Prove it with a CHECK constraint validated on its own, then SET NOT NULL needs no scan "
     "(PostgreSQL 12 and later):\n"
     "-- migrate:up transaction:false\n"
     "SET lock_timeout = '2s';  -- transaction:false: --migration-lock-timeout does not reach it\n"
     "ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT "
     "VALID;\n"
     "ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;\n"
     "ALTER TABLE users ALTER COLUMN email SET NOT NULL;\n"
     "ALTER TABLE users DROP CONSTRAINT users_email_not_null;"},
    {"adding-foreign-key-constraint", Severity::error,
     "a FOREIGN KEY checked against every row as it is added",
     "Adding a foreign key takes a SHARE ROW EXCLUSIVE lock on both tables and, without NOT "
     "VALID, checks every existing row while it holds it: writes to both tables wait for the "
     "whole scan.",
     "Add it NOT VALID (existing rows are not checked), then validate it in a transaction of "
     "its own, which lets writes go on:\n"
     "-- migrate:up transaction:false\n"
     "SET lock_timeout = '2s';  -- transaction:false: --migration-lock-timeout does not reach it\n"
     "ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users "
     "(id) NOT VALID;\n"
     "ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;\n"
     "-- For ADD COLUMN ... REFERENCES: add the column alone first, then the constraint as "
     "above."},
    {"constraint-missing-not-valid", Severity::error,
     "a CHECK or FOREIGN KEY constraint added without NOT VALID",
     "Without NOT VALID, PostgreSQL checks every existing row while holding the lock the ADD "
     "takes (ACCESS EXCLUSIVE for a CHECK, SHARE ROW EXCLUSIVE on both tables for a foreign "
     "key). With NOT VALID, a later VALIDATE CONSTRAINT checks them under a lock that lets "
     "reads and writes go on, but only in a transaction of its own: in the ADD's transaction "
     "the ADD's lock is still held.",
     "Add it NOT VALID, then validate it in a transaction of its own (a later migration, or a "
     "section that runs each statement on its own):\n"
     "-- migrate:up transaction:false\n"
     "SET lock_timeout = '2s';  -- transaction:false: --migration-lock-timeout does not reach it\n"
     "ALTER TABLE accounts ADD CONSTRAINT accounts_balance_positive CHECK (balance >= 0) NOT "
     "VALID;\n"
     "ALTER TABLE accounts VALIDATE CONSTRAINT accounts_balance_positive;"},
    {"disallowed-unique-constraint", Severity::error,
     "ADD UNIQUE builds its index under an ACCESS EXCLUSIVE lock",
     "A UNIQUE constraint builds its index while holding an ACCESS EXCLUSIVE lock on the "
     "table: reads and writes wait until the index is built, minutes on a large table.",
     "Build the index concurrently, then make it the constraint:\n"
     "-- migrate:up transaction:false\n"
     "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_email_key ON users (email);\n"
     "SET lock_timeout = '2s';  -- transaction:false: --migration-lock-timeout does not reach it\n"
     "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;"},
    {"adding-serial-primary-key-field", Severity::error,
     "ADD PRIMARY KEY builds its index under an ACCESS EXCLUSIVE lock",
     "Adding a primary key builds a unique index, and checks its columns for NULLs, while "
     "holding an ACCESS EXCLUSIVE lock on the table: reads and writes wait until it is done.",
     "Make the columns NOT NULL first without a scan (see adding-not-nullable-field), build "
     "the index concurrently, then make it the primary key:\n"
     "-- migrate:up transaction:false\n"
     "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS accounts_pkey ON accounts (id);\n"
     "SET lock_timeout = '2s';  -- transaction:false: --migration-lock-timeout does not reach it\n"
     "ALTER TABLE accounts ADD CONSTRAINT accounts_pkey PRIMARY KEY USING INDEX accounts_pkey;"},
    {"changing-column-type", Severity::error, "ALTER COLUMN ... TYPE rewrites the table",
     "Unless the new type stores the same bytes as the old one (varchar to text, a longer "
     "varchar, more numeric precision at the same scale), PostgreSQL rewrites the table and "
     "rebuilds its indexes under an ACCESS EXCLUSIVE lock: reads and writes wait until it is "
     "done. Deployed code may not expect the new type either.",
     "Changes that keep the bytes need no rewrite (the linter cannot see the column's type "
     "today: say so):\n"
     "-- migrate:lint ignore=changing-column-type reason=\"name is varchar(80): text keeps "
     "its bytes\"\n"
     "ALTER TABLE users ALTER COLUMN name TYPE text;\n"
     "Otherwise add a column of the new type, write to both (a trigger), backfill it in "
     "batches, move the reads to it, then drop the old one:\n"
     "ALTER TABLE orders ADD COLUMN amount_cents bigint;"},
    {"adding-exclusion-constraint", Severity::error,
     "ADD EXCLUDE checks every row under an ACCESS EXCLUSIVE lock",
     "An exclusion constraint can be neither NOT VALID nor made from an index built "
     "concurrently: PostgreSQL builds its index and checks every row while reads and writes "
     "wait.",
     "There is no online way. Add it when the table is created or still small, or in a "
     "maintenance window, with a lock timeout so that it gives up rather than queue the "
     "traffic behind it:\n"
     "SET lock_timeout = '5s';\n"
     "-- migrate:lint ignore=adding-exclusion-constraint reason=\"bookings holds a few hundred "
     "rows\"\n"
     "ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap EXCLUDE USING gist (room_id "
     "WITH =, during WITH &&);"},
}};

// ---- Parse tree helpers -------------------------------------------------------------------

/// The last segment of a qualified name list (a type's, a function's): `pg_catalog.int4` is
/// `int4`, as libpg_query spells the SQL-standard names.
std::string_view last_name(const PgNode& node, std::string_view field) {
  return last_name(node.list(field));
}

/// The schema of a qualified name list; empty when there is none.
std::string_view name_schema(const PgNode& node, std::string_view field) {
  const std::vector<PgNode>& names = node.list(field);
  return names.size() < 2 ? std::string_view() : names[names.size() - 2].as_text();
}

/// The column constraint of `contype` of a ColumnDef; null when it has none.
const PgNode* column_constraint(const PgNode& column, std::string_view contype) {
  for (const PgNode& constraint : column.list("constraints")) {
    if (constraint.text("contype") == contype) {
      return &constraint;
    }
  }
  return nullptr;
}

/// Whether a default expression is NULL (`DEFAULT NULL`, `DEFAULT NULL::int`): PostgreSQL
/// keeps no default for it, so it costs nothing.
bool null_literal(const PgNode& expression) {
  if (expression.is("TypeCast")) {
    const PgNode* argument = expression.field("arg");
    return argument && null_literal(*argument);
  }
  return expression.is("A_Const") && expression.flag("isnull");
}

/// The column's default expression, unless it has none or it is NULL.
const PgNode* real_default(const PgNode& column) {
  const PgNode* constraint = column_constraint(column, "CONSTR_DEFAULT");
  const PgNode* expression = constraint ? constraint->field("raw_expr") : nullptr;
  return expression && !null_literal(*expression) ? expression : nullptr;
}

/// Whether a type name is one of the serial pseudo-types (a sequence default under the name).
bool serial_type(const PgNode& type_name) {
  static constexpr std::array<std::string_view, 6> kSerial = {
      "serial", "serial2", "serial4", "serial8", "smallserial", "bigserial"};
  std::string_view name = last_name(type_name, "names");
  return !type_name.field("arrayBounds") &&
         std::find(kSerial.begin(), kSerial.end(), name) != kSerial.end();
}

/// Whether an earlier statement alters `table` (the same name, as squawk matches them).
bool same_table(const PgNode& statement, const PgNode& table) {
  const PgNode* relation = statement.field("relation");
  return statement.is("AlterTableStmt") && relation &&
         relation->text("relname") == table.text("relname");
}

// ---- Volatile defaults --------------------------------------------------------------------

/// Built-in functions that are not volatile (pg_proc.provolatile <> 'v'), the ones defaults
/// use: a default that calls only these (and literals, casts, operators, CURRENT_TIMESTAMP
/// and the like) is computed once, and PostgreSQL 11+ keeps it in the catalog.
// clang-format off
constexpr std::string_view kNonVolatile[] = {
    "now", "transaction_timestamp", "statement_timestamp", "timezone", "date_trunc",
    "date_part", "extract", "make_date", "make_time", "make_timestamp", "make_timestamptz",
    "make_interval", "to_timestamp", "to_date", "to_char", "to_number", "lower", "upper",
    "btrim", "ltrim", "rtrim", "substring", "concat", "concat_ws", "length", "replace", "md5",
    "lpad", "rpad", "abs", "round", "floor", "ceil", "greatest", "least", "jsonb_build_object",
    "jsonb_build_array", "json_build_object", "json_build_array", "to_jsonb", "to_json",
    "current_setting", "txid_current", "pg_current_xact_id"};
// clang-format on

/// Volatile functions that defaults commonly call, to say so rather than "may be volatile".
// clang-format off
constexpr std::string_view kVolatile[] = {
    "gen_random_uuid", "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4",
    "clock_timestamp", "timeofday", "random", "nextval", "uuidv7"};
// clang-format on

/// What a default expression calls that makes it (or may make it) volatile.
struct VolatileCall {
  std::string name;    ///< as written, `myschema.f`
  bool known = false;  ///< a function known to be volatile, not merely unknown
};

/// The first call in `expression` not known to be non-volatile; none when the default is a
/// constant or calls only known non-volatile built-ins.
std::optional<VolatileCall> volatile_call(const PgNode& expression) {
  for (const PgNode* call : expression.find_all("FuncCall")) {
    std::string_view name = last_name(*call, "funcname");
    std::string_view schema = name_schema(*call, "funcname");
    bool builtin = schema.empty() || schema == "pg_catalog";
    auto in = [name](const auto& list) {
      return std::find(std::begin(list), std::end(list), name) != std::end(list);
    };
    if (builtin && in(kNonVolatile)) {
      continue;
    }
    std::string written = schema.empty() ? std::string(name) : fmt::format("{}.{}", schema, name);
    return VolatileCall{written, builtin && in(kVolatile)};
  }
  return std::nullopt;
}

// ---- Column type changes ------------------------------------------------------------------

/// A column type as the rules compare it: its last name segment and its type modifiers.
struct ColumnType {
  std::string_view name;
  std::vector<long> modifiers;  ///< varchar(n): {n}; numeric(p, s): {p, s}
  bool array = false;
};

ColumnType column_type(const PgNode& type_name) {
  ColumnType type{last_name(type_name, "names"), {}, type_name.field("arrayBounds") != nullptr};
  for (const PgNode& modifier : type_name.list("typmods")) {
    std::string_view text = modifier.as_text();  // an extension type's may be a string
    long value = -1;
    std::from_chars(text.data(), text.data() + text.size(), value);
    type.modifiers.push_back(value);
  }
  return type;
}

/// A type's first modifier (a length, a precision); `fallback` when it has none.
long modifier(const ColumnType& type, long fallback) {
  return type.modifiers.empty() ? fallback : type.modifiers.front();
}

/// Whether numeric(p, s) can become `to` without a rewrite: more or the same precision at the
/// same scale, or no limit at all.
bool wider_numeric(const ColumnType& from, const ColumnType& to) {
  if (to.modifiers.empty()) {
    return true;
  }
  if (from.modifiers.empty()) {
    return false;  // unconstrained values may not fit
  }
  long from_scale = from.modifiers.size() > 1 ? from.modifiers[1] : 0;
  long to_scale = to.modifiers.size() > 1 ? to.modifiers[1] : 0;
  return to.modifiers[0] >= from.modifiers[0] && to_scale == from_scale;
}

/// Whether PostgreSQL changes `from` into `to` without rewriting the table (the binary-
/// compatible changes, PostgreSQL 9.2 and later). timestamp <-> timestamptz is left out: it
/// needs no rewrite only when the session's TimeZone is UTC.
bool rewrite_free(const ColumnType& from, const ColumnType& to) {
  if (from.array || to.array) {
    return from.array == to.array && from.name == to.name && from.modifiers == to.modifiers;
  }
  if (from.name == to.name && from.modifiers == to.modifiers) {
    return true;
  }
  bool from_string = from.name == "varchar" || from.name == "text";
  if (to.name == "text") {
    return from_string;
  }
  if (to.name == "varchar") {
    return to.modifiers.empty() ? from_string
                                : from.name == "varchar" && !from.modifiers.empty() &&
                                      to.modifiers.front() >= from.modifiers.front();
  }
  if (to.name == "numeric" && from.name == "numeric") {
    return wider_numeric(from, to);
  }
  // PostgreSQL 9.2 made more timestamp precision free; time and interval are left out.
  if (from.name == to.name && (to.name == "timestamp" || to.name == "timestamptz")) {
    return modifier(to, 6) >= modifier(from, 6);  // 6: the default precision
  }
  return from.name == "cidr" && to.name == "inet";
}

/// Whether some type could become `to` without a rewrite: what to say when the old type is
/// unknown.
bool maybe_rewrite_free(const ColumnType& to) {
  return !to.array && (to.name == "text" || to.name == "varchar" || to.name == "numeric");
}

/// "varchar(20)", "numeric(10,2)", "text[]": a type for a message.
std::string type_text(const ColumnType& type) {
  std::string text(type.name);
  for (std::size_t i = 0; i < type.modifiers.size(); ++i) {
    text += fmt::format("{}{}", i == 0 ? "(" : ",", type.modifiers[i]);
  }
  if (!type.modifiers.empty()) {
    text += ")";
  }
  return type.array ? text + "[]" : text;
}

// ---- The checks ---------------------------------------------------------------------------

/// One ALTER TABLE statement on an existing table, as the checks of its commands see it.
struct Alter {
  const LintStatement& statement;
  const LintContext& context;
  const PgNode& table;  ///< its RangeVar
  std::string name;     ///< the table's name as written
  std::vector<Finding>& findings;

  void report(Rule rule, std::string detail) const {
    report_on_table(findings, kRules[rule], statement, table, std::move(detail));
  }
  /// Whether the server is known to be older than `version` (server_version_num).
  bool server_before(int version) const {
    return context.server_version != 0 && context.server_version < version;
  }
};

void check_default(const Alter& alter, std::string_view column, const PgNode& expression) {
  if (alter.server_before(110000)) {
    alter.report(kVolatileDefault,
                 fmt::format("ADD COLUMN {} with a DEFAULT rewrites {}: before PostgreSQL 11 "
                             "every default does",
                             column, alter.name));
    return;
  }
  std::optional<VolatileCall> call = volatile_call(expression);
  if (!call) {
    return;
  }
  alter.report(kVolatileDefault,
               call->known ? fmt::format("ADD COLUMN {} with the volatile default {}() "
                                         "rewrites {}",
                                         column, call->name, alter.name)
                           : fmt::format("ADD COLUMN {} with a default that calls {}(), which "
                                         "may be volatile: then it rewrites {}",
                                         column, call->name, alter.name));
}

/// The rewrite rules of ADD COLUMN: one finding at most, for what makes it rewrite.
void check_new_column_rewrite(const Alter& alter, const PgNode& column) {
  std::string_view name = column.text("colname");
  const PgNode* type_name = column.field("typeName");
  if (column_constraint(column, "CONSTR_IDENTITY") || (type_name && serial_type(*type_name))) {
    alter.report(kAutoIncrement, fmt::format("ADD COLUMN {}, an auto-increment column, rewrites "
                                             "{} to number its rows",
                                             name, alter.name));
  } else if (column_constraint(column, "CONSTR_GENERATED")) {
    alter.report(
        kStoredGenerated,
        fmt::format("ADD COLUMN {}, a stored generated column, rewrites {}", name, alter.name));
  } else if (const PgNode* expression = real_default(column)) {
    check_default(alter, name, *expression);
  }
}

void check_add_column(const Alter& alter, const PgNode& column) {
  check_new_column_rewrite(alter, column);
  std::string_view name = column.text("colname");
  const PgNode* type_name = column.field("typeName");
  bool has_value = real_default(column) || column_constraint(column, "CONSTR_IDENTITY") ||
                   column_constraint(column, "CONSTR_GENERATED") ||
                   (type_name && serial_type(*type_name));
  bool primary = column_constraint(column, "CONSTR_PRIMARY") != nullptr;
  if (!has_value && (primary || column_constraint(column, "CONSTR_NOTNULL"))) {
    // Not by the table's size: it fails on a table with one row as on one with millions.
    report(alter.findings, kRules[kRequired], alter.statement,
           fmt::format("ADD COLUMN {} {} without a default: PostgreSQL refuses "
                       "it if {} has rows",
                       name, primary ? "PRIMARY KEY" : "NOT NULL", alter.name));
  }
  if (column_constraint(column, "CONSTR_FOREIGN")) {
    alter.report(kForeignKey, fmt::format("ADD COLUMN {} REFERENCES checks every row of {} "
                                          "and blocks writes to both tables",
                                          name, alter.name));
  }
  if (column_constraint(column, "CONSTR_UNIQUE")) {
    alter.report(kUnique, fmt::format("ADD COLUMN {} UNIQUE builds its index on {} under an "
                                      "ACCESS EXCLUSIVE lock",
                                      name, alter.name));
  }
  if (primary) {
    alter.report(kPrimaryKey, fmt::format("ADD COLUMN {} PRIMARY KEY builds its index on {} "
                                          "under an ACCESS EXCLUSIVE lock",
                                          name, alter.name));
  }
}

/// "FOREIGN KEY orders_user_fk", or "FOREIGN KEY" when it has no name: a constraint for a
/// message.
std::string label(const PgNode& constraint) {
  std::string_view type = constraint.text("contype");
  std::string_view kind = type == "CONSTR_FOREIGN"   ? "FOREIGN KEY"
                          : type == "CONSTR_CHECK"   ? "CHECK"
                          : type == "CONSTR_UNIQUE"  ? "UNIQUE"
                          : type == "CONSTR_PRIMARY" ? "PRIMARY KEY"
                                                     : "EXCLUDE";
  std::string_view name = constraint.text("conname");
  return name.empty() ? std::string(kind) : fmt::format("{} {}", kind, name);
}

void check_add_constraint(const Alter& alter, const PgNode& constraint) {
  std::string_view type = constraint.text("contype");
  bool validated = !constraint.flag("skip_validation");
  bool using_index = !constraint.text("indexname").empty();
  if (type == "CONSTR_FOREIGN" && validated) {
    alter.report(kForeignKey, fmt::format("{} on {} checks every row and blocks writes to both "
                                          "tables",
                                          label(constraint), alter.name));
  }
  if ((type == "CONSTR_FOREIGN" || type == "CONSTR_CHECK") && validated) {
    alter.report(kNotValid, fmt::format("{} on {} without NOT VALID checks every row under its "
                                        "lock",
                                        label(constraint), alter.name));
  } else if (type == "CONSTR_UNIQUE" && !using_index) {
    alter.report(kUnique, fmt::format("{} builds its index on {} under an ACCESS EXCLUSIVE lock",
                                      label(constraint), alter.name));
  } else if (type == "CONSTR_PRIMARY" && !using_index) {
    alter.report(kPrimaryKey, fmt::format("{} builds its index on {} under an ACCESS EXCLUSIVE "
                                          "lock",
                                          label(constraint), alter.name));
  } else if (type == "CONSTR_EXCLUSION") {
    alter.report(kExclusion, fmt::format("{} builds its index and checks every row of {} under "
                                         "an ACCESS EXCLUSIVE lock",
                                         label(constraint), alter.name));
  }
}

/// Whether a CHECK constraint's expression is exactly `column IS NOT NULL`.
bool proves_not_null(const PgNode& constraint, std::string_view column) {
  const PgNode* test = constraint.field("raw_expr");
  if (constraint.text("contype") != "CONSTR_CHECK" || !test || !test->is("NullTest") ||
      test->text("nulltesttype") != "IS_NOT_NULL") {
    return false;
  }
  const PgNode* argument = test->field("arg");
  return argument && argument->is("ColumnRef") && last_name(*argument, "fields") == column;
}

/// Whether the statements before, in this section, leave a validated CHECK (column IS NOT
/// NULL) on the table: added without NOT VALID, or added NOT VALID and validated since. A
/// VALIDATE of a constraint this section did not add (one added by an earlier migration, as
/// the two-migration recipe does) is taken as that proof, as squawk takes it: its definition
/// is not here to read.
bool not_null_proven(const Alter& alter, std::string_view column) {
  std::map<std::string, bool, std::less<>> added;  // constraint name -> proves the column
  for (const LintStatement& earlier : alter.context.before()) {
    if (!same_table(*earlier.node, alter.table)) {
      continue;
    }
    for (const PgNode& command : earlier.node->list("cmds")) {
      std::string_view subtype = command.text("subtype");
      const PgNode* constraint = command.field("def");
      if (subtype == "AT_AddConstraint" && constraint) {
        bool proves = proves_not_null(*constraint, column);
        if (proves && !constraint->flag("skip_validation")) {
          return true;
        }
        added[std::string(constraint->text("conname"))] = proves;
      } else if (subtype == "AT_ValidateConstraint") {
        auto found = added.find(command.text("name"));
        if (found == added.end() || found->second) {
          return true;
        }
      }
    }
  }
  return false;
}

void check_set_not_null(const Alter& alter, std::string_view column) {
  if (alter.server_before(120000)) {
    alter.report(kSetNotNull, fmt::format("SET NOT NULL on {}.{} scans the table under an ACCESS "
                                          "EXCLUSIVE lock: before PostgreSQL 12 a CHECK "
                                          "constraint does not spare the scan",
                                          alter.name, column));
  } else if (!not_null_proven(alter, column)) {
    alter.report(kSetNotNull, fmt::format("SET NOT NULL on {}.{} without a validated CHECK ({} "
                                          "IS NOT NULL) before it scans the table under an "
                                          "ACCESS EXCLUSIVE lock",
                                          alter.name, column, column));
  }
}

/// Whether the statement ends or begins a transaction block: what came before it ran in
/// another transaction.
bool transaction_boundary(const LintStatement& statement) {
  std::string_view kind = statement.node->text("kind");
  return statement.node->is("TransactionStmt") &&
         (kind == "TRANS_STMT_BEGIN" || kind == "TRANS_STMT_START" || kind == "TRANS_STMT_COMMIT" ||
          kind == "TRANS_STMT_ROLLBACK");
}

/// Whether an earlier statement of the same transaction added constraint `name` NOT VALID.
bool added_not_valid_in_transaction(const Alter& alter, std::string_view name) {
  std::span<const LintStatement> earlier = alter.context.before();
  for (auto it = earlier.rbegin(); it != earlier.rend(); ++it) {
    if (!it->in_transaction || transaction_boundary(*it)) {
      return false;
    }
    if (!same_table(*it->node, alter.table)) {
      continue;
    }
    for (const PgNode& command : it->node->list("cmds")) {
      const PgNode* constraint = command.field("def");
      if (command.text("subtype") == "AT_AddConstraint" && constraint &&
          constraint->flag("skip_validation") && constraint->text("conname") == name) {
        return true;
      }
    }
  }
  return false;
}

void check_validate(const Alter& alter, std::string_view name) {
  if (alter.statement.in_transaction && added_not_valid_in_transaction(alter, name)) {
    alter.report(kNotValid, fmt::format("VALIDATE CONSTRAINT {} in the transaction that added it "
                                        "NOT VALID: the ADD's lock on {} is still held while "
                                        "every row is checked",
                                        name, alter.name));
  }
}

/// The type `column` of the table was given earlier in this section (ADD COLUMN, or an
/// earlier type change); none when this section does not say.
std::optional<ColumnType> earlier_type(const Alter& alter, std::string_view column) {
  std::span<const LintStatement> earlier = alter.context.before();
  for (auto it = earlier.rbegin(); it != earlier.rend(); ++it) {
    if (!same_table(*it->node, alter.table)) {
      continue;
    }
    const std::vector<PgNode>& commands = it->node->list("cmds");
    for (auto command = commands.rbegin(); command != commands.rend(); ++command) {
      std::string_view subtype = command->text("subtype");
      const PgNode* definition = command->field("def");
      const PgNode* type_name = definition ? definition->field("typeName") : nullptr;
      bool added = subtype == "AT_AddColumn" && definition && definition->text("colname") == column;
      bool changed = subtype == "AT_AlterColumnType" && command->text("name") == column;
      if (type_name && (added || changed)) {
        return column_type(*type_name);
      }
    }
  }
  return std::nullopt;
}

void check_column_type(const Alter& alter, const PgNode& command) {
  std::string_view column = command.text("name");
  const PgNode* definition = command.field("def");
  const PgNode* type_name = definition ? definition->field("typeName") : nullptr;
  if (type_name == nullptr) {
    return;
  }
  ColumnType to = column_type(*type_name);
  bool using_expression = definition->field("raw_default") != nullptr;
  std::optional<ColumnType> from = earlier_type(alter, column);
  if (from && !using_expression && rewrite_free(*from, to)) {
    return;
  }
  if (from || using_expression || !maybe_rewrite_free(to)) {
    alter.report(kColumnType,
                 fmt::format("ALTER COLUMN {} TYPE {}{} rewrites {} under an ACCESS EXCLUSIVE "
                             "lock",
                             column, type_text(to),
                             from ? fmt::format(" (from {})", type_text(*from)) : "", alter.name));
    return;
  }
  // The old type is not in this migration: it may be one this type takes without a rewrite.
  alter.report(kColumnType,
               fmt::format("ALTER COLUMN {} TYPE {} rewrites {} unless the column's current type "
                           "converts without one (varchar to text, varchar(n) to a longer varchar, "
                           "numeric to more precision at the same scale)",
                           column, type_text(to), alter.name));
  alter.findings.back().severity = Severity::warning;
}

void check_command(const Alter& alter, const PgNode& command) {
  std::string_view subtype = command.text("subtype");
  const PgNode* definition = command.field("def");
  if (subtype == "AT_AddColumn" && definition) {
    check_add_column(alter, *definition);
  } else if (subtype == "AT_AddConstraint" && definition) {
    check_add_constraint(alter, *definition);
  } else if (subtype == "AT_SetNotNull") {
    check_set_not_null(alter, command.text("name"));
  } else if (subtype == "AT_ValidateConstraint") {
    check_validate(alter, command.text("name"));
  } else if (subtype == "AT_AlterColumnType") {
    check_column_type(alter, command);
  }
}

void check(const LintStatement& statement, const LintContext& context,
           std::vector<Finding>& findings) {
  const PgNode& node = *statement.node;
  const PgNode* table = node.field("relation");
  // Every rule here is about a table that deployed code uses and that has rows; ALTER
  // FOREIGN TABLE stores nothing to rewrite.
  if (!node.is("AlterTableStmt") || node.text("objtype") != "OBJECT_TABLE" || !table ||
      context.is_new_table(*table)) {
    return;
  }
  Alter alter{statement, context, *table, table_name(*table), findings};
  for (const PgNode& command : node.list("cmds")) {
    check_command(alter, command);
  }
}

}  // namespace

const RuleFamily& locking_rules() {
  static const RuleFamily kFamily{"locking", kRules, check};
  return kFamily;
}

}  // namespace migrate
