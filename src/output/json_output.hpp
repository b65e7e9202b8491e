#pragma once

#include <string>
#include <vector>

namespace migrate {

class RevisionGraph;
struct CommitCheckReport;
struct DatabaseStatus;
struct FileAuthorship;

// The stable JSON of the read commands. nlohmann/json is compiled in json_output.cpp only.

/// migrate-current --json: the database's heads, pending, partial, changed, orphans, renamed.
std::string current_json(const RevisionGraph& graph, const DatabaseStatus& status,
                         const std::string& database);

/// migrate-history --json: every migration in apply order, with its state in the database and
/// the commit that added its file (`added_by`, by migration index; null: not known).
std::string history_json(const RevisionGraph& graph, const DatabaseStatus& status,
                         const std::string& database,
                         const std::vector<const FileAuthorship*>& added_by);

/// migrate-check --json: ok, what was checked, the problems (kind, message, paths).
std::string check_json(const CommitCheckReport& report, bool staged, const std::string& upstream);

}  // namespace migrate
