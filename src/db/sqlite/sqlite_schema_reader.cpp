#include "db/sqlite/sqlite_schema_reader.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <map>

#include <fmt/format.h>

#include "db/connection.hpp"
#include "db/sqlite/sqlite_connection.hpp"
#include "db/sqlite/sqlite_schema_text.hpp"
#include "schema/sqlite_schema_sql.hpp"
#include "schema/unsupported_schema.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace migrate {

namespace {

std::string quoted_list(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) {
    out += (out.empty() ? "" : ", ") + sqlite_identifier(name);
  }
  return out;
}

/// Whether a table is left out: SQLite's own, and the state tables the options name (SQLite's
/// names match without regard to case, and "main.x" names x).
bool excluded(std::string_view table, const SchemaReadOptions& options) {
  if (ascii_lower(table).starts_with("sqlite_")) {
    return true;
  }
  // "x" and "main.x" name a table here; "sqitch.changes" a table of another (attached)
  // database, never one of main's.
  return std::any_of(options.excluded_tables.begin(), options.excluded_tables.end(),
                     [&](const std::string& name) {
                       std::string_view bare = name;
                       if (std::size_t dot = bare.rfind('.'); dot != std::string_view::npos) {
                         if (ascii_lower(bare.substr(0, dot)) != "main") {
                           return false;
                         }
                         bare.remove_prefix(dot + 1);
                       }
                       return ascii_lower(bare) == ascii_lower(table);
                     });
}

const std::string& text_of(const SqlRow& row, std::size_t i) {
  static const std::string kEmpty;
  return row.at(i) ? *row.at(i) : kEmpty;
}

/// A column's collation and whether it is AUTOINCREMENT: the catalog's answer through the C API
/// (compiled in Debian's SQLite: SQLITE_ENABLE_COLUMN_METADATA).
struct ColumnMetadata {
  std::string collation;
  bool autoincrement = false;
};

ColumnMetadata column_metadata(sqlite3* db, const std::string& table, const std::string& column) {
  const char* type = nullptr;
  const char* collation = nullptr;
  int not_null = 0, primary_key = 0, autoincrement = 0;
  if (sqlite3_table_column_metadata(db, "main", table.c_str(), column.c_str(), &type, &collation,
                                    &not_null, &primary_key, &autoincrement) != SQLITE_OK) {
    throw DbError(fmt::format("cannot read the column {}.{} from SQLite's catalog: {}", table,
                              column, sqlite3_errmsg(db)));
  }
  std::string name = collation != nullptr ? ascii_upper(collation) : "";
  return {name == "BINARY" ? std::string() : name, autoincrement != 0};
}

void read_columns(Connection& connection, sqlite3* db, const SqliteTableText& text, Table& table) {
  for (const SqlRow& row :
       connection.query("SELECT name, type, \"notnull\", dflt_value, pk, hidden "
                        "FROM pragma_table_xinfo($1) ORDER BY cid",
                        {SqlValue(table.name.name)})) {
    Column column;
    column.name = text_of(row, 0);
    column.type = ascii_upper(text_of(row, 1));  // SQLite's type names know no case
    column.not_null = text_of(row, 2) == "1";
    column.default_value = text_of(row, 3);
    int hidden = std::stoi(text_of(row, 5));
    if (hidden == 2 || hidden == 3) {
      column.generated_stored = hidden == 3;
      for (const auto& [name, expression] : text.generated) {
        if (ascii_lower(name) == ascii_lower(column.name)) {
          column.generated = expression;
        }
      }
    }
    ColumnMetadata metadata = column_metadata(db, table.name.name, column.name);
    column.collation = metadata.collation;
    table.autoincrement = table.autoincrement || metadata.autoincrement;
    table.columns.push_back(std::move(column));
  }
}

/// The name a CONSTRAINT clause gave to the constraint of `kind` on `columns`, if any.
std::string given_name(const SqliteTableText& text, std::string_view kind,
                       const std::vector<std::string>& columns) {
  for (const SqliteTableText::Named& named : text.named) {
    if (named.kind != kind || named.columns.size() != columns.size()) {
      continue;
    }
    if (std::equal(columns.begin(), columns.end(), named.columns.begin(),
                   [](const std::string& a, const std::string& b) {
                     return ascii_lower(a) == ascii_lower(b);
                   })) {
      return named.name;
    }
  }
  return {};
}

void read_primary_key(Connection& connection, const SqliteTableText& text, Table& table) {
  std::vector<std::string> columns;
  for (const SqlRow& row :
       connection.query("SELECT name FROM pragma_table_xinfo($1) WHERE pk > 0 ORDER BY pk",
                        {SqlValue(table.name.name)})) {
    columns.push_back(text_of(row, 0));
  }
  if (columns.empty()) {
    return;
  }
  Constraint key;
  key.kind = ConstraintKind::primary_key;
  key.name = given_name(text, "PRIMARY", columns);
  key.columns = columns;
  key.definition = "PRIMARY KEY (" + quoted_list(columns) + ")";
  table.constraints.push_back(std::move(key));
}

