#include "schema/sqlite_schema_migration.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include <fmt/format.h>

#include "schema/sqlite_schema_sql.hpp"
#include "util/text.hpp"

namespace migrate {

namespace {

/// SQLite's names match without regard to case.
std::string folded(std::string_view name) {
  return ascii_lower(name);
}

template <typename T, typename NameOf>
std::map<std::string, const T*> by_name(const std::vector<T>& items, NameOf name_of) {
  std::map<std::string, const T*> map;
  for (const T& item : items) {
    map[folded(name_of(item))] = &item;
  }
  return map;
}

const Column* find_column(const Table& table, std::string_view name) {
  for (const Column& column : table.columns) {
    if (folded(column.name) == folded(name)) {
      return &column;
    }
  }
  return nullptr;
}

bool contains(const std::vector<Constraint>& list, const Constraint& wanted) {
  return std::find(list.begin(), list.end(), wanted) != list.end();
}

/// Whether `text` (an index, view or trigger's statement) names `column` as a word.
bool mentions(std::string_view text, std::string_view column) {
  std::string haystack = folded(text);
  std::string needle = folded(column);
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; };
  for (std::size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + 1)) {
    bool starts = at == 0 || !word(haystack[at - 1]);
    bool ends = at + needle.size() == haystack.size() || !word(haystack[at + needle.size()]);
    if (starts && ends) {
      return true;
    }
  }
  return false;
}

enum class TableWork { same, add_columns, drop_columns, rebuild };

struct Planned {
  TableWork work = TableWork::same;
  std::vector<const Column*> added;    ///< add_columns
  std::vector<const Column*> dropped;  ///< drop_columns, and a rebuild's lost columns
};

bool same_options(const Table& a, const Table& b) {
  return a.without_rowid == b.without_rowid && a.strict == b.strict &&
         a.autoincrement == b.autoincrement;
}

/// ALTER TABLE … ADD COLUMN can add `column` (sqlite.org, "ALTER TABLE"): no key, a literal
/// default (NOT NULL needs one), not a STORED generated column.
bool addable(const Column& column) {
  if (!column.generated.empty()) {
    return !column.generated_stored;
  }
  if (!column.default_value.empty() && !sqlite_literal_default(column.default_value)) {
    return false;
  }
  return !column.not_null ||
         (!column.default_value.empty() && folded(column.default_value) != "null");
}

/// The columns of `a` that `b` lacks, in `a`'s order.
std::vector<const Column*> missing_from(const Table& a, const Table& b) {
  std::vector<const Column*> missing;
  for (const Column& column : a.columns) {
    if (find_column(b, column.name) == nullptr) {
      missing.push_back(&column);
    }
  }
  return missing;
}

Planned plan_table(const Table& from, const Table& to, const SchemaModel& schema) {
  Planned planned;
  if (from == to) {
    return planned;
  }
  planned.dropped = missing_from(from, to);
  bool comparable = same_options(from, to) && from.comment == to.comment;
  // Columns added at the end, everything else as it was but foreign keys of the new columns.
  if (comparable && to.columns.size() > from.columns.size() &&
      std::equal(from.columns.begin(), from.columns.end(), to.columns.begin())) {
    std::vector<const Column*> added;
    for (std::size_t i = from.columns.size(); i < to.columns.size(); ++i) {
      added.push_back(&to.columns[i]);
    }
    bool ok =
        std::all_of(added.begin(), added.end(), [](const Column* c) { return addable(*c); }) &&
        std::all_of(from.constraints.begin(), from.constraints.end(),
                    [&](const Constraint& c) { return contains(to.constraints, c); });
    for (const Constraint& c : to.constraints) {
      if (contains(from.constraints, c)) {
        continue;
      }
      bool on_new = c.kind == ConstraintKind::foreign_key && c.columns.size() == 1 &&
                    c.name.empty() && !c.deferrable &&
                    std::any_of(added.begin(), added.end(), [&](const Column* a) {
                      return folded(a->name) == folded(c.columns[0]) && a->default_value.empty();
                    });
      ok = ok && on_new;
    }
    if (ok) {
      planned.work = TableWork::add_columns;
      planned.added = std::move(added);
      return planned;
    }
  }
  // Columns dropped, the others as they were, and nothing else using the dropped ones.
  if (comparable && !planned.dropped.empty() && from.constraints == to.constraints &&
      from.columns.size() == to.columns.size() + planned.dropped.size()) {
    std::vector<Column> kept;
    for (const Column& column : from.columns) {
      if (find_column(to, column.name) != nullptr) {
        kept.push_back(column);
      }
    }
    bool used = false;
    for (const Column* column : planned.dropped) {
      for (const Index& index : schema.indexes) {
        used = used || (folded(index.table.name) == folded(from.name.name) &&
                        mentions(index.definition, column->name));
      }
      for (const View& view : schema.views) {
        used = used || mentions(view.definition, column->name);
      }
      for (const Trigger& trigger : schema.triggers) {
        used = used || mentions(trigger.definition, column->name);
      }
      for (const Column& other : kept) {
        used = used || mentions(other.generated, column->name);
      }
    }
    if (kept == to.columns && !used) {
      planned.work = TableWork::drop_columns;
      return planned;
    }
  }
  planned.work = TableWork::rebuild;
  return planned;
}

