#include "schema/postgres_schema_sql.hpp"

#include "schema/sql_identifier.hpp"

#include <algorithm>
#include <array>
#include <map>

#include <fmt/format.h>

namespace migrate {

namespace {

// PostgreSQL 15's keywords that are not unreserved (pg_get_keywords(): reserved, type or
// function names, column names), sorted: a name that is one is quoted, as quote_ident() does.
constexpr std::array<std::string_view, 151> kKeywords = {"all",
                                                         "analyse",
                                                         "analyze",
                                                         "and",
                                                         "any",
                                                         "array",
                                                         "as",
                                                         "asc",
                                                         "asymmetric",
                                                         "authorization",
                                                         "between",
                                                         "bigint",
                                                         "binary",
                                                         "bit",
                                                         "boolean",
                                                         "both",
                                                         "case",
                                                         "cast",
                                                         "char",
                                                         "character",
                                                         "check",
                                                         "coalesce",
                                                         "collate",
                                                         "collation",
                                                         "column",
                                                         "concurrently",
                                                         "constraint",
                                                         "create",
                                                         "cross",
                                                         "current_catalog",
                                                         "current_date",
                                                         "current_role",
                                                         "current_schema",
                                                         "current_time",
                                                         "current_timestamp",
                                                         "current_user",
                                                         "dec",
                                                         "decimal",
                                                         "default",
                                                         "deferrable",
                                                         "desc",
                                                         "distinct",
                                                         "do",
                                                         "else",
                                                         "end",
                                                         "except",
                                                         "exists",
                                                         "extract",
                                                         "false",
                                                         "fetch",
                                                         "float",
                                                         "for",
                                                         "foreign",
                                                         "freeze",
                                                         "from",
                                                         "full",
                                                         "grant",
                                                         "greatest",
                                                         "group",
                                                         "grouping",
                                                         "having",
                                                         "ilike",
                                                         "in",
                                                         "initially",
                                                         "inner",
                                                         "inout",
                                                         "int",
                                                         "integer",
                                                         "intersect",
                                                         "interval",
                                                         "into",
                                                         "is",
                                                         "isnull",
                                                         "join",
                                                         "lateral",
                                                         "leading",
                                                         "least",
                                                         "left",
                                                         "like",
                                                         "limit",
                                                         "localtime",
                                                         "localtimestamp",
                                                         "national",
                                                         "natural",
                                                         "nchar",
                                                         "none",
                                                         "normalize",
                                                         "not",
                                                         "notnull",
                                                         "null",
                                                         "nullif",
                                                         "numeric",
                                                         "offset",
                                                         "on",
                                                         "only",
                                                         "or",
                                                         "order",
                                                         "out",
                                                         "outer",
                                                         "overlaps",
                                                         "overlay",
                                                         "placing",
                                                         "position",
                                                         "precision",
                                                         "primary",
                                                         "real",
                                                         "references",
                                                         "returning",
                                                         "right",
                                                         "row",
                                                         "select",
                                                         "session_user",
                                                         "setof",
                                                         "similar",
                                                         "smallint",
                                                         "some",
                                                         "substring",
                                                         "symmetric",
                                                         "table",
                                                         "tablesample",
                                                         "then",
                                                         "time",
                                                         "timestamp",
                                                         "to",
                                                         "trailing",
                                                         "treat",
                                                         "trim",
                                                         "true",
                                                         "union",
                                                         "unique",
                                                         "user",
                                                         "using",
                                                         "values",
                                                         "varchar",
                                                         "variadic",
                                                         "verbose",
                                                         "when",
                                                         "where",
                                                         "window",
                                                         "with",
                                                         "xmlattributes",
                                                         "xmlconcat",
                                                         "xmlelement",
                                                         "xmlexists",
                                                         "xmlforest",
                                                         "xmlnamespaces",
                                                         "xmlparse",
                                                         "xmlpi",
                                                         "xmlroot",
                                                         "xmlserialize",
                                                         "xmltable"};

bool keyword(std::string_view name) {
  return std::binary_search(kKeywords.begin(), kKeywords.end(), name);
}

std::string schema_key(std::string_view schema) {
  return object_key("schema", {"", std::string(schema)});
}

std::string comment_on(std::string_view target, std::string_view comment) {
  if (comment.empty()) {
    return {};
  }
  return fmt::format("COMMENT ON {} IS {};\n", target, postgres_literal(comment));
}

std::string grantee(const std::string& role) {
  return role == "PUBLIC" ? role : postgres_identifier(role);
}

/// The GRANTs that give `grants` on `target` ("TABLE public.t"), on `columns` ("(c)") when
/// they are column privileges. `public_default` is the privilege PostgreSQL gives PUBLIC on a
/// new object of the kind (functions: EXECUTE, types: USAGE): it is revoked when the model does
/// not have it, and not granted again when it does.
std::string grant_statements(std::string_view target, const std::vector<Grant>& grants,
                             std::string_view public_default = {}, std::string_view columns = {}) {
  std::string out;
  bool has_default = public_default.empty();
  for (const Grant& grant : grants) {
    if (!public_default.empty() && grant.grantee == "PUBLIC" && !grant.with_grant_option &&
        grant.privileges == std::vector<std::string>{std::string(public_default)}) {
      has_default = true;
      continue;
    }
    std::vector<std::string> privileges;
    for (const std::string& privilege : grant.privileges) {
      privileges.push_back(columns.empty() ? privilege : privilege + " " + std::string(columns));
    }
    out += fmt::format("GRANT {} ON {} TO {}{};\n", fmt::join(privileges, ", "), target,
                       grantee(grant.grantee), grant.with_grant_option ? " WITH GRANT OPTION" : "");
  }
  if (!has_default) {
    out.insert(0, fmt::format("REVOKE ALL ON {} FROM PUBLIC;\n", target));
  }
  return out;
}

/// " WITH (name='value', …)" for reloptions, or nothing.
std::string with_options(const std::vector<std::string>& options) {
  if (options.empty()) {
    return {};
  }
  std::vector<std::string> parts;
  for (const std::string& option : options) {
    std::size_t equals = option.find('=');
    parts.push_back(equals == std::string::npos ? option
                                                : option.substr(0, equals) + "=" +
                                                      postgres_literal(option.substr(equals + 1)));
  }
  return fmt::format(" WITH ({})", fmt::join(parts, ", "));
}

/// The column comments and column privileges of a table, a view or a composite type, and the
/// privileges on its identity columns' sequences.
std::string column_extras(const ObjectName& owner, const std::vector<Column>& columns,
                          std::string_view grant_target) {
  std::string name = postgres_qualified(owner);
  std::string out;
  for (const Column& column : columns) {
    out += comment_on("COLUMN " + name + "." + postgres_identifier(column.name), column.comment);
  }
  for (const Column& column : columns) {
    out += grant_statements(grant_target, column.grants, {},
                            "(" + postgres_identifier(column.name) + ")");
    if (!column.identity_grants.empty()) {
      out += grant_statements("SEQUENCE " + postgres_identity_sequence(owner, column),
                              column.identity_grants);
    }
  }
  return out;
}

const Table* find_table(const SchemaModel& model, const ObjectName& name) {
  for (const Table& table : model.tables) {
    if (table.name == name) {
      return &table;
    }
  }
  return nullptr;
}

/// What a partition sets on its columns beyond what PARTITION OF takes from its parent.
std::string partition_column_changes(const std::string& name, const Table& partition,
                                     const Table* parent) {
  std::string out;
  for (const Column& column : partition.columns) {
    const Column* inherited = nullptr;
    if (parent != nullptr) {
      for (const Column& candidate : parent->columns) {
        if (candidate.name == column.name) {
          inherited = &candidate;
        }
      }
    }
    std::string target =
        fmt::format("ALTER TABLE ONLY {} ALTER COLUMN {}", name, postgres_identifier(column.name));
    std::string inherited_default = inherited != nullptr ? inherited->default_value : "";
    if (column.generated.empty() && column.default_value != inherited_default) {
      out += column.default_value.empty() ? target + " DROP DEFAULT;\n"
                                          : target + " SET DEFAULT " + column.default_value + ";\n";
    }
    if (column.not_null && (inherited == nullptr || !inherited->not_null)) {
      out += target + " SET NOT NULL;\n";
    }
  }
  return out;
}

std::string create_table(const SchemaModel& model, const Table& table) {
  std::string name = postgres_qualified(table.name);
  std::string out = fmt::format("CREATE {}TABLE {}", table.unlogged ? "UNLOGGED " : "", name);
  if (table.partition_of) {
    out +=
        " PARTITION OF " + postgres_qualified(*table.partition_of) + "\n" + table.partition_bound;
  } else {
    std::vector<std::string> columns;
    for (const Column& column : table.columns) {
      columns.push_back("    " + postgres_column_definition(column));
    }
    out += columns.empty() ? " (\n)" : fmt::format(" (\n{}\n)", fmt::join(columns, ",\n"));
  }
  if (!table.partition_key.empty()) {
    out += " PARTITION BY " + table.partition_key;
  }
  out += with_options(table.options) + ";\n";
  if (table.partition_of) {
    out += partition_column_changes(name, table, find_table(model, *table.partition_of));
  }
  out += comment_on("TABLE " + name, table.comment);
  out += column_extras(table.name, table.columns, "TABLE " + name);
  out += grant_statements("TABLE " + name, table.grants);
  return out;
}

/// The items, with what each needs: its own needs, and what model.dependencies say.
class ItemList {
 public:
  explicit ItemList(const std::vector<Dependency>& dependencies) {
    for (const Dependency& dependency : dependencies) {
      m_needs[dependency.object].push_back(dependency.needs);
    }
  }