void read_unique(Connection& connection, const SqliteTableText& text, Table& table) {
  for (const SqlRow& index :
       connection.query("SELECT name FROM pragma_index_list($1) WHERE origin = 'u' ORDER BY name",
                        {SqlValue(table.name.name)})) {
    Constraint unique;
    unique.kind = ConstraintKind::unique;
    std::vector<std::string> terms;  // with their collation and order, which count
    for (const SqlRow& row :
         connection.query("SELECT name, coll, \"desc\" FROM pragma_index_xinfo($1) WHERE key = 1 "
                          "ORDER BY seqno",
                          {SqlValue(text_of(index, 0))})) {
      unique.columns.push_back(text_of(row, 0));
      // The index's collation, said when it is not its column's (which it takes by default).
      std::string collation = ascii_upper(text_of(row, 1));
      std::string column_collation = "BINARY";
      for (const Column& column : table.columns) {
        if (ascii_lower(column.name) == ascii_lower(text_of(row, 0)) && !column.collation.empty()) {
          column_collation = column.collation;
        }
      }
      terms.push_back(sqlite_identifier(text_of(row, 0)) +
                      (collation == column_collation ? "" : " COLLATE " + collation) +
                      (text_of(row, 2) == "1" ? " DESC" : ""));
    }
    unique.name = given_name(text, "UNIQUE", unique.columns);
    unique.definition = fmt::format("UNIQUE ({})", fmt::join(terms, ", "));
    table.constraints.push_back(std::move(unique));
  }
}

std::string action(const std::string& rule) {
  return rule == "NO ACTION" ? std::string() : rule;
}

std::string foreign_key_definition(const Constraint& key) {
  return fmt::format(
      "FOREIGN KEY ({}) REFERENCES {}{}{}{}{}", quoted_list(key.columns),
      sqlite_identifier(key.references.name),
      key.referenced_columns.empty() ? "" : " (" + quoted_list(key.referenced_columns) + ")",
      key.on_delete.empty() ? "" : " ON DELETE " + key.on_delete,
      key.on_update.empty() ? "" : " ON UPDATE " + key.on_update,
      key.initially_deferred ? " DEFERRABLE INITIALLY DEFERRED" : "");
}

/// A foreign key names its table and columns as it was written (`REFERENCES Users(ID)`), and
/// SQLite's names know no case: the names are taken as the referenced table has them, so two
/// spellings of one key read the same.
void canonical_references(std::vector<Table>& tables) {
  auto find = [&](const std::string& name) -> const Table* {
    for (const Table& table : tables) {
      if (ascii_lower(table.name.name) == ascii_lower(name)) {
        return &table;
      }
    }
    return nullptr;
  };
  for (Table& table : tables) {
    for (Constraint& key : table.constraints) {
      const Table* target =
          key.kind == ConstraintKind::foreign_key ? find(key.references.name) : nullptr;
      if (target == nullptr) {
        continue;
      }
      key.references.name = target->name.name;
      for (std::string& column : key.referenced_columns) {
        for (const Column& c : target->columns) {
          if (ascii_lower(c.name) == ascii_lower(column)) {
            column = c.name;
          }
        }
      }
      key.definition = foreign_key_definition(key);
    }
  }
}

void read_foreign_keys(Connection& connection, const SqliteTableText& text, Table& table) {
  // pragma_foreign_key_list numbers them last written first.
  std::map<int, Constraint> keys;
  for (const SqlRow& row :
       connection.query("SELECT id, \"table\", \"from\", \"to\", on_update, on_delete "
                        "FROM pragma_foreign_key_list($1) ORDER BY id, seq",
                        {SqlValue(table.name.name)})) {
    Constraint& key = keys[std::stoi(text_of(row, 0))];
    key.kind = ConstraintKind::foreign_key;
    key.references = {"", text_of(row, 1)};
    key.columns.push_back(text_of(row, 2));
    if (row.at(3)) {
      key.referenced_columns.push_back(*row.at(3));
    }
    key.on_update = action(text_of(row, 4));
    key.on_delete = action(text_of(row, 5));
  }
  std::size_t count = keys.size();
  for (auto& [id, key] : keys) {
    std::size_t written = count - 1 - static_cast<std::size_t>(id);
    bool deferred =
        written < text.deferred_foreign_keys.size() && text.deferred_foreign_keys[written];
    key.deferrable = key.initially_deferred = deferred;
    key.name = written < text.foreign_key_names.size() ? text.foreign_key_names[written] : "";
    key.definition = foreign_key_definition(key);
    table.constraints.push_back(std::move(key));
  }
}

void read_checks(const SqliteTableText& text, Table& table) {
  for (const SqliteTableText::Check& check : text.checks) {
    Constraint constraint;
    constraint.kind = ConstraintKind::check;
    constraint.name = check.name;
    constraint.definition = "CHECK (" + check.expression + ")";
    table.constraints.push_back(std::move(constraint));
  }
}

auto by_kind_and_text = [](const Constraint& a, const Constraint& b) {
  return std::tie(a.kind, a.name, a.definition) < std::tie(b.kind, b.name, b.definition);
};