/// What changed in a table, for a rebuild's description: its columns, then its constraints.
std::vector<std::string> table_differences(const Table& from, const Table& to) {
  std::vector<std::string> out;
  for (const Column* column : missing_from(to, from)) {
    out.push_back("add column " + column->name);
  }
  for (const Column* column : missing_from(from, to)) {
    out.push_back("drop column " + column->name);
  }
  for (const Column& before : from.columns) {
    const Column* after = find_column(to, before.name);
    if (after == nullptr || *after == before) {
      continue;
    }
    std::vector<std::string> what;
    if (after->type != before.type) {
      what.push_back(fmt::format("type {} to {}", before.type.empty() ? "(none)" : before.type,
                                 after->type.empty() ? "(none)" : after->type));
    }
    if (after->not_null != before.not_null) {
      what.emplace_back(after->not_null ? "NOT NULL" : "nullable");
    }
    if (after->default_value != before.default_value) {
      what.push_back(after->default_value.empty() ? "no default"
                                                  : "default " + after->default_value);
    }
    if (after->collation != before.collation) {
      what.push_back("collation " + (after->collation.empty() ? "BINARY" : after->collation));
    }
    if (after->generated != before.generated ||
        after->generated_stored != before.generated_stored) {
      what.push_back(after->generated.empty() ? "not generated"
                                              : "generated as " + after->generated);
    }
    out.push_back(fmt::format("column {}: {}", before.name, fmt::join(what, ", ")));
  }
  for (const Constraint& c : from.constraints) {
    if (!contains(to.constraints, c)) {
      out.push_back("drop " + c.definition);
    }
  }
  for (const Constraint& c : to.constraints) {
    if (!contains(from.constraints, c)) {
      out.push_back("add " + c.definition);
    }
  }
  if (from.columns.size() == to.columns.size() && out.empty()) {
    out.emplace_back("column order");
  }
  if (from.without_rowid != to.without_rowid) {
    out.emplace_back(to.without_rowid ? "WITHOUT ROWID" : "with a rowid");
  }
  if (from.strict != to.strict) {
    out.emplace_back(to.strict ? "STRICT" : "not STRICT");
  }
  if (from.autoincrement != to.autoincrement) {
    out.emplace_back(to.autoincrement ? "AUTOINCREMENT" : "no AUTOINCREMENT");
  }
  return out;
}

/// The REFERENCES clause that goes with an added column of a foreign key.
std::string references_clause(const Constraint& key) {
  std::string out = " REFERENCES " + sqlite_identifier(key.references.name);
  if (!key.referenced_columns.empty()) {
    std::vector<std::string> columns;
    for (const std::string& c : key.referenced_columns) {
      columns.push_back(sqlite_identifier(c));
    }
    out += fmt::format(" ({})", fmt::join(columns, ", "));
  }
  if (!key.on_delete.empty()) {
    out += " ON DELETE " + key.on_delete;
  }
  if (!key.on_update.empty()) {
    out += " ON UPDATE " + key.on_update;
  }
  return out;
}

std::string quoted_text(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    out += c;
    if (c == '\'') {
      out += '\'';
    }
  }
  return out + "'";
}

