#include "schema/schema_dump.hpp"

#include <map>

#include "schema/postgres_schema_sql.hpp"
#include "schema/sqlite_schema_sql.hpp"
#include "util/error.hpp"

namespace migrate {

std::vector<const DumpItem*> order_dump_items(const std::vector<DumpItem>& items) {
  std::map<std::string_view, std::size_t> index;
  for (std::size_t i = 0; i < items.size(); ++i) {
    index.emplace(items[i].key, i);
  }
  // Depth-first from each item in the given order: what it needs is placed first. The given
  // order breaks every tie, so the result depends on nothing else.
  enum class Mark { none, visiting, done };
  std::vector<Mark> marks(items.size(), Mark::none);
  std::vector<const DumpItem*> ordered;
  ordered.reserve(items.size());
  auto visit = [&](auto&& self, std::size_t i) -> void {
    if (marks[i] != Mark::none) {
      return;  // placed, or on the path (a cycle: it keeps its place)
    }
    marks[i] = Mark::visiting;
    for (const std::string& need : items[i].needs) {
      auto found = index.find(need);
      if (found != index.end() && found->second != i) {
        self(self, found->second);
      }
    }
    marks[i] = Mark::done;
    ordered.push_back(&items[i]);
  };
  for (std::size_t i = 0; i < items.size(); ++i) {
    visit(visit, i);
  }
  return ordered;
}

std::vector<DumpItem> dump_items(const SchemaModel& model) {
  if (model.engine == "sqlite") {
    return sqlite_dump_items(model);
  }
  if (model.engine == "postgresql") {
    return postgres_dump_items(model);
  }
  throw InternalError("no schema writer for the engine '" + model.engine + "'");
}

std::string dump_schema(const SchemaModel& model) {
  std::vector<DumpItem> items = dump_items(model);
  std::string text;
  for (const DumpItem* item : order_dump_items(items)) {
    if (!text.empty()) {
      text += '\n';
    }
    text += item->sql;
  }
  return text;
}

}  // namespace migrate
