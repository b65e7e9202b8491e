#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "migration/migration.hpp"

namespace migrate::test {

/// A migration built in memory for graph and planner tests (as Alembic's test_revision.py
/// builds its maps): `make_migration("3", {{"1", "2"}})` is a merge of 1 and 2. No `depends`
/// means the implicit rule (the previous id).
Migration make_migration(std::string_view id,
                         std::optional<std::vector<std::string>> depends = std::nullopt,
                         std::string up = "SELECT 1;",
                         std::optional<std::string> down = std::string("SELECT 1;"));

/// A Flyway repeatable, `R__<description>.sql`: `make_repeatable("views", "CREATE VIEW …")`.
Migration make_repeatable(std::string_view description, std::string up);

}  // namespace migrate::test
