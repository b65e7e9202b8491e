#include "schema/postgres_schema_migration.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "schema/postgres_schema_sql.hpp"
#include "schema/schema_dump.hpp"
#include "util/error.hpp"

namespace migrate {

namespace {

enum class Kind {
  other,          // the dump's SET
  public_schema,  // every database has it: only its comment and privileges change
  schema,
  extension,
  enum_type,
  domain,
  composite,
  sequence,
  owned_by,
  table,
  row_security,
  view,
  function,
  constraint,
  index,
  trigger,
  policy,
};

/// One object of a model, by its dump item's key: how to drop it, and what its comment and
/// privileges are on.
struct Object {
  Kind kind = Kind::other;
  std::string label;  ///< "table public.t", for changes
  std::string drop;
  std::string comment_target;  ///< "TABLE public.t"
  std::string grant_target;
  std::string comment;
  const std::vector<Grant>* grants = nullptr;
  const std::vector<Column>* columns = nullptr;  ///< their comments and privileges
  std::string columns_owner;                     ///< "public.t", for COMMENT ON COLUMN
  const Table* table = nullptr;                  ///< a table, or the table a member is on
  const EnumType* enum_type = nullptr;
  const Function* function = nullptr;
  const Sequence* sequence = nullptr;
  const Constraint* constraint = nullptr;
  const Domain* domain = nullptr;
  std::string refresh;  ///< a materialized view's REFRESH: the dump makes it WITH NO DATA
};

/// What `public` is in a new database (PostgreSQL 15), where the model leaves it out.
const Schema& default_public() {
  static const Schema kPublic{"public", "standard public schema", {{"PUBLIC", {"USAGE"}, false}}};
  return kPublic;
}

using Catalog = std::map<std::string, Object>;

/// Adds an object to `catalog`: its kind, its label, how it is dropped, what COMMENT ON and
/// GRANT name it (`target`, or `grant_target` where GRANT names it otherwise), its comment and
/// privileges.
Object& add_object(Catalog& catalog, const std::string& key, Kind kind, std::string label,
                   std::string drop, const std::string& target, const std::string& comment = {},
                   const std::vector<Grant>* grants = nullptr, std::string grant_target = {}) {
  Object& o = catalog[key];
  o.kind = kind;
  o.label = std::move(label);
  o.drop = std::move(drop);
  o.comment_target = target;
  o.grant_target = grant_target.empty() ? target : std::move(grant_target);
  o.comment = comment;
  o.grants = grants;
  return o;
}

/// The members of a table: its row level security and its constraints.
void add_table(Catalog& catalog, const Table& table) {
  std::string name = postgres_qualified(table.name);
  std::string label = display_name(table.name);
  Object& o = add_object(
      catalog, object_key("table", table.name), Kind::table, "table " + label,
      "-- hazard: deletes-data: drops table " + label + " and its rows\n" + "DROP TABLE " + name,
      "TABLE " + name, table.comment, &table.grants);
  o.columns = &table.columns;
  o.columns_owner = name;
  o.table = &table;
  add_object(catalog, member_key("table", table.name, "row security"), Kind::row_security,
             "row level security of " + label,
             fmt::format("ALTER TABLE {0} DISABLE ROW LEVEL SECURITY;\n"
                         "ALTER TABLE {0} NO FORCE ROW LEVEL SECURITY",
                         name),
             {})
      .table = &table;
  for (const Constraint& constraint : table.constraints) {
    std::string constraint_name = postgres_identifier(constraint.name);
    Object& c =
        add_object(catalog, member_key("constraint", table.name, constraint.name), Kind::constraint,
                   fmt::format("constraint {} on {}", constraint.name, label),
                   fmt::format("ALTER TABLE {} DROP CONSTRAINT {}", name, constraint_name),
                   "CONSTRAINT " + constraint_name + " ON " + name, constraint.comment);
    c.table = &table;
    c.constraint = &constraint;
  }
}

Catalog catalog_of(const SchemaModel& model) {
  Catalog catalog;
  std::vector<const Schema*> schemas;
  for (const Schema& schema : model.schemas) {
    schemas.push_back(&schema);
  }
  if (std::none_of(model.schemas.begin(), model.schemas.end(),
                   [](const Schema& schema) { return schema.name == "public"; })) {
    schemas.push_back(&default_public());
  }
  for (const Schema* schema : schemas) {
    std::string name = postgres_identifier(schema->name);
    add_object(catalog, object_key("schema", {"", schema->name}),
               schema->name == "public" ? Kind::public_schema : Kind::schema,
               "schema " + schema->name, "DROP SCHEMA " + name, "SCHEMA " + name, schema->comment,
               &schema->grants);
  }
  for (const Extension& extension : model.extensions) {
    std::string name = postgres_identifier(extension.name);
    add_object(catalog, object_key("extension", {"", extension.name}), Kind::extension,
               "extension " + extension.name, "DROP EXTENSION " + name, "EXTENSION " + name,
               extension.comment);
  }
  for (const EnumType& type : model.enums) {
    std::string name = postgres_qualified(type.name);
    add_object(catalog, object_key("type", type.name), Kind::enum_type,
               "enum " + display_name(type.name), "DROP TYPE " + name, "TYPE " + name, type.comment,
               &type.grants)
        .enum_type = &type;
  }
  for (const Domain& domain : model.domains) {
    std::string name = postgres_qualified(domain.name);
    add_object(catalog, object_key("type", domain.name), Kind::domain,
               "domain " + display_name(domain.name), "DROP DOMAIN " + name, "DOMAIN " + name,
               domain.comment, &domain.grants)
        .domain = &domain;
  }
  for (const CompositeType& type : model.composite_types) {
    std::string name = postgres_qualified(type.name);
    Object& o = add_object(catalog, object_key("type", type.name), Kind::composite,
                           "type " + display_name(type.name), "DROP TYPE " + name, "TYPE " + name,
                           type.comment, &type.grants);
    o.columns = &type.attributes;
    o.columns_owner = name;
  }
  for (const Sequence& sequence : model.sequences) {
    std::string name = postgres_qualified(sequence.name);
    std::string label = "sequence " + display_name(sequence.name);
    add_object(catalog, object_key("sequence", sequence.name), Kind::sequence, label,
               "DROP SEQUENCE " + name, "SEQUENCE " + name, sequence.comment, &sequence.grants)
        .sequence = &sequence;
    add_object(catalog, member_key("sequence", sequence.name, "owned by"), Kind::owned_by,
               "OWNED BY of " + label, "ALTER SEQUENCE " + name + " OWNED BY NONE", {})
        .sequence = &sequence;
  }
  for (const Table& table : model.tables) {
    add_table(catalog, table);
  }
  for (const View& view : model.views) {
    std::string name = postgres_qualified(view.name);
    std::string kind = view.materialized ? "MATERIALIZED VIEW" : "VIEW";
    Object& o =
        add_object(catalog, object_key("view", view.name), Kind::view,
                   (view.materialized ? "materialized view " : "view ") + display_name(view.name),
                   "DROP " + kind + " " + name, kind + " " + name, view.comment, &view.grants,
                   "TABLE " + name);
    o.columns = &view.columns;
    o.columns_owner = name;
    if (view.materialized) {
      o.refresh = "REFRESH MATERIALIZED VIEW " + name + ";\n";
    }
  }
  for (const Function& function : model.functions) {
    std::string target = fmt::format("{} {}({})", function.procedure ? "PROCEDURE" : "FUNCTION",
                                     postgres_qualified(function.name), function.arguments);
    add_object(catalog, object_key("function", function.name, function.arguments), Kind::function,
               fmt::format("{} {}({})", function.procedure ? "procedure" : "function",
                           display_name(function.name), function.arguments),
               "DROP " + target, target, function.comment, &function.grants)
        .function = &function;
  }
  for (const Index& index : model.indexes) {
    std::string name = postgres_qualified(index.name);
    add_object(catalog, object_key("index", index.name), Kind::index,
               "index " + display_name(index.name), "DROP INDEX " + name, "INDEX " + name,
               index.comment);
  }
  for (const Trigger& trigger : model.triggers) {
    std::string target = fmt::format("{} ON {}", postgres_identifier(trigger.name),
                                     postgres_qualified(trigger.table));
    add_object(catalog, member_key("trigger", trigger.table, trigger.name), Kind::trigger,
               fmt::format("trigger {} on {}", trigger.name, display_name(trigger.table)),
               "DROP TRIGGER " + target, "TRIGGER " + target, trigger.comment);
  }
  for (const Policy& policy : model.policies) {
    std::string target =
        fmt::format("{} ON {}", postgres_identifier(policy.name), postgres_qualified(policy.table));
    add_object(catalog, member_key("policy", policy.table, policy.name), Kind::policy,
               fmt::format("policy {} on {}", policy.name, display_name(policy.table)),
               "DROP POLICY " + target, "POLICY " + target, policy.comment);
  }
  return catalog;
}

/// The model without comments and privileges: what is left is what CREATE makes.
SchemaModel stripped(SchemaModel model) {
  auto strip_columns = [](std::vector<Column>& columns) {
    for (Column& column : columns) {
      column.comment.clear();
      column.grants.clear();
    }
  };
  auto strip = [](auto& objects) {
    for (auto& object : objects) {
      object.comment.clear();
      if constexpr (requires { object.grants; }) {
        object.grants.clear();
      }
    }
  };
  strip(model.schemas);
  strip(model.extensions);
  strip(model.enums);
  strip(model.domains);
  strip(model.composite_types);
  strip(model.sequences);
  strip(model.functions);
  strip(model.tables);
  strip(model.views);
  strip(model.indexes);
  strip(model.triggers);
  strip(model.policies);
  for (CompositeType& type : model.composite_types) {
    strip_columns(type.attributes);
  }
  for (Domain& domain : model.domains) {
    strip(domain.checks);
  }
  for (Table& table : model.tables) {
    strip_columns(table.columns);
    strip(table.constraints);
    for (Column& column : table.columns) {
      column.identity_grants.clear();
    }
  }
  for (View& view : model.views) {
    view.columns.clear();
  }
  return model;
}

std::map<std::string, const DumpItem*> by_key(const std::vector<DumpItem>& items) {
  std::map<std::string, const DumpItem*> map;
  for (const DumpItem& item : items) {
    map[item.key] = &item;
  }
  return map;
}

std::string grantee(const std::string& role) {
  return role == "PUBLIC" ? role : postgres_identifier(role);
}

const Grant* find_grant(const std::vector<Grant>* grants, const std::string& role) {
  if (grants == nullptr) {
    return nullptr;
  }
  for (const Grant& grant : *grants) {
    if (grant.grantee == role) {
      return &grant;
    }
  }
  return nullptr;
}

/// The REVOKEs and GRANTs that take the privileges on `target` from `before` to `after`, role
/// by role: a role whose privileges changed loses them all and gets the new ones. `columns`:
/// "(c)" for a column's. `reset`: roles that lost everything already (a table-level REVOKE
/// takes the column privileges with it); returns the roles it revoked from.
std::set<std::string> grant_changes(std::string_view target, const std::vector<Grant>* before,
                                    const std::vector<Grant>* after, std::string_view columns,
                                    const std::set<std::string>& reset,
                                    std::vector<std::string>& out) {
  std::vector<std::string> roles;
  for (const auto* list : {after, before}) {
    if (list != nullptr) {
      for (const Grant& grant : *list) {
        if (std::find(roles.begin(), roles.end(), grant.grantee) == roles.end()) {
          roles.push_back(grant.grantee);
        }
      }
    }
  }
  std::set<std::string> revoked;
  std::string on = columns.empty() ? "" : " " + std::string(columns);
  for (const std::string& role : roles) {
    const Grant* b = reset.contains(role) ? nullptr : find_grant(before, role);
    const Grant* a = find_grant(after, role);
    if ((a == nullptr && b == nullptr) || (a != nullptr && b != nullptr && *a == *b)) {
      continue;
    }
    if (b != nullptr) {
      out.push_back(fmt::format("REVOKE ALL{} ON {} FROM {}", on, target, grantee(role)));
      revoked.insert(role);
    }
    if (a != nullptr) {
      std::vector<std::string> privileges;
      for (const std::string& privilege : a->privileges) {
        privileges.push_back(privilege + on);
      }
      out.push_back(fmt::format("GRANT {} ON {} TO {}{}", fmt::join(privileges, ", "), target,
                                grantee(role), a->with_grant_option ? " WITH GRANT OPTION" : ""));
    }
  }
  return revoked;
}

std::string comment_statement(std::string_view target, const std::string& comment) {
  return fmt::format("COMMENT ON {} IS {}", target,
                     comment.empty() ? "NULL" : postgres_literal(comment));
}

const Column* find_column(const std::vector<Column>* columns, const std::string& name) {
  if (columns == nullptr) {
    return nullptr;
  }
  for (const Column& column : *columns) {
    if (column.name == name) {
      return &column;
    }
  }
  return nullptr;
}

/// COMMENT ON and GRANT/REVOKE that take the comments and privileges of `before` (null: a
/// new object, none) to those of `after`.
void metadata_changes(const Object* before, const Object& after, std::vector<std::string>& out) {
  if ((before == nullptr ? std::string() : before->comment) != after.comment) {
    out.push_back(comment_statement(after.comment_target, after.comment));
  }
  std::set<std::string> reset;
  if (after.grants != nullptr) {
    reset = grant_changes(after.grant_target, before == nullptr ? nullptr : before->grants,
                          after.grants, "", {}, out);
  }
  if (after.columns == nullptr) {
    return;
  }
  const std::vector<Column>* old_columns = before == nullptr ? nullptr : before->columns;
  std::vector<std::string> names;
  for (const auto* list : {after.columns, old_columns}) {
    if (list != nullptr) {
      for (const Column& column : *list) {
        if (std::find(names.begin(), names.end(), column.name) == names.end()) {
          names.push_back(column.name);
        }
      }
    }
  }
  for (const std::string& name : names) {
    const Column* b = find_column(old_columns, name);
    const Column* a = find_column(after.columns, name);
    if (a == nullptr && after.kind != Kind::view) {
      continue;  // a dropped column takes its comment and privileges with it
    }
    std::string comment = a == nullptr ? "" : a->comment;
    if ((b == nullptr ? std::string() : b->comment) != comment) {
      out.push_back(comment_statement(
          fmt::format("COLUMN {}.{}", after.columns_owner, postgres_identifier(name)), comment));
    }
    if (after.kind == Kind::table || after.kind == Kind::view) {
      grant_changes(after.grant_target, b == nullptr ? nullptr : &b->grants,
                    a == nullptr ? nullptr : &a->grants, "(" + postgres_identifier(name) + ")",
                    reset, out);
    }
    if (after.kind == Kind::table && a != nullptr && !a->identity.empty()) {
      bool same_sequence =
          b != nullptr && !b->identity.empty() && b->identity_options == a->identity_options;
      grant_changes("SEQUENCE " + postgres_identity_sequence(after.table->name, *a),
                    same_sequence ? &b->identity_grants : nullptr, &a->identity_grants, "", {},
                    out);
    }
  }
}

/// COMMENT ON the CHECKs of a domain whose comments changed.
void domain_check_comments(const Domain& before, const Domain& after,
                           std::vector<std::string>& out) {
  for (const Constraint& check : after.checks) {
    std::string old_comment;
    for (const Constraint& old : before.checks) {
      if (old.name == check.name) {
        old_comment = old.comment;
      }
    }
    if (old_comment != check.comment) {
      out.push_back(comment_statement(
          fmt::format("CONSTRAINT {} ON DOMAIN {}", postgres_identifier(check.name),
                      postgres_qualified(after.name)),
          check.comment));
    }
  }
}

std::string joined(const std::vector<std::string>& statements) {
  std::string out;
  for (const std::string& statement : statements) {
    out += statement + ";\n";
  }
  return out;
}

/// A table's change in place: what comes out of it before the drops of what it may need
/// (`removals`), and what goes in with the creates (`additions`).
struct TableChange {
  std::vector<std::string> removals;
  std::vector<std::string> additions;
  bool reshaped = false;  ///< a column dropped or retyped: views on it must go first
};

/// Adds to `changes` when given.
class Changes {
 public:
  explicit Changes(std::vector<SchemaChange>* changes) : m_changes(changes) {}