Table read_table(Connection& connection, sqlite3* db, const SqlRow& row) {
  Table table;
  table.name = {"", text_of(row, 0)};
  table.without_rowid = text_of(row, 1) == "1";
  table.strict = text_of(row, 2) == "1";
  SqliteTableText text = read_sqlite_table_text(text_of(row, 3));
  read_columns(connection, db, text, table);
  read_primary_key(connection, text, table);
  read_unique(connection, text, table);
  read_foreign_keys(connection, text, table);
  read_checks(text, table);
  std::sort(table.constraints.begin(), table.constraints.end(), by_kind_and_text);
  return table;
}

/// A CREATE INDEX statement in one spelling: its columns as the catalog names them, its
/// expressions and WHERE as written (by tokens).
Index read_index(Connection& connection, const SqlRow& row) {
  Index index;
  index.name = {"", text_of(row, 0)};
  index.table = {"", text_of(row, 1)};
  SqliteIndexText text = read_sqlite_index_text(text_of(row, 2));
  for (const SqlRow& list :
       connection.query("SELECT \"unique\" FROM pragma_index_list($1) WHERE name = $2",
                        {SqlValue(index.table.name), SqlValue(index.name.name)})) {
    index.unique = text_of(list, 0) == "1";
  }
  std::vector<std::string> terms;
  std::size_t term = 0;
  for (const SqlRow& key :
       connection.query("SELECT cid, name, \"desc\", coll FROM pragma_index_xinfo($1) "
                        "WHERE key = 1 ORDER BY seqno",
                        {SqlValue(index.name.name)})) {
    if (text_of(key, 0) == "-2" && term < text.terms.size()) {
      terms.push_back(text.terms[term]);  // an expression, with its own COLLATE and order
    } else {
      std::string collation = text_of(key, 3);
      terms.push_back(sqlite_identifier(text_of(key, 1)) +
                      (ascii_lower(collation) == "binary" ? "" : " COLLATE " + collation) +
                      (text_of(key, 2) == "1" ? " DESC" : ""));
    }
    ++term;
  }
  index.definition =
      fmt::format("CREATE {}INDEX {} ON {} ({}){}", index.unique ? "UNIQUE " : "",
                  sqlite_identifier(index.name.name), sqlite_identifier(index.table.name),
                  fmt::join(terms, ", "), text.where.empty() ? "" : " WHERE " + text.where);
  return index;
}

void refuse_virtual_tables(Connection& connection) {
  std::vector<std::string> names;
  for (const SqlRow& row : connection.query(
           "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'virtual' "
           "ORDER BY name")) {
    names.push_back(text_of(row, 0));
  }
  if (!names.empty()) {
    throw UnsupportedSchema(fmt::format(
        "the database has virtual tables ({}), which migrate's schema model does not hold yet: "
        "their contents and shadow tables would be compared as plain tables. Move them to a "
        "database of their own, or compare the schema without them",
        fmt::join(names, ", ")));
  }
}

}  // namespace

SchemaModel read_sqlite_schema(Connection& connection, const SchemaReadOptions& options) {
  auto* sqlite = dynamic_cast<SqliteConnection*>(&connection);
  if (sqlite == nullptr) {
    throw InternalError("read_sqlite_schema needs a SQLite connection");
  }
  refuse_virtual_tables(connection);
  SchemaModel model;
  model.engine = "sqlite";
  for (const SqlRow& row :
       connection.query("SELECT l.name, l.wr, l.strict, s.sql FROM pragma_table_list AS l "
                        "JOIN sqlite_schema AS s ON s.name = l.name AND s.type = 'table' "
                        "WHERE l.schema = 'main' AND l.type = 'table' ORDER BY l.name")) {
    if (!excluded(text_of(row, 0), options)) {
      model.tables.push_back(read_table(connection, sqlite->handle(), row));
    }
  }
  canonical_references(model.tables);
  for (const SqlRow& row : connection.query(
           "SELECT name, tbl_name, sql, type FROM sqlite_schema "
           "WHERE type IN ('index', 'view', 'trigger') AND sql IS NOT NULL ORDER BY name")) {
    const std::string& type = text_of(row, 3);
    const std::string& table = text_of(row, 1);
    if (excluded(table, options)) {
      continue;
    }
    if (type == "index") {
      model.indexes.push_back(read_index(connection, row));
    } else if (type == "view") {
      model.views.push_back({{"", text_of(row, 0)}, normalized_sqlite_sql(text_of(row, 2))});
    } else {
      model.triggers.push_back(
          {text_of(row, 0), {"", table}, normalized_sqlite_sql(text_of(row, 2))});
    }
  }
  return model;
}

std::string sqlite_schema_fingerprint(Connection& connection) {
  std::string print;
  for (const SqlRow& row :
       connection.query("SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY 1, 2")) {
    for (const std::optional<std::string>& value : row) {
      // Each value after its length, so no two lists of rows give the same string.
      print += value ? fmt::format("{}:{}", value->size(), *value) : std::string("-");
    }
  }
  return print;
}

}  // namespace migrate
