#include "run/flyway_placeholders.hpp"

#include <chrono>
#include <optional>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "db/connection.hpp"
#include "db/dialect.hpp"
#include "plan/plan.hpp"
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

void apply_placeholders(Plan& plan, Connection& connection, const PlaceholderContext& context,
                        const Clock& clock) {
  std::optional<PlaceholderValues> with_file;
  for (PlanStep& step : plan.steps) {
    if (step.migration == nullptr || step.migration->format != MigrationFormat::flyway) {
      continue;
    }
    if (!with_file) {
      with_file = placeholder_values(connection, context, clock);
    }
    Section& section = step.section;
    (*with_file)["flyway:filename"] = section.file.filename().string();
    section.sql = replace_placeholders(section.sql, *with_file, section.file, section.first_line);
  }
}

}  // namespace migrate
