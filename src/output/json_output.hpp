#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace migrate {

struct Finding;

class RevisionGraph;
struct CommitCheckReport;
struct DatabaseStatus;
struct History;
struct SchemaModel;
struct SchemaMigration;
struct MigrationSchemaChange;
struct TargetDrift;
struct VerifyReport;

// The stable JSON of the read commands. nlohmann/json is compiled in json_output.cpp only.

/// migrate-current --json: the database's heads, pending, partial, changed, orphans, renamed.
std::string current_json(const RevisionGraph& graph, const DatabaseStatus& status,
                         const std::string& database);

/// migrate-history --json: every migration in apply order, with its state in the history's
/// first target (which must have been read) and the commit that added its file (null: not
/// known).
std::string history_json(const History& history);

/// migrate-check --json: ok, what was checked, the problems (kind, message, paths), the
/// linter's findings ("lint", as migrate-lint --json gives them: errors, which are problems
/// too, warnings and notes).
std::string check_json(const CommitCheckReport& report, bool staged, const std::string& upstream);

/// migrate-web's /api/migrations: history --json's fields for every migration in apply order
/// ("state"/"applied": the first environment's), plus "children", "tables" and "states" (each
/// reachable environment's state and row), and the environments read (reachable or why not).
std::string web_migrations_json(const History& history);

/// migrate-web's /api/migrations/<id>: one migration as in web_migrations_json, plus its
/// parents and children (id, stem, title), its up and down SQL, and the environments.
std::string web_migration_detail_json(const History& history, std::size_t m);

/// migrate-web's /api/status: per environment, reachable or why not, and current --json's
/// object for it.
std::string web_status_json(const History& history);

/// migrate-dump --json: the schema model, every field of every object (schema_model.hpp), in
/// the model's order.
std::string schema_json(const SchemaModel& model);

/// migrate-diff --json: what FROM and TO were, the changes (description, hazard: empty when
/// none) and the statements of the up and down sections with their options.
std::string schema_migration_json(const SchemaMigration& migration, const std::string& from,
                                  const std::string& to);

/// migrate-verify --json: {"passed", "engine", "summary": {"checks", "passed", "failed",
/// "skipped"}, "checks": [{"step", "name", "status", "file" (null: none), "message",
/// "details"}], "notes"}. Bytes that are no UTF-8 (a database's message) become U+FFFD.
std::string verify_json(const VerifyReport& report);

/// migrate-lint --json: {"migrations": N linted, "errors", "warnings", "notes", "findings":
/// [{"file", "line", "rule", "severity", "message", "why", "safe"}]}.
std::string lint_json(const std::vector<Finding>& findings, std::size_t migrations);

/// migrate-lint --format sarif: SARIF 2.1.0, for code-scanning UIs. One run: the tool's driver
/// lists every rule (id, shortDescription: the message, fullDescription: the why, help: the why
/// and the safe way, defaultConfiguration.level), each finding a result (ruleId, ruleIndex,
/// level, message, the file as a relative URI and its startLine).
std::string lint_sarif(const std::vector<Finding>& findings);

/// migrate-web's answer to a request that failed: {"error": message}.
std::string web_error_json(const std::string& message);

/// migrate-web's /api/drift: per environment, its live drift ("none", "drift"), or "absent" (not
/// created yet) or "unknown" with the error, and the changes made by hand.
std::string web_drift_json(const std::vector<TargetDrift>& targets);

/// migrate-web's /api/schema-changes: per migration in apply order, its id, the tables its up
/// section changes, and the error when that could not be computed.
std::string web_schema_changes_json(const RevisionGraph& graph,
                                    const std::vector<MigrationSchemaChange>& changes);

/// migrate-web's /api/migrations/<id>/schema: the objects the migration's up section adds,
/// alters and drops, each with its definition before and after.
std::string web_migration_schema_json(const MigrationSchemaChange& change);

/// What a --json command prints on stdout when it fails: {"error": message, "exit_code": N},
/// so a program reading stdout always gets JSON.
std::string error_json(const std::string& message, int exit_code);

}  // namespace migrate