/// sqlite.org's twelve steps, for one table: the new table under a temporary name, the rows
/// that both versions have copied into it, the AUTOINCREMENT counter carried over, the old table
/// dropped and the new one renamed. Its indexes and triggers are made again by the caller.
std::vector<std::string> rebuild(const Table& from, const Table& to, Planned& planned,
                                 std::vector<SchemaChange>* changes) {
  std::string name = sqlite_identifier(to.name.name);
  std::string temporary_name = "migrate_new_" + to.name.name;
  std::string temporary = sqlite_identifier(temporary_name);
  Table renamed = to;
  renamed.name.name = temporary_name;
  std::vector<std::string> copied;   // into
  std::vector<std::string> sources;  // from: a column, or what stands for its NULLs
  std::vector<std::string> lost;     // columns whose values the copy leaves behind
  for (const Column& column : to.columns) {
    const Column* before = find_column(from, column.name);
    if (before == nullptr || !before->generated.empty()) {
      continue;
    }
    if (!column.generated.empty()) {
      // Its values give way to computed ones.
      lost.push_back(
          fmt::format("the values of {}.{} (now generated)", from.name.name, column.name));
      continue;
    }
    copied.push_back(sqlite_identifier(column.name));
    std::string source = sqlite_identifier(before->name);
    if (column.not_null && !before->not_null && !column.default_value.empty()) {
      // Tightened to NOT NULL with a default: the rows' NULLs take the default, as a new row's
      // would.
      bool literal = sqlite_literal_default(column.default_value);
      source = fmt::format("coalesce({}, {})", source,
                           literal ? column.default_value : "(" + column.default_value + ")");
    }
    sources.push_back(source);
  }
  // Without a column that is its rowid, a table's rows keep their rowids only if the copy
  // says so (something may point at them).
  auto rowid_alias = [](const Table& t) {
    for (const Constraint& c : t.constraints) {
      if (c.kind == ConstraintKind::primary_key && c.columns.size() == 1) {
        const Column* key = find_column(t, c.columns[0]);
        return key != nullptr && folded(key->type) == "integer";
      }
    }
    return false;
  };
  if (!from.without_rowid && !to.without_rowid && !rowid_alias(to) && !rowid_alias(from)) {
    copied.insert(copied.begin(), "rowid");
    sources.insert(sources.begin(), "rowid");
  }
  std::vector<std::string> statements;
  std::string hazard;
  for (const Column* column : planned.dropped) {
    if (column->generated.empty()) {  // a generated column's values are computed, not kept
      lost.push_back(fmt::format("column {}.{}", from.name.name, column->name));
    }
  }
  if (!lost.empty()) {
    hazard = fmt::format("deletes-data: drops {}", fmt::join(lost, ", "));
  }
  for (const Column& column : to.columns) {
    if (find_column(from, column.name) == nullptr && column.not_null &&
        column.default_value.empty() && column.generated.empty()) {
      if (changes != nullptr) {
        changes->push_back({fmt::format("new column {}.{} is NOT NULL without a default",
                                        to.name.name, column.name),
                            fmt::format("fails-on-data: copying the rows of {} fails once it has "
                                        "any; give {} a default, or fill it in the copy",
                                        to.name.name, column.name)});
      }
    }
  }
  std::string comment = fmt::format(
      "-- hazard: rewrites-table: rebuilds {} (SQLite cannot ALTER this)\n", to.name.name);
  if (!hazard.empty()) {
    comment += "-- hazard: " + hazard + "\n";
  }
  statements.push_back(comment + sqlite_create_table(renamed));
  if (!copied.empty()) {
    statements.push_back(fmt::format("INSERT INTO {} ({})\nSELECT {} FROM {}", temporary,
                                     fmt::join(copied, ", "), fmt::join(sources, ", "),
                                     sqlite_identifier(from.name.name)));
  }
  if (from.autoincrement && to.autoincrement) {
    // The copy counted up to the highest id copied; the old counter may be higher (rows
    // deleted since), and ids are never used twice.
    statements.push_back(
        fmt::format("DELETE FROM sqlite_sequence WHERE name = {}", quoted_text(temporary_name)));
    statements.push_back(fmt::format(
        "INSERT INTO sqlite_sequence (name, seq) SELECT {}, seq FROM sqlite_sequence WHERE name = "
        "{}",
        quoted_text(temporary_name), quoted_text(from.name.name)));
  }
  statements.push_back("DROP TABLE " + sqlite_identifier(from.name.name));
  statements.push_back(fmt::format("ALTER TABLE {} RENAME TO {}", temporary, name));
  if (changes != nullptr) {
    changes->push_back(
        {fmt::format("rebuild table {}: {}", to.name.name,
                     fmt::join(table_differences(from, to), "; ")),
         hazard.empty() ? fmt::format("rewrites-table: rebuilds {}", to.name.name) : hazard});
  }
  return statements;
}