  void add(std::string key, std::vector<std::string> needs, std::string sql) {
    if (auto found = m_needs.find(key); found != m_needs.end()) {
      needs.insert(needs.end(), found->second.begin(), found->second.end());
    }
    m_items.push_back({std::move(key), std::move(needs), std::move(sql)});
  }

  std::vector<DumpItem> take() { return std::move(m_items); }

 private:
  std::map<std::string, std::vector<std::string>> m_needs;
  std::vector<DumpItem> m_items;
};

void add_schemas(const SchemaModel& model, ItemList& items) {
  for (const Schema& schema : model.schemas) {
    std::string name = postgres_identifier(schema.name);
    std::string sql;
    if (schema.name == "public") {
      // Every database has it: only its comment and privileges are the schema's own.
      sql = schema.comment.empty() ? "COMMENT ON SCHEMA public IS NULL;\n"
                                   : comment_on("SCHEMA public", schema.comment);
      sql += "REVOKE ALL ON SCHEMA public FROM PUBLIC;\n" +
             grant_statements("SCHEMA public", schema.grants);
    } else {
      sql = "CREATE SCHEMA " + name + ";\n" + comment_on("SCHEMA " + name, schema.comment) +
            grant_statements("SCHEMA " + name, schema.grants);
    }
    items.add(schema_key(schema.name), {}, sql);
  }
  for (const Extension& extension : model.extensions) {
    std::string name = postgres_identifier(extension.name);
    items.add(object_key("extension", {"", extension.name}), {schema_key(extension.schema)},
              fmt::format("CREATE EXTENSION {} WITH SCHEMA {};\n", name,
                          postgres_identifier(extension.schema)) +
                  comment_on("EXTENSION " + name, extension.comment));
  }
}

void add_types(const SchemaModel& model, ItemList& items) {
  for (const EnumType& type : model.enums) {
    std::string name = postgres_qualified(type.name);
    std::vector<std::string> values;
    for (const std::string& value : type.values) {
      values.push_back("    " + postgres_literal(value));
    }
    items.add(object_key("type", type.name), {schema_key(type.name.schema)},
              fmt::format("CREATE TYPE {} AS ENUM ({}{}{});\n", name, values.empty() ? "" : "\n",
                          fmt::join(values, ",\n"), values.empty() ? "" : "\n") +
                  comment_on("TYPE " + name, type.comment) +
                  grant_statements("TYPE " + name, type.grants, "USAGE"));
  }
  for (const Domain& domain : model.domains) {
    std::string name = postgres_qualified(domain.name);
    std::string sql = "CREATE DOMAIN " + name + " AS " + domain.type;
    if (!domain.collation.empty()) {
      sql += " COLLATE " + domain.collation;
    }
    if (!domain.default_value.empty()) {
      sql += " DEFAULT " + domain.default_value;
    }
    sql += domain.not_null ? " NOT NULL;\n" : ";\n";
    for (const Constraint& check : domain.checks) {
      std::string constraint = postgres_identifier(check.name);
      sql += fmt::format("ALTER DOMAIN {} ADD CONSTRAINT {} {};\n", name, constraint,
                         check.definition) +
             comment_on("CONSTRAINT " + constraint + " ON DOMAIN " + name, check.comment);
    }
    sql += comment_on("DOMAIN " + name, domain.comment) +
           grant_statements("DOMAIN " + name, domain.grants, "USAGE");
    items.add(object_key("type", domain.name), {schema_key(domain.name.schema)}, sql);
  }
  for (const CompositeType& type : model.composite_types) {
    std::string name = postgres_qualified(type.name);
    std::vector<std::string> attributes;
    for (const Column& attribute : type.attributes) {
      attributes.push_back("    " + postgres_column_definition(attribute));
    }
    items.add(object_key("type", type.name), {schema_key(type.name.schema)},
              fmt::format("CREATE TYPE {} AS ({}{}{});\n", name, attributes.empty() ? "" : "\n",
                          fmt::join(attributes, ",\n"), attributes.empty() ? "" : "\n") +
                  comment_on("TYPE " + name, type.comment) +
                  column_extras(type.name, type.attributes, "TYPE " + name) +
                  grant_statements("TYPE " + name, type.grants, "USAGE"));
  }
}

void add_sequences(const SchemaModel& model, ItemList& items) {
  for (const Sequence& sequence : model.sequences) {
    std::string name = postgres_qualified(sequence.name);
    items.add(object_key("sequence", sequence.name), {schema_key(sequence.name.schema)},
              fmt::format("CREATE SEQUENCE {} AS {}{}{};\n", name, sequence.type,
                          sequence.options.empty() ? "" : " ", sequence.options) +
                  comment_on("SEQUENCE " + name, sequence.comment) +
                  grant_statements("SEQUENCE " + name, sequence.grants));
  }
}

void add_tables(const SchemaModel& model, ItemList& items) {
  for (const Table& table : model.tables) {
    std::vector<std::string> needs{schema_key(table.name.schema)};
    if (table.partition_of) {
      needs.push_back(object_key("table", *table.partition_of));
    }
    items.add(object_key("table", table.name), needs, create_table(model, table));
  }
}

/// ALTER SEQUENCE … OWNED BY, once its table is there. The column is found among the tables of
/// the sequence's schema ("table.column" can hold dots inside quoted names).
void add_sequence_owners(const SchemaModel& model, ItemList& items) {
  for (const Sequence& sequence : model.sequences) {
    if (sequence.owned_by.empty()) {
      continue;
    }
    for (const Table& table : model.tables) {
      if (table.name.schema != sequence.name.schema) {
        continue;
      }
      for (const Column& column : table.columns) {
        if (table.name.name + "." + column.name == sequence.owned_by) {
          items.add(
              member_key("sequence", sequence.name, "owned by"),
              {object_key("sequence", sequence.name), object_key("table", table.name)},
              fmt::format("ALTER SEQUENCE {} OWNED BY {}.{};\n", postgres_qualified(sequence.name),
                          postgres_qualified(table.name), postgres_identifier(column.name)));
        }
      }
    }
  }
}

void add_views(const SchemaModel& model, ItemList& items) {
  for (const View& view : model.views) {
    std::string name = postgres_qualified(view.name);
    std::string kind = view.materialized ? "MATERIALIZED VIEW" : "VIEW";
    items.add(object_key("view", view.name), {schema_key(view.name.schema)},
              fmt::format("CREATE {} {}{} AS\n{}{};\n", kind, name, with_options(view.options),
                          postgres_statement_body(view.definition),
                          view.materialized ? "\n  WITH NO DATA" : "") +
                  comment_on(kind + " " + name, view.comment) +
                  column_extras(view.name, view.columns, "TABLE " + name) +
                  grant_statements("TABLE " + name, view.grants));
  }
}

void add_functions(const SchemaModel& model, ItemList& items) {
  for (const Function& function : model.functions) {
    std::string target = fmt::format("{} {}({})", function.procedure ? "PROCEDURE" : "FUNCTION",
                                     postgres_qualified(function.name), function.arguments);
    items.add(object_key("function", function.name, function.arguments),
              {schema_key(function.name.schema)},
              std::string(postgres_statement_body(function.definition)) + ";\n" +
                  comment_on(target, function.comment) +
                  grant_statements(target, function.grants, "EXECUTE"));
  }
}

void add_constraints(const SchemaModel& model, ItemList& items, bool foreign_keys) {
  for (const Table& table : model.tables) {
    std::string name = postgres_qualified(table.name);
    for (const Constraint& constraint : table.constraints) {
      if ((constraint.kind == ConstraintKind::foreign_key) != foreign_keys) {
        continue;
      }
      std::vector<std::string> needs{object_key("table", table.name)};
      if (foreign_keys) {
        needs.push_back(object_key("table", constraint.references));
      }
      std::string constraint_name = postgres_identifier(constraint.name);
      items.add(
          member_key("constraint", table.name, constraint.name), needs,
          fmt::format("ALTER TABLE {} ADD CONSTRAINT {} {};\n", name, constraint_name,
                      constraint.definition) +
              comment_on("CONSTRAINT " + constraint_name + " ON " + name, constraint.comment));
    }
  }
}

/// What an object on a table or view needs: that table or view, whichever it is.
std::vector<std::string> relation_needs(const ObjectName& relation) {
  return {object_key("table", relation), object_key("view", relation)};
}

void add_indexes_and_triggers(const SchemaModel& model, ItemList& items) {
  for (const Index& index : model.indexes) {
    items.add(object_key("index", index.name), relation_needs(index.table),
              std::string(postgres_statement_body(index.definition)) + ";\n" +
                  comment_on("INDEX " + postgres_qualified(index.name), index.comment));
  }
  for (const Trigger& trigger : model.triggers) {
    items.add(member_key("trigger", trigger.table, trigger.name), relation_needs(trigger.table),
              std::string(postgres_statement_body(trigger.definition)) + ";\n" +
                  comment_on(fmt::format("TRIGGER {} ON {}", postgres_identifier(trigger.name),
                                         postgres_qualified(trigger.table)),
                             trigger.comment));
  }
}

void add_row_security(const SchemaModel& model, ItemList& items) {
  for (const Table& table : model.tables) {
    std::string name = postgres_qualified(table.name);
    std::string sql;
    if (table.row_security) {
      sql += "ALTER TABLE " + name + " ENABLE ROW LEVEL SECURITY;\n";
    }
    if (table.force_row_security) {
      sql += "ALTER TABLE " + name + " FORCE ROW LEVEL SECURITY;\n";
    }
    if (!sql.empty()) {
      items.add(member_key("table", table.name, "row security"), {object_key("table", table.name)},
                sql);
    }
  }
  for (const Policy& policy : model.policies) {
    items.add(member_key("policy", policy.table, policy.name), {object_key("table", policy.table)},
              std::string(postgres_statement_body(policy.definition)) + ";\n" +
                  comment_on(fmt::format("POLICY {} ON {}", postgres_identifier(policy.name),
                                         postgres_qualified(policy.table)),
                             policy.comment));
  }
}

}  // namespace

std::string postgres_identifier(std::string_view name) {
  return sql_identifier(name, keyword(name));
}

std::string postgres_qualified(const ObjectName& name) {
  return name.schema.empty()
             ? postgres_identifier(name.name)
             : postgres_identifier(name.schema) + "." + postgres_identifier(name.name);
}

std::string postgres_literal(std::string_view text) {
  bool backslash = text.find('\\') != std::string_view::npos;
  std::string out = backslash ? "E'" : "'";
  for (char c : text) {
    out += c;
    if (c == '\'' || (backslash && c == '\\')) {
      out += c;
    }
  }
  return out + "'";
}

std::string postgres_column_definition(const Column& column) {
  std::string out = postgres_identifier(column.name) + " " + column.type;
  if (!column.collation.empty()) {
    out += " COLLATE " + column.collation;
  }
  if (!column.generated.empty()) {
    out += " GENERATED ALWAYS AS (" + column.generated + ") STORED";
  } else if (!column.default_value.empty()) {
    out += " DEFAULT " + column.default_value;
  }
  if (column.not_null) {
    out += " NOT NULL";
  }
  if (!column.identity.empty()) {
    out += " GENERATED " + column.identity + " AS IDENTITY";
    if (!column.identity_options.empty()) {
      out += " (" + column.identity_options + ")";
    }
  }
  return out;
}

std::string postgres_identity_sequence(const ObjectName& table, const Column& column) {
  constexpr std::string_view kNamed = "SEQUENCE NAME ";
  const std::string& options = column.identity_options;
  if (options.starts_with(kNamed)) {
    // A qualified, quoted name ends at the first space outside double quotes.
    bool quoted = false;
    std::size_t end = kNamed.size();
    for (; end < options.size() && (quoted || options[end] != ' '); ++end) {
      quoted = options[end] == '"' ? !quoted : quoted;
    }
    return options.substr(kNamed.size(), end - kNamed.size());
  }
  return postgres_qualified({table.schema, table.name + "_" + column.name + "_seq"});
}

std::string_view postgres_statement_body(std::string_view text) {
  while (!text.empty() && (text.back() == ';' || text.back() == '\n' || text.back() == ' ')) {
    text.remove_suffix(1);
  }
  return text;
}

std::vector<DumpItem> postgres_dump_items(const SchemaModel& model) {
  ItemList items(model.dependencies);
  // As pg_dump does: a function's body is checked when it runs, not when it is created, so a
  // LANGUAGE sql function may read a table that comes later in the dump.
  items.add("setting check_function_bodies", {}, "SET check_function_bodies = false;\n");
  add_schemas(model, items);
  add_types(model, items);
  add_sequences(model, items);
  add_tables(model, items);
  add_sequence_owners(model, items);
  add_views(model, items);
  add_functions(model, items);
  add_constraints(model, items, false);
  add_constraints(model, items, true);
  add_indexes_and_triggers(model, items);
  add_row_security(model, items);
  return items.take();
}

}  // namespace migrate
