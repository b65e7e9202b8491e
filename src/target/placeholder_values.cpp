#include "target/placeholder_values.hpp"

#include <chrono>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "db/connection.hpp"
#include "db/dialect.hpp"
#include "graph/revision_graph.hpp"
#include "util/clock.hpp"

namespace migrate {

PlaceholderValues placeholder_values(Connection& connection, const PlaceholderContext& context,
                                     const Clock& clock) {
  PlaceholderValues values = context.configured;
  values["flyway:table"] = context.table;
  values["flyway:workingdirectory"] = context.working_dir.string();
  values["flyway:timestamp"] =
      fmt::format("{:%Y-%m-%d %H:%M:%S}", std::chrono::floor<std::chrono::seconds>(clock.now()));
  if (connection.dialect().name() == "sqlite") {
    values["flyway:defaultschema"] = "main";
    values["flyway:user"] = "";
    return values;
  }
  std::vector<SqlRow> rows = connection.query(
      "SELECT coalesce(current_schema(), 'public'), current_user, current_database()");
  if (!rows.empty() && rows.front().size() == 3) {
    values["flyway:defaultschema"] = rows.front()[0].value_or("");
    values["flyway:user"] = rows.front()[1].value_or("");
    values["flyway:database"] = rows.front()[2].value_or("");
  }
  return values;
}

std::optional<PlaceholderValues> flyway_placeholder_values(const RevisionGraph& graph,
                                                           Connection& connection,
                                                           const PlaceholderContext& context,
                                                           const Clock& clock) {
  bool flyway = !graph.repeatables().empty() ||
                (!graph.empty() && graph.at(0).format == MigrationFormat::flyway);
  if (!flyway) {
    return std::nullopt;
  }
  return placeholder_values(connection, context, clock);
}

}  // namespace migrate