/// One direction: the statements that take `from` to `to`, and what they change when
/// `changes` is given.
GeneratedSection migrate_schema(const SchemaModel& from, const SchemaModel& to,
                                std::vector<SchemaChange>* changes) {
  GeneratedSection section;
  auto change = [&](std::string description, std::string hazard = {}) {
    if (changes != nullptr) {
      changes->push_back({std::move(description), std::move(hazard)});
    }
  };
  auto table_name = [](const Table& t) { return t.name.name; };
  auto index_name = [](const Index& i) { return i.name.name; };
  auto view_name = [](const View& v) { return v.name.name; };
  auto trigger_name = [](const Trigger& t) { return t.name; };
  auto from_tables = by_name(from.tables, table_name);
  auto to_tables = by_name(to.tables, table_name);

  std::map<std::string, Planned> planned;  // tables in both, by folded name
  // Tables dropped, rebuilt or losing columns: SQLite checks the views and triggers that name
  // them when they change, so those are dropped first and made again after.
  std::vector<std::string> reshaped;
  for (const auto& [key, table] : from_tables) {
    auto other = to_tables.find(key);
    if (other == to_tables.end()) {
      reshaped.push_back(table->name.name);
      continue;
    }
    Planned p = plan_table(*table, *other->second, from);
    if (p.work == TableWork::rebuild || p.work == TableWork::drop_columns) {
      reshaped.push_back(table->name.name);
    }
    planned[key] = std::move(p);
  }
  auto names_reshaped = [&](std::string_view definition) {
    return std::any_of(reshaped.begin(), reshaped.end(),
                       [&](const std::string& table) { return mentions(definition, table); });
  };
  auto rebuilt = [&](const std::string& table) {
    auto it = planned.find(folded(table));
    return it != planned.end() && it->second.work == TableWork::rebuild;
  };
  auto dropped = [&](const std::string& table) { return !to_tables.contains(folded(table)); };

  // Views and triggers first: SQLite checks those that name a table when it is renamed or
  // dropped. Which tables they read is only in their text, so a view or trigger that names a
  // reshaped table is dropped and made again, as is one that changed; a trigger goes with its
  // table or view when that is dropped, and is made again with it.
  auto to_views = by_name(to.views, view_name);
  auto from_views = by_name(from.views, view_name);
  auto to_triggers = by_name(to.triggers, trigger_name);
  auto from_triggers = by_name(from.triggers, trigger_name);
  std::set<std::string> views_dropped;
  for (const auto& [key, view] : from_views) {
    auto after = to_views.find(key);
    if (after == to_views.end() || !(*after->second == *view) || names_reshaped(view->definition)) {
      views_dropped.insert(key);
    }
  }
  // A view or trigger that reads a dropped view goes too, or SQLite's next check of the
  // schema (a rename, a DROP COLUMN) fails on it: until no more do.
  auto names_dropped_view = [&](std::string_view definition) {
    return std::any_of(views_dropped.begin(), views_dropped.end(), [&](const std::string& key) {
      return mentions(definition, from_views.at(key)->name.name);
    });
  };
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto& [key, view] : from_views) {
      if (!views_dropped.contains(key) && names_dropped_view(view->definition)) {
        views_dropped.insert(key);
        grew = true;
      }
    }
  }
  auto goes_with_its_table = [&](const Trigger& trigger) {
    std::string table = folded(trigger.table.name);
    return rebuilt(table) || dropped(table) || views_dropped.contains(table);
  };
  std::set<std::string> triggers_dropped;
  for (const auto& [key, trigger] : from_triggers) {
    auto after = to_triggers.find(key);
    bool same = after != to_triggers.end() && *after->second == *trigger;
    if (same && !names_reshaped(trigger->definition) && !goes_with_its_table(*trigger) &&
        !names_dropped_view(trigger->definition)) {
      continue;
    }
    triggers_dropped.insert(key);
    if (!goes_with_its_table(*trigger)) {
      section.statements.push_back("DROP TRIGGER " + sqlite_identifier(trigger->name));
    }
    if (after == to_triggers.end()) {
      change("drop trigger " + trigger->name);
    } else if (!same) {
      change("replace trigger " + trigger->name);
    }
  }
  for (const std::string& key : views_dropped) {
    const View& view = *from_views.at(key);
    section.statements.push_back("DROP VIEW " + sqlite_identifier(view.name.name));
    auto after = to_views.find(key);
    if (after == to_views.end()) {
      change("drop view " + view.name.name);
    } else if (!(*after->second == view)) {
      change("replace view " + view.name.name);
    }
  }
  std::vector<const View*> views_to_make;
  for (const auto& [key, view] : to_views) {
    if (views_dropped.contains(key) || !from_views.contains(key)) {
      views_to_make.push_back(view);
      if (!from_views.contains(key)) {
        change("create view " + view->name.name);
      }
    }
  }
  std::vector<const Trigger*> triggers_to_make;
  for (const auto& [key, trigger] : to_triggers) {
    if (triggers_dropped.contains(key) || !from_triggers.contains(key)) {
      triggers_to_make.push_back(trigger);
      if (!from_triggers.contains(key)) {
        change("create trigger " + trigger->name);
      }
    }
  }

  // Indexes that go or change, but those that go with their table.
  auto to_indexes = by_name(to.indexes, index_name);
  auto from_indexes = by_name(from.indexes, index_name);
  std::vector<const Index*> indexes_to_make;
  for (const auto& [key, index] : from_indexes) {
    auto after = to_indexes.find(key);
    bool same = after != to_indexes.end() && *after->second == *index;
    if (same) {
      continue;
    }
    if (!rebuilt(index->table.name) && !dropped(index->table.name)) {
      section.statements.push_back("DROP INDEX " + sqlite_identifier(index->name.name));
    }
    change((after == to_indexes.end() ? "drop index " : "replace index ") + index->name.name);
  }
  for (const auto& [key, index] : to_indexes) {
    auto before = from_indexes.find(key);
    bool same = before != from_indexes.end() && *before->second == *index;
    if (!same || rebuilt(index->table.name)) {
      indexes_to_make.push_back(index);
      if (before == from_indexes.end()) {
        change("create index " + index->name.name);
      }
    }
  }

  // Tables: dropped, created, changed.
  for (const auto& [key, table] : from_tables) {
    if (!to_tables.contains(key)) {
      std::string hazard = "deletes-data: drops table " + table->name.name + " and its rows";
      section.statements.push_back("-- hazard: " + hazard + "\nDROP TABLE " +
                                   sqlite_identifier(table->name.name));
      section.foreign_keys_off = true;  // its rows may be referenced: no cascade, a check
      change("drop table " + table->name.name, hazard);
    }
  }
  for (const auto& [key, table] : to_tables) {
    if (!from_tables.contains(key)) {
      section.statements.push_back(sqlite_create_table(*table));
      change("create table " + table->name.name);
    }
  }
  for (auto& [key, p] : planned) {
    const Table& before = *from_tables.at(key);
    const Table& after = *to_tables.at(key);
    std::string name = sqlite_identifier(after.name.name);
    switch (p.work) {
      case TableWork::same:
        break;
      case TableWork::add_columns:
        for (const Column* column : p.added) {
          std::string definition = sqlite_column_definition(*column);
          for (const Constraint& c : after.constraints) {
            if (c.kind == ConstraintKind::foreign_key && !contains(before.constraints, c) &&
                folded(c.columns[0]) == folded(column->name)) {
              definition += references_clause(c);
            }
          }
          section.statements.push_back(
              fmt::format("ALTER TABLE {} ADD COLUMN {}", name, definition));
          change(fmt::format("add column {}.{}", after.name.name, column->name));
        }
        break;
      case TableWork::drop_columns:
        for (const Column* column : p.dropped) {
          std::string hazard =
              column->generated.empty()
                  ? fmt::format("deletes-data: drops column {}.{}", before.name.name, column->name)
                  : std::string();
          section.statements.push_back(
              fmt::format("{}ALTER TABLE {} DROP COLUMN {}",
                          hazard.empty() ? "" : "-- hazard: " + hazard + "\n", name,
                          sqlite_identifier(column->name)));
          change(fmt::format("drop column {}.{}", before.name.name, column->name), hazard);
        }
        break;
      case TableWork::rebuild:
        for (std::string& statement : rebuild(before, after, p, changes)) {
          section.statements.push_back(std::move(statement));
        }
        section.foreign_keys_off = true;
        break;
    }
  }

  for (const Index* index : indexes_to_make) {
    section.statements.push_back(index->definition);
  }
  for (const View* view : views_to_make) {
    section.statements.push_back(view->definition);
  }
  for (const Trigger* trigger : triggers_to_make) {
    section.statements.push_back(trigger->definition);
  }
  return section;
}

}  // namespace

SchemaMigration sqlite_schema_migration(const SchemaModel& from, const SchemaModel& to) {
  SchemaMigration migration;
  migration.up = migrate_schema(from, to, &migration.changes);
  migration.down = migrate_schema(to, from, nullptr);
  return migration;
}

}  // namespace migrate
