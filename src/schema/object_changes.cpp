#include "schema/object_changes.hpp"

#include <algorithm>
#include <map>
#include <string_view>

#include "schema/schema_dump.hpp"

namespace migrate {

namespace {

constexpr std::string_view kTablePrefix = "table ";

/// The table an item is or belongs to: its own key when it is a table, else the first table
/// it needs (an index, a constraint, a trigger or a policy needs its table first). An item of
/// a table's own (PostgreSQL's "table x.row security") names it after the prefix too.
std::string table_of(const DumpItem& item,
                     const std::map<std::string_view, const DumpItem*>& tables) {
  auto table_name = [&](std::string_view key) -> std::string {
    return tables.contains(key) ? std::string(key.substr(kTablePrefix.size())) : std::string();
  };
  if (item.key.starts_with(kTablePrefix)) {
    if (std::string own = table_name(item.key); !own.empty()) {
      return own;
    }
  }
  for (const std::string& need : item.needs) {
    if (std::string name = table_name(need); !name.empty()) {
      return name;
    }
  }
  return {};
}

std::map<std::string_view, const DumpItem*> by_key(const std::vector<DumpItem>& items) {
  std::map<std::string_view, const DumpItem*> map;
  for (const DumpItem& item : items) {
    map.emplace(item.key, &item);
  }
  return map;
}

/// The table items of both sides: an object belongs to a table either side has.
std::map<std::string_view, const DumpItem*> tables_of(const std::vector<DumpItem>& a,
                                                      const std::vector<DumpItem>& b) {
  std::map<std::string_view, const DumpItem*> tables;
  for (const std::vector<DumpItem>* items : {&a, &b}) {
    for (const DumpItem& item : *items) {
      if (item.key.starts_with(kTablePrefix)) {
        tables.emplace(item.key, &item);
      }
    }
  }
  return tables;
}

}  // namespace

const char* to_string(ObjectChange::Kind kind) {
  switch (kind) {
    case ObjectChange::Kind::added:
      return "added";
    case ObjectChange::Kind::altered:
      return "altered";
    case ObjectChange::Kind::dropped:
      return "dropped";
  }
  return "";
}

std::vector<ObjectChange> object_changes(const SchemaModel& before, const SchemaModel& after) {
  std::vector<DumpItem> old_items = dump_items(before);
  std::vector<DumpItem> new_items = dump_items(after);
  std::map<std::string_view, const DumpItem*> old_by_key = by_key(old_items);
  std::map<std::string_view, const DumpItem*> new_by_key = by_key(new_items);
  std::map<std::string_view, const DumpItem*> tables = tables_of(old_items, new_items);
  std::vector<ObjectChange> changes;
  for (const DumpItem* item : order_dump_items(new_items)) {
    auto old = old_by_key.find(item->key);
    if (old == old_by_key.end()) {
      changes.push_back(
          {ObjectChange::Kind::added, item->key, table_of(*item, tables), "", item->sql});
    } else if (old->second->sql != item->sql) {
      changes.push_back({ObjectChange::Kind::altered, item->key, table_of(*item, tables),
                         old->second->sql, item->sql});
    }
  }
  for (const DumpItem* item : order_dump_items(old_items)) {
    if (!new_by_key.contains(item->key)) {
      changes.push_back(
          {ObjectChange::Kind::dropped, item->key, table_of(*item, tables), item->sql, ""});
    }
  }
  return changes;
}

std::vector<std::string> changed_tables(const std::vector<ObjectChange>& changes) {
  std::vector<std::string> tables;
  for (const ObjectChange& change : changes) {
    if (!change.table.empty()) {
      tables.push_back(change.table);
    }
  }
  std::sort(tables.begin(), tables.end());
  tables.erase(std::unique(tables.begin(), tables.end()), tables.end());
  return tables;
}

}  // namespace migrate
