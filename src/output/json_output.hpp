#pragma once

#include <string>

namespace migrate {

class RevisionGraph;
struct DatabaseStatus;

// The stable JSON of the read commands. nlohmann/json is compiled in json_output.cpp only.

/// migrate-current --json: the database's heads, pending, partial, changed, orphans, renamed.
std::string current_json(const RevisionGraph& graph, const DatabaseStatus& status,
                         const std::string& database);

/// migrate-history --json: every migration in apply order, with its state in the database.
std::string history_json(const RevisionGraph& graph, const DatabaseStatus& status,
                         const std::string& database);

}  // namespace migrate
