#include "migration/flyway_name.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include <fmt/format.h>

namespace migrate {

namespace {

// Flyway's callback events (core/api/callback/Event.java): a script named after one runs
// around a command, never as a migration. Longest first, so that beforeEachMigrate is not
// read as beforeEach… of another.
constexpr std::array<std::string_view, 38> kCallbacks{
    "afterEachMigrateStatementError",
    "afterEachUndoStatementError",
    "beforeEachMigrateStatement",
    "afterEachMigrateStatement",
    "beforeEachUndoStatement",
    "afterEachUndoStatement",
    "afterEachMigrateError",
    "afterMigrateApplied",
    "afterEachUndoError",
    "beforeCreateSchema",
    "afterValidateError",
    "afterBaselineError",
    "beforeEachMigrate",
    "afterMigrateError",
    "afterRepairError",
    "afterEachMigrate",
    "afterCleanError",
    "afterVersioned",
    "beforeEachUndo",
    "beforeValidate",
    "beforeBaseline",
    "afterInfoError",
    "afterUndoError",
    "afterValidate",
    "afterBaseline",
    "beforeMigrate",
    "beforeConnect",
    "afterEachUndo",
    "beforeRepair",
    "createSchema",
    "afterMigrate",
    "afterConnect",
    "beforeClean",
    "afterRepair",
    "beforeUndo",
    "beforeInfo",
    "afterClean",
    "afterUndo",
};

// parse_flyway_name looks for an event only in a name that starts in lower case.
static_assert(std::all_of(kCallbacks.begin(), kCallbacks.end(), [](std::string_view event) {
  return event.front() >= 'a' && event.front() <= 'z';
}));

constexpr std::string_view kSeparator = "__";

bool has_sql_suffix(std::string_view name) {
  constexpr std::string_view kSuffix = ".sql";
  return name.size() > kSuffix.size() &&
         std::equal(
             kSuffix.begin(), kSuffix.end(), name.end() - kSuffix.size(),
             [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); });
}

FlywayName invalid(std::string why) {
  FlywayName name;
  name.why = std::move(why);
  return name;
}

}  // namespace

std::optional<FlywayName> parse_flyway_name(std::string_view file_name) {
  if (!has_sql_suffix(file_name)) {
    return std::nullopt;
  }
  std::string_view stem = file_name.substr(0, file_name.size() - 4);
  FlywayName name;
  std::string_view rest;
  // Every event starts with a lower-case letter: a V, U, R or B name needs no look at them.
  bool may_be_callback = !stem.empty() && std::islower(static_cast<unsigned char>(stem.front()));
  for (std::string_view event : kCallbacks) {
    if (may_be_callback && stem.starts_with(event)) {
      name.kind = FlywayName::Kind::callback;
      rest = stem.substr(event.size());
      break;
    }
  }
  if (name.kind != FlywayName::Kind::callback) {
    if (stem.size() < 2) {  // Flyway: a name must be longer than its prefix and suffix
      return invalid("the name is only a prefix");
    }
    switch (stem.front()) {
      case 'V':
        name.kind = FlywayName::Kind::versioned;
        break;
      case 'U':
        name.kind = FlywayName::Kind::undo;
        break;
      case 'R':
        name.kind = FlywayName::Kind::repeatable;
        break;
      case 'B':
        name.kind = FlywayName::Kind::baseline;
        break;
      default:
        return invalid(
            "it does not start with V, U, R or B (in capitals) or a callback's event name");
    }
    rest = stem.substr(1);
  }
  std::size_t separator = rest.find(kSeparator);
  std::string_view version = rest.substr(0, separator);
  if (separator != std::string_view::npos) {
    name.description = std::string(rest.substr(separator + kSeparator.size()));
  }
  bool versioned = name.kind == FlywayName::Kind::versioned ||
                   name.kind == FlywayName::Kind::undo || name.kind == FlywayName::Kind::baseline;
  if (!versioned) {
    if (!version.empty()) {
      return invalid(fmt::format("'{}' stands between the prefix and '__', where {} has nothing",
                                 version,
                                 name.kind == FlywayName::Kind::repeatable
                                     ? "a repeatable migration (R__<description>.sql)"
                                     : "a callback"));
    }
    return name;
  }
  if (version.empty()) {
    return invalid("it has no version after its prefix");
  }
  std::optional<MigrationId> id = MigrationId::from_text(version);
  if (!id) {
    return invalid(
        fmt::format("'{}' is not a version: numbers joined by '.' or '_' (1, 1.1, 2_10), then "
                    "'__' and the description",
                    version));
  }
  name.version = *id;
  return name;
}

}  // namespace migrate