  /// Records the change; returns the `-- hazard:` line to put before its statement.
  std::string add(std::string description, std::string hazard = {}) {
    std::string line = hazard.empty() ? "" : "-- hazard: " + hazard + "\n";
    if (m_changes != nullptr) {
      m_changes->push_back({std::move(description), std::move(hazard)});
    }
    return line;
  }

 private:
  std::vector<SchemaChange>* m_changes;
};

TableChange table_change(const Table& before, const Table& after, Changes& changes) {
  TableChange out;
  std::string table = display_name(after.name);
  std::string name = postgres_qualified(after.name);
  if (before.partition_key != after.partition_key || before.partition_of != after.partition_of ||
      before.partition_bound != after.partition_bound) {
    throw UsageError(fmt::format(
        "cannot generate the change of table {}'s partitioning: write that migration by hand",
        table));
  }
  auto alter = [&](const Column& column, std::string_view what) {
    return fmt::format("ALTER TABLE {} ALTER COLUMN {} {}", name, postgres_identifier(column.name),
                       what);
  };
  std::vector<std::string> kept;  // the order the migration leaves
  for (const Column& old : before.columns) {
    const Column* now = find_column(&after.columns, old.name);
    if (now == nullptr) {
      std::string hazard = fmt::format("deletes-data: drops column {}.{}", table, old.name);
      out.removals.push_back(
          changes.add(fmt::format("drop column {}.{}", table, old.name), hazard) +
          fmt::format("ALTER TABLE {} DROP COLUMN {}", name, postgres_identifier(old.name)));
      out.reshaped = true;
    } else if (!now->generated.empty() && now->generated != old.generated) {
      continue;  // dropped and added again below, at the end
    } else {
      kept.push_back(old.name);
    }
  }
  for (const Column& column : after.columns) {
    const Column* old = find_column(&before.columns, column.name);
    std::string label = table + "." + column.name;
    if (old != nullptr && !column.generated.empty() && column.generated != old->generated) {
      // PostgreSQL 15 cannot change a generation expression, nor make a column generated.
      std::string hazard =
          fmt::format("deletes-data: drops column {} to add it again generated", label);
      out.removals.push_back(
          changes.add("generate column " + label, hazard) +
          fmt::format("ALTER TABLE {} DROP COLUMN {}", name, postgres_identifier(column.name)));
      out.reshaped = true;
      old = nullptr;
    }
    if (old == nullptr) {
      std::string hazard;
      if (column.not_null && column.default_value.empty() && column.generated.empty() &&
          column.identity.empty()) {
        hazard = fmt::format(
            "fails-on-data: {} is NOT NULL without a default: fails once {} "
            "has rows",
            label, table);
      } else if (!column.generated.empty()) {
        hazard = "rewrites-table: computes generated column " + label + " for every row";
      }
      out.additions.push_back(
          changes.add("add column " + label, hazard) +
          fmt::format("ALTER TABLE {} ADD COLUMN {}", name, postgres_column_definition(column)));
      continue;
    }
    if (*old == column) {
      continue;
    }
    if (!old->generated.empty() && column.generated.empty()) {
      out.removals.push_back(changes.add("stop generating column " + label) +
                             alter(column, "DROP EXPRESSION"));
    }
    if (!old->identity.empty() &&
        (column.identity.empty() || old->identity_options != column.identity_options)) {
      out.removals.push_back(changes.add("drop identity of column " + label) +
                             alter(column, "DROP IDENTITY"));
    }
    bool retyped = old->type != column.type || old->collation != column.collation;
    if (!old->default_value.empty() && (retyped || old->default_value != column.default_value)) {
      out.removals.push_back(alter(column, "DROP DEFAULT"));
      if (column.default_value.empty()) {
        changes.add("drop default of column " + label);
      }
    }
    if (old->not_null && !column.not_null) {
      out.removals.push_back(changes.add("drop NOT NULL of column " + label) +
                             alter(column, "DROP NOT NULL"));
    }
    if (retyped) {
      std::string type = column.type;
      if (!column.collation.empty()) {
        type += " COLLATE " + column.collation;
      }
      std::string hazard = fmt::format(
          "rewrites-table: changes the type of {} from {} to {}: rewrites {} and its indexes "
          "under an ACCESS EXCLUSIVE lock; fails-on-data when a value does not convert",
          label, old->type, column.type, table);
      out.additions.push_back(
          changes.add(fmt::format("change type of column {} to {}", label, type), hazard) +
          alter(column, fmt::format("TYPE {} USING {}::{}", type, postgres_identifier(column.name),
                                    column.type)));
      out.reshaped = true;
    }
    if (!column.default_value.empty() && (retyped || old->default_value != column.default_value)) {
      out.additions.push_back(alter(column, "SET DEFAULT " + column.default_value));
      if (old->default_value != column.default_value) {
        changes.add(fmt::format("set default of column {} to {}", label, column.default_value));
      }
    }
    if (!old->not_null && column.not_null) {
      std::string hazard = fmt::format(
          "locks-table: SET NOT NULL scans all of {} under an ACCESS EXCLUSIVE lock; "
          "fails-on-data when {} holds NULLs",
          table, label);
      out.additions.push_back(changes.add("set NOT NULL on column " + label, hazard) +
                              alter(column, "SET NOT NULL"));
    }
    if (!column.identity.empty()) {
      if (old->identity.empty() || old->identity_options != column.identity_options) {
        std::string options =
            column.identity_options.empty() ? "" : " (" + column.identity_options + ")";
        std::string hazard =
            old->identity.empty()
                ? ""
                : "fails-on-data: the identity of " + label +
                      " gets a new sequence, which starts again at its START: it may give "
                      "values rows already hold";
        out.additions.push_back(
            changes.add("make column " + label + " an identity", hazard) +
            alter(column, fmt::format("ADD GENERATED {} AS IDENTITY{}", column.identity, options)));
      } else if (old->identity != column.identity) {
        out.additions.push_back(
            changes.add("make column " + label + " GENERATED " + column.identity) +
            alter(column, "SET GENERATED " + column.identity));
      }
    }
  }
  for (const Column& column : after.columns) {
    if (std::find(kept.begin(), kept.end(), column.name) == kept.end()) {
      kept.push_back(column.name);
    }
  }
  std::vector<std::string> wanted;
  for (const Column& column : after.columns) {
    wanted.push_back(column.name);
  }
  if (kept != wanted) {
    changes.add(
        fmt::format("column order of {} differs: PostgreSQL cannot reorder columns; "
                    "left as is",
                    table));
  }
  if (before.unlogged != after.unlogged) {
    out.additions.push_back(
        changes.add(fmt::format("make table {} {}", table, after.unlogged ? "UNLOGGED" : "LOGGED"),
                    "rewrites-table: rewrites " + table + " under an ACCESS EXCLUSIVE lock") +
        fmt::format("ALTER TABLE {} SET {}", name, after.unlogged ? "UNLOGGED" : "LOGGED"));
  }
  if (before.options != after.options) {
    std::vector<std::string> reset;
    std::vector<std::string> set;
    auto option_name = [](const std::string& option) { return option.substr(0, option.find('=')); };
    for (const std::string& option : before.options) {
      bool kept_option =
          std::any_of(after.options.begin(), after.options.end(),
                      [&](const std::string& o) { return option_name(o) == option_name(option); });
      if (!kept_option) {
        reset.push_back(option_name(option));
      }
    }
    for (const std::string& option : after.options) {
      std::size_t equals = option.find('=');
      set.push_back(equals == std::string::npos ? option
                                                : option.substr(0, equals) + "=" +
                                                      postgres_literal(option.substr(equals + 1)));
    }
    changes.add("change storage options of table " + table);
    if (!reset.empty()) {
      out.additions.push_back(
          fmt::format("ALTER TABLE {} RESET ({})", name, fmt::join(reset, ", ")));
    }
    if (!set.empty()) {
      out.additions.push_back(fmt::format("ALTER TABLE {} SET ({})", name, fmt::join(set, ", ")));
    }
  }
  return out;
}

/// ALTER SEQUENCE with every option spelled out: `options` lists only what is not the default
/// (the reader's rules, for the type and direction), and ALTER keeps what it is not told.
std::string sequence_change(const Sequence& sequence) {
  long long start = 0;
  long long increment = 1;
  std::optional<long long> min;
  std::optional<long long> max;
  std::optional<long long> start_given;
  long long cache = 1;
  bool cycle = false;
  std::vector<std::string> words;
  for (std::size_t at = 0; at < sequence.options.size();) {
    std::size_t end = sequence.options.find(' ', at);
    end = end == std::string::npos ? sequence.options.size() : end;
    words.push_back(sequence.options.substr(at, end - at));
    at = end + 1;
  }
  for (std::size_t i = 0; i < words.size(); ++i) {
    auto number = [&](std::size_t skip) { return std::stoll(words.at(i + skip)); };
    if (words[i] == "START") {
      start_given = number(2);
      i += 2;
    } else if (words[i] == "INCREMENT") {
      increment = number(2);
      i += 2;
    } else if (words[i] == "MINVALUE") {
      min = number(1);
      i += 1;
    } else if (words[i] == "MAXVALUE") {
      max = number(1);
      i += 1;
    } else if (words[i] == "CACHE") {
      cache = number(1);
      i += 1;
    } else if (words[i] == "CYCLE") {
      cycle = true;
    }
  }
  const std::string& type = sequence.type;
  long long type_max = type == "smallint"  ? 32767
                       : type == "integer" ? 2147483647LL
                                           : std::numeric_limits<long long>::max();
  long long type_min = type == "smallint"  ? -32768
                       : type == "integer" ? -2147483648LL
                                           : std::numeric_limits<long long>::min();
  long long low = min.value_or(increment > 0 ? 1 : type_min);
  long long high = max.value_or(increment > 0 ? type_max : -1);
  start = start_given.value_or(increment > 0 ? low : high);
  return fmt::format(
      "ALTER SEQUENCE {} AS {} INCREMENT BY {} MINVALUE {} MAXVALUE {} START WITH {} CACHE {} {}",
      postgres_qualified(sequence.name), type, increment, low, high, start, cache,
      cycle ? "CYCLE" : "NO CYCLE");
}

/// A domain's default, NOT NULL and CHECKs changed in place (its type cannot be).
std::vector<std::string> domain_change(const Domain& before, const Domain& after,
                                       Changes& changes) {
  std::vector<std::string> out;
  std::string name = postgres_qualified(after.name);
  std::string label = display_name(after.name);
  if (before.default_value != after.default_value) {
    changes.add("change default of domain " + label);
    out.push_back(after.default_value.empty()
                      ? fmt::format("ALTER DOMAIN {} DROP DEFAULT", name)
                      : fmt::format("ALTER DOMAIN {} SET DEFAULT {}", name, after.default_value));
  }
  if (before.not_null && !after.not_null) {
    out.push_back(changes.add("drop NOT NULL of domain " + label) +
                  fmt::format("ALTER DOMAIN {} DROP NOT NULL", name));
  }
  for (const Constraint& check : before.checks) {
    bool kept = std::any_of(after.checks.begin(), after.checks.end(), [&](const Constraint& c) {
      return c.name == check.name && c.definition == check.definition;
    });
    if (!kept) {
      out.push_back(
          changes.add(fmt::format("drop constraint {} of domain {}", check.name, label)) +
          fmt::format("ALTER DOMAIN {} DROP CONSTRAINT {}", name, postgres_identifier(check.name)));
    }
  }
  if (!before.not_null && after.not_null) {
    out.push_back(changes.add("set NOT NULL on domain " + label,
                              "fails-on-data: every column of domain " + label +
                                  " is checked, and one NULL fails it") +
                  fmt::format("ALTER DOMAIN {} SET NOT NULL", name));
  }
  for (const Constraint& check : after.checks) {
    bool kept = std::any_of(before.checks.begin(), before.checks.end(), [&](const Constraint& c) {
      return c.name == check.name && c.definition == check.definition;
    });
    if (!kept) {
      std::string hazard = check.validated ? "fails-on-data: every column of domain " + label +
                                                 " is checked against " + check.name
                                           : "";
      out.push_back(
          changes.add(fmt::format("add constraint {} to domain {}", check.name, label), hazard) +
          fmt::format("ALTER DOMAIN {} ADD CONSTRAINT {} {}", name, postgres_identifier(check.name),
                      check.definition));
    }
  }
  return out;
}

/// Whether `type` (format_type's) is `name` or an array of it.
bool of_type(const std::string& type, const std::string& name) {
  return type == name || type == name + "[]";
}

/// One direction: the statements that take `from` to `to`, and what they change when
/// `changes` is given.
GeneratedSection migrate_schema(const SchemaModel& from, const SchemaModel& to,
                                std::vector<SchemaChange>* list) {
  Changes changes(list);
  Catalog old_objects = catalog_of(from);
  Catalog new_objects = catalog_of(to);
  std::vector<DumpItem> old_items = postgres_dump_items(from);
  std::vector<DumpItem> new_items = postgres_dump_items(to);
  std::vector<DumpItem> old_core_items = postgres_dump_items(stripped(from));
  std::vector<DumpItem> new_core_items = postgres_dump_items(stripped(to));
  auto new_by_key = by_key(new_items);
  auto old_core = by_key(old_core_items);
  auto new_core = by_key(new_core_items);

  std::set<std::string> dropped;                // dropped (and created again when TO has it)
  std::map<std::string, std::string> in_place;  // key -> its statements, with the creates
  std::set<std::string> replaced;               // functions: CREATE OR REPLACE
  std::set<std::string> reshaped_tables;        // keys of tables whose views must go first
  std::vector<std::string> removals;            // columns out of tables, between the drops
  std::set<std::string> recreated_enums;
  for (const auto& [key, object] : old_objects) {
    if (object.kind != Kind::other && !new_objects.contains(key)) {
      dropped.insert(key);
    }
  }
  for (const auto& [key, after] : new_objects) {
    auto found = old_objects.find(key);
    if (found == old_objects.end() || after.kind == Kind::other ||
        after.kind == Kind::public_schema) {
      continue;
    }
    const Object& before = found->second;
    auto old_core_item = old_core.find(key);
    auto new_core_item = new_core.find(key);
    bool same_core = before.kind == after.kind &&
                     (old_core_item == old_core.end()) == (new_core_item == new_core.end()) &&
                     (old_core_item == old_core.end() ||
                      old_core_item->second->sql == new_core_item->second->sql);
    if (same_core) {
      continue;
    }
    if (before.kind != after.kind) {
      dropped.insert(key);
      continue;
    }
    switch (after.kind) {
      case Kind::table: {
        TableChange change = table_change(*before.table, *after.table, changes);
        removals.insert(removals.end(), change.removals.begin(), change.removals.end());
        if (!change.additions.empty()) {
          in_place[key] = joined(change.additions);
        }
        if (change.reshaped) {
          reshaped_tables.insert(key);
        }
        break;
      }
      case Kind::row_security: {
        std::string name = postgres_qualified(after.table->name);
        std::vector<std::string> statements;
        if (before.table->row_security != after.table->row_security) {
          statements.push_back(fmt::format("ALTER TABLE {} {} ROW LEVEL SECURITY", name,
                                           after.table->row_security ? "ENABLE" : "DISABLE"));
        }
        if (before.table->force_row_security != after.table->force_row_security) {
          statements.push_back(fmt::format("ALTER TABLE {} {}FORCE ROW LEVEL SECURITY", name,
                                           after.table->force_row_security ? "" : "NO "));
        }
        changes.add("change " + after.label);
        // With the columns' changes: TO may have no item for it (nothing enabled).
        removals.insert(removals.end(), statements.begin(), statements.end());
        break;
      }
      case Kind::owned_by:
        changes.add("change " + after.label);
        if (new_core_item != new_core.end()) {
          in_place[key] = new_core_item->second->sql;
        } else {
          removals.push_back(before.drop);
        }
        break;
      case Kind::function:
        if (before.function->procedure != after.function->procedure) {
          dropped.insert(key);  // CREATE OR REPLACE cannot change a routine's kind
          break;
        }
        replaced.insert(key);
        changes.add("replace " + after.label);
        in_place[key] = std::string(postgres_statement_body(after.function->definition)) + ";\n";
        break;
      case Kind::enum_type: {
        const std::vector<std::string>& old_values = before.enum_type->values;
        const std::vector<std::string>& new_values = after.enum_type->values;
        std::vector<std::string> common;
        for (const std::string& value : new_values) {
          if (std::find(old_values.begin(), old_values.end(), value) != old_values.end()) {
            common.push_back(value);
          }
        }
        if (common != old_values) {
          recreated_enums.insert(key);
          break;
        }
        std::string name = postgres_qualified(after.enum_type->name);
        std::vector<std::string> statements;
        for (std::size_t i = 0; i < new_values.size(); ++i) {
          if (std::find(old_values.begin(), old_values.end(), new_values[i]) != old_values.end()) {
            continue;
          }
          std::string where = i > 0                ? " AFTER " + postgres_literal(new_values[i - 1])
                              : old_values.empty() ? ""
                                                   : " BEFORE " + postgres_literal(old_values[0]);
          std::string hazard = fmt::format(
              "fails-on-data: the new value {} of {} cannot be used before this transaction "
              "commits",
              postgres_literal(new_values[i]), display_name(after.enum_type->name));
          statements.push_back(
              changes.add(fmt::format("add value {} to enum {}", postgres_literal(new_values[i]),
                                      display_name(after.enum_type->name)),
                          hazard) +
              fmt::format("ALTER TYPE {} ADD VALUE {}{}", name, postgres_literal(new_values[i]),
                          where));
        }
        in_place[key] = joined(statements);
        break;
      }
      case Kind::sequence:
        changes.add("change " + after.label);
        in_place[key] = sequence_change(*after.sequence) + ";\n";
        break;
      case Kind::domain:
        if (before.domain->type != after.domain->type ||
            before.domain->collation != after.domain->collation) {
          dropped.insert(key);
        } else {
          in_place[key] = joined(domain_change(*before.domain, *after.domain, changes));
        }
        break;
      default:
        dropped.insert(key);
        break;
    }
  }

  // Enums that lose or reorder values: made again, and the columns that use them converted.
  for (const std::string& key : recreated_enums) {
    const Object& after = new_objects.at(key);
    const EnumType& type = *after.enum_type;
    std::string name = postgres_qualified(type.name);
    std::string old_name = type.name.name + "_migrate_old";
    std::string hazard = fmt::format(
        "fails-on-data: recreates enum {}: converting its columns fails when a row holds a "
        "value it loses",
        display_name(type.name));
    std::vector<std::string> statements{
        changes.add("recreate enum " + display_name(type.name) + " with values " +
                        fmt::format("{}", fmt::join(type.values, ", ")),
                    hazard) +
        fmt::format("ALTER TYPE {} RENAME TO {}", name, postgres_identifier(old_name))};
    statements.push_back(std::string(postgres_statement_body(new_by_key.at(key)->sql)));
    for (const Table& table : to.tables) {
      const Object* before = old_objects.contains(object_key("table", table.name))
                                 ? &old_objects.at(object_key("table", table.name))
                                 : nullptr;
      if (before == nullptr || before->kind != Kind::table) {
        continue;
      }
      std::string table_name = postgres_qualified(table.name);
      for (const Column& column : table.columns) {
        const Column* old = find_column(&before->table->columns, column.name);
        if (old == nullptr || !of_type(column.type, name) || old->type != column.type) {
          continue;
        }
        std::string target = fmt::format("ALTER TABLE {} ALTER COLUMN {}", table_name,
                                         postgres_identifier(column.name));
        if (!old->default_value.empty()) {
          statements.push_back(target + " DROP DEFAULT");
        }
        std::string text = column.type == name ? "text" : "text[]";
        statements.push_back(fmt::format("{} TYPE {} USING {}::{}::{}", target, column.type,
                                         postgres_identifier(column.name), text, column.type));
        if (!old->default_value.empty() && old->default_value == column.default_value) {
          statements.push_back(target + " SET DEFAULT " + column.default_value);
        }
        reshaped_tables.insert(object_key("table", table.name));
      }
    }
    statements.push_back("DROP TYPE " + postgres_qualified({type.name.schema, old_name}));
    in_place[key] = joined(statements);
  }

  // What depends on what is dropped goes first, and comes back after; so do the views,
  // policies and triggers on a reshaped table.
  std::map<std::string, std::vector<std::string>> dependents;
  for (const DumpItem& item : old_items) {
    for (const std::string& need : item.needs) {
      dependents[need].push_back(item.key);
    }
  }
  // (key, the key it goes for)
  std::vector<std::pair<std::string, std::string>> pending;
  for (const std::string& key : dropped) {
    pending.emplace_back(key, "");
  }
  auto kind_of = [&](const std::string& key) {
    return old_objects.contains(key) ? old_objects.at(key).kind : Kind::other;
  };
  for (const std::string& table : reshaped_tables) {
    for (const std::string& dependent : dependents[table]) {
      // PostgreSQL refuses to retype or drop a column a view, policy or trigger reads.
      if (kind_of(dependent) == Kind::view || kind_of(dependent) == Kind::policy ||
          kind_of(dependent) == Kind::trigger) {
        pending.emplace_back(dependent, table);
      }
    }
  }
  for (const std::string& type : recreated_enums) {
    for (const std::string& dependent : dependents[type]) {
      if (kind_of(dependent) != Kind::table) {
        pending.emplace_back(dependent, type);
      }
    }
  }
  // A primary key or unique constraint that goes takes the foreign keys that use it.
  for (const std::string& key : dropped) {
    const Object& object = old_objects.at(key);
    if (object.kind == Kind::constraint) {
      for (const Table& table : from.tables) {
        for (const Constraint& constraint : table.constraints) {
          if (constraint.kind == ConstraintKind::foreign_key &&
              constraint.references == object.table->name) {
            pending.emplace_back(member_key("constraint", table.name, constraint.name), key);
          }
        }
      }
    }
  }
  std::set<std::string> visited;
  while (!pending.empty()) {
    auto [key, cause] = pending.back();
    pending.pop_back();
    if (!old_objects.contains(key) || !visited.insert(key).second) {
      continue;
    }
    const Object& object = old_objects.at(key);
    if (!dropped.contains(key)) {
      if (object.kind == Kind::table || object.kind == Kind::public_schema) {
        // A table stays: what it uses may go only when the table's own change lets it go
        // (a default or a column that TO no longer has), not to come back.
        if (new_objects.contains(cause)) {
          throw UsageError(fmt::format(
              "cannot generate this migration: {} uses {}, which must be dropped and created "
              "again; write that change by hand",
              object.label, old_objects.at(cause).label));
        }
        continue;
      }
      dropped.insert(key);
      in_place.erase(key);
      replaced.erase(key);
    }
    for (const std::string& dependent : dependents[key]) {
      pending.emplace_back(dependent, key);
    }
  }

  GeneratedSection section;
  // Drops, what depends on them first; the columns taken out of tables once nothing that
  // reads them is left, before the drops of what they may use (types, functions, sequences).
  std::vector<DumpItem> drops;
  for (const DumpItem& item : old_items) {
    if (dropped.contains(item.key)) {
      drops.push_back(item);
    }
  }
  std::vector<const DumpItem*> drop_order = order_dump_items(drops);
  std::reverse(drop_order.begin(), drop_order.end());
  std::vector<std::string> late;
  for (const DumpItem* item : drop_order) {
    const Object& object = old_objects.at(item->key);
    bool goes_again = new_objects.contains(item->key);
    if (object.kind == Kind::table && goes_again) {
      continue;  // cannot happen: refused above
    }
    if (!goes_again) {
      changes.add(
          "drop " + object.label,
          object.kind == Kind::table
              ? "deletes-data: drops table " + display_name(object.table->name) + " and its rows"
              : "");
    }
    bool early = object.kind == Kind::constraint || object.kind == Kind::index ||
                 object.kind == Kind::trigger || object.kind == Kind::policy ||
                 object.kind == Kind::view || object.kind == Kind::row_security ||
                 object.kind == Kind::owned_by;
    (early ? section.statements : late).push_back(object.drop);
  }
  section.statements.insert(section.statements.end(), removals.begin(), removals.end());
  section.statements.insert(section.statements.end(), late.begin(), late.end());

  // Creates and changes in place, in the dump's order.
  std::vector<DumpItem> creates;
  bool functions = false;
  for (const DumpItem& item : new_items) {
    auto object = new_objects.find(item.key);
    if (object == new_objects.end() || object->second.kind == Kind::other ||
        object->second.kind == Kind::public_schema) {
      continue;
    }
    bool existed = old_objects.contains(item.key);
    if (!existed || dropped.contains(item.key)) {
      const Object& created = object->second;
      std::string hazard;
      bool on_existing_table = created.table != nullptr &&
                               old_objects.contains(object_key("table", created.table->name));
      std::string table = created.table != nullptr ? display_name(created.table->name) : "";
      if (created.kind == Kind::index) {
        const Index* index = nullptr;
        for (const Index& candidate : to.indexes) {
          if (object_key("index", candidate.name) == item.key) {
            index = &candidate;
          }
        }
        if (index != nullptr && old_objects.contains(object_key("table", index->table))) {
          hazard = fmt::format(
              "locks-table: CREATE INDEX blocks writes to {0}; for a large table, write it as "
              "CREATE INDEX CONCURRENTLY in a transaction:false section (`migrate lint --fix` "
              "does, in a migration of its own, when it is last)",
              display_name(index->table));
        }
      } else if (created.kind == Kind::constraint && on_existing_table) {
        const Constraint& constraint = *created.constraint;
        if (constraint.kind == ConstraintKind::primary_key ||
            constraint.kind == ConstraintKind::unique ||
            constraint.kind == ConstraintKind::exclude) {
          hazard = fmt::format(
              "locks-table: building the index of {} blocks writes to {}; fails-on-data when "
              "rows break it",
              constraint.name, table);
        } else if (constraint.validated) {
          hazard = fmt::format(
              "locks-table: checking every row of {} for {} under a lock; fails-on-data when "
              "rows break it",
              table, constraint.name);
        }
      }
      std::string line = changes.add(
          (dropped.contains(item.key) ? "recreate " : "create ") + created.label, hazard);
      if (!created.refresh.empty()) {
        line = changes.add("fill " + created.label,
                           "locks-table: REFRESH MATERIALIZED VIEW runs its query with the view "
                           "locked") +
               line;
      }
      creates.push_back({item.key, item.needs, line + item.sql + created.refresh});
      functions = functions || created.kind == Kind::function;
      continue;
    }
    auto change = in_place.find(item.key);
    if (change != in_place.end() && !change->second.empty()) {
      creates.push_back({item.key, item.needs, change->second});
      functions = functions || replaced.contains(item.key);
    }
  }
  if (functions) {
    section.statements.insert(section.statements.begin(), "SET check_function_bodies = false");
  }
  for (const DumpItem* item : order_dump_items(creates)) {
    if (!item->sql.empty()) {
      section.statements.emplace_back(postgres_statement_body(item->sql));
    }
  }

  // Comments and privileges of what was neither dropped nor created.
  std::vector<std::string> metadata;
  for (const auto& [key, after] : new_objects) {
    auto before = old_objects.find(key);
    if (before == old_objects.end() || dropped.contains(key) || after.kind == Kind::other) {
      continue;
    }
    if (recreated_enums.contains(key)) {
      continue;  // made again with its comment and privileges
    }
    std::size_t count = metadata.size();
    metadata_changes(&before->second, after, metadata);
    if (after.kind == Kind::domain && before->second.kind == Kind::domain) {
      domain_check_comments(*before->second.domain, *after.domain, metadata);
    }
    if (metadata.size() != count) {
      changes.add("change comments or privileges of " + after.label);
    }
  }
  section.statements.insert(section.statements.end(), metadata.begin(), metadata.end());
  return section;
}

}  // namespace

SchemaMigration postgres_schema_migration(const SchemaModel& from, const SchemaModel& to) {
  SchemaMigration migration;
  std::vector<SchemaChange> changes;
  migration.up = migrate_schema(from, to, &changes);
  migration.down = migrate_schema(to, from, nullptr);
  // A column order PostgreSQL cannot make is said, and is no change: nothing runs for it, and
  // schemas that differ only so compare the same (same_schema).
  for (SchemaChange& change : changes) {
    if (change.description.starts_with("column order of ")) {
      migration.notes.push_back(std::move(change.description));
    } else {
      migration.changes.push_back(std::move(change));
    }
  }
  return migration;
}

}  // namespace migrate
