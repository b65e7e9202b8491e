#include "state/foreign_state.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

namespace migrate {

namespace {

struct ToolName {
  ForeignTool tool;
  std::string_view name;
};

constexpr std::array<ToolName, 7> kNames = {{
    {ForeignTool::dbmate, "dbmate"},
    {ForeignTool::golang_migrate, "golang-migrate"},
    {ForeignTool::goose, "goose"},
    {ForeignTool::flyway, "flyway"},
    {ForeignTool::alembic, "alembic"},
    {ForeignTool::django, "django"},
    {ForeignTool::sqitch, "sqitch"},
}};

}  // namespace

const std::vector<ForeignTool>& foreign_tools() {
  static const std::vector<ForeignTool> tools = [] {
    std::vector<ForeignTool> all;
    for (const ToolName& entry : kNames) {
      all.push_back(entry.tool);
    }
    return all;
  }();
  return tools;
}

std::string_view foreign_tool_name(ForeignTool tool) {
  auto entry = std::find_if(kNames.begin(), kNames.end(),
                            [tool](const ToolName& name) { return name.tool == tool; });
  return entry->name;
}

std::optional<ForeignTool> parse_foreign_tool(std::string_view name) {
  auto entry = std::find_if(kNames.begin(), kNames.end(), [name](const ToolName& known) {
    return std::equal(
        known.name.begin(), known.name.end(), name.begin(), name.end(),
        [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); });
  });
  if (entry == kNames.end()) {
    return std::nullopt;
  }
  return entry->tool;
}

std::string foreign_tool_names() {
  std::vector<std::string_view> names;
  for (const ToolName& entry : kNames) {
    names.push_back(entry.name);
  }
  return fmt::format("{}", fmt::join(names, ", "));
}

ForeignMatch ForeignState::match() const {
  switch (tool) {
    case ForeignTool::alembic:
    case ForeignTool::django:
      return ForeignMatch::none;
    case ForeignTool::sqitch:
      return ForeignMatch::name;
    default:
      return ForeignMatch::version;
  }
}

bool truthy(std::string_view value) {
  return value == "t" || value == "true" || value == "TRUE" || value == "1";
}

}  // namespace migrate
