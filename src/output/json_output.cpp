#include "output/json_output.hpp"

#include <cctype>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "check/commit_check.hpp"
#include "diff/live_drift.hpp"
#include "diff/migration_schema_changes.hpp"
#include "git/authorship.hpp"
#include "graph/revision_graph.hpp"
#include "history/history.hpp"
#include "lint/finding.hpp"
#include "lint/rule_family.hpp"
#include "lint/touched_tables.hpp"
#include "plan/database_status.hpp"
#include "schema/schema_migration.hpp"
#include "schema/schema_model.hpp"
#include "verify/verify_report.hpp"

namespace migrate {

namespace {

// ordered_json keeps the keys in the order written (id first), and small objects build faster
// in its vector than in std::map.
using json = nlohmann::ordered_json;

// Objects are filled key by key: nlohmann's initializer lists copy every value once more.

json brief(const Migration& m) {
  json out = json::object();
  out["id"] = m.id.text();
  out["stem"] = m.stem();
  out["title"] = m.title();
  out["file"] = m.file.string();
  return out;
}

json briefs(const RevisionGraph& graph, const std::vector<std::size_t>& migrations) {
  json list = json::array();
  for (std::size_t m : migrations) {
    list.push_back(brief(graph.at(m)));
  }
  return list;
}

/// A state-table row. Nested in its migration, the id and title are the migration's and the
/// checksum too unless it changed, so `nested` leaves out what the migration already says.
json row_json(const AppliedMigration& row, const Migration* nested = nullptr) {
  json out = json::object();
  if (nested == nullptr) {
    out["id"] = row.id.text();
    out["title"] = row.title;
  }
  if (nested == nullptr || nested->checksum != row.checksum) {
    out["checksum"] = row.checksum;
  }
  out["applied_at"] = row.applied_at;
  out["duration_ms"] = row.duration_ms;
  out["applied_by"] = row.applied_by;
  out["git_commit"] = row.git_commit.empty() ? json(nullptr) : json(row.git_commit);
  if (row.statements_total) {
    out["statements_done"] = row.statements_done.value_or(0);
    out["statements_total"] = *row.statements_total;
  }
  return out;
}

/// Flyway's repeatables, in the order they run: each with its state ("applied", or "due" and
/// why) and its row, if it has one; then the rows of those whose file is gone ("removed").
json repeatables_json(const RevisionGraph& graph, const DatabaseStatus& status) {
  json list = json::array();
  for (std::size_t i = 0; i < graph.repeatables().size(); ++i) {
    const Migration& repeatable = graph.repeatables()[i];
    bool due = status.repeatable_due(i);
    json entry = {{"id", repeatable.id.text()},
                  {"title", repeatable.title()},
                  {"file", repeatable.file.string()},
                  {"state", due ? "due" : "applied"}};
    if (due) {
      entry["reason"] = repeatable_due_reason(status, i);
    }
    const std::optional<std::size_t>& row = status.repeatable_row[i];
    entry["applied"] = row ? row_json(status.rows[*row], &repeatable) : json(nullptr);
    list.push_back(std::move(entry));
  }
  for (std::size_t r : status.removed_repeatables) {
    json entry = row_json(status.rows[r]);
    entry["state"] = "removed";
    list.push_back(std::move(entry));
  }
  return list;
}

json orphans_json(const DatabaseStatus& status) {
  json list = json::array();
  for (std::size_t r : status.orphans) {
    list.push_back(row_json(status.rows[r]));
  }
  return list;
}

/// The commit that added a migration's file; null outside git or before it is committed.
json commit_json(const FileAuthorship* added_by) {
  if (added_by == nullptr) {
    return nullptr;
  }
  json out = json::object();
  out["id"] = added_by->commit;
  out["short_id"] = added_by->short_commit;
  out["author"] = added_by->author;
  out["email"] = added_by->email;
  out["date"] = added_by->date;
  out["summary"] = added_by->summary;
  return out;
}

/// A migration of `history` as history --json has it, its state and row from `status`.
json migration_json(const History& history, const DatabaseStatus& status, std::size_t m) {
  const RevisionGraph& graph = history.graph;
  const Migration& migration = graph.at(m);
  json out = brief(migration);
  json& parents = out["parents"] = json::array();
  for (std::size_t p : graph.parents(m)) {
    parents.push_back(graph.at(p).id.text());
  }
  json& replaces = out["replaces"] = json::array();
  for (const MigrationRef& ref : migration.replaces) {
    replaces.push_back(ref.id.text());
  }
  out["head"] = static_cast<bool>(history.head[m]);
  out["doc"] = migration.doc;
  out["checksum"] = migration.checksum;
  out["reversible"] = migration.reversible();
  out["transaction"] = migration.up.options.transaction;
  out["state"] = state_name(status.state[m]);
  out["applied"] =
      status.row_of[m] ? row_json(status.rows[*status.row_of[m]], &migration) : json(nullptr);
  out["commit"] = commit_json(history.added_by[m]);
  return out;
}

/// A generated migration's changes, each with its hazard ("" when none).
json changes_json(const std::vector<SchemaChange>& changes) {
  json out = json::array();
  for (const SchemaChange& change : changes) {
    out.push_back(json{{"description", change.description}, {"hazard", change.hazard}});
  }
  return out;
}

/// A linter's finding, as migrate-lint --json and migrate-check --json give it.
json finding_json(const Finding& finding) {
  json item = json::object();
  item["file"] = finding.file;
  item["line"] = finding.line;
  item["rule"] = finding.rule->name;
  item["severity"] = severity_name(finding.severity);
  item["message"] = finding.detail;
  item["why"] = finding.rule->why;
  item["safe"] = finding.rule->safe;
  return item;
}

}  // namespace

std::string current_json(const RevisionGraph& graph, const DatabaseStatus& status,
                         const std::string& database) {
  json renamed = json::array();
  for (const DatabaseStatus::Rename& rename : status.renamed) {
    renamed.push_back({{"from", status.rows[rename.row].id.text()},
                       {"to", graph.at(rename.migration).id.text()},
                       {"stem", graph.at(rename.migration).stem()}});
  }
  std::size_t applied = 0;
  for (std::size_t m = 0; m < graph.size(); ++m) {
    applied += status.applied(m) ? 1 : 0;
  }
  json repeatables = json::array();
  for (std::size_t i : status.repeatables_due) {
    const Migration& repeatable = graph.repeatables()[i];
    repeatables.push_back({{"id", repeatable.id.text()},
                           {"title", repeatable.title()},
                           {"reason", repeatable_due_reason(status, i)}});
  }
  json out = {{"database", database},
              {"heads", briefs(graph, status.applied_heads(graph))},
              {"applied", applied},
              {"pending", briefs(graph, status.pending)},
              {"partial", briefs(graph, status.partial)},
              {"changed", briefs(graph, status.changed)},
              {"orphans", orphans_json(status)},
              {"renamed", renamed},
              {"repeatables_due", repeatables},
              {"up_to_date", status.up_to_date()}};
  return out.dump(2) + "\n";
}

std::string history_json(const History& history) {
  const RevisionGraph& graph = history.graph;
  const DatabaseStatus& status = history.first_status();  // throws when there is none
  const TargetRead& target = history.targets.front();
  // Written one migration at a time, each on its own line: a tree of 10,000 migrations would
  // cost several times the memory, and a line per migration is easy to grep.
  std::string out = "{\n  \"database\": " + json(target.database).dump() + ",\n  \"migrations\": [";
  for (std::size_t m = 0; m < graph.size(); ++m) {
    out += m == 0 ? "\n    " : ",\n    ";
    out += migration_json(history, status, m).dump();
  }
  out += graph.empty() ? "],\n" : "\n  ],\n";
  out += "  \"orphans\": " + orphans_json(status).dump() + ",\n";
  out += "  \"repeatables\": " + repeatables_json(graph, status).dump() + "\n}\n";
  return out;
}

std::string check_json(const CommitCheckReport& report, bool staged, const std::string& upstream) {
  json out = json::object();
  out["ok"] = report.ok();
  out["checked"] = staged ? "staged" : "work tree";
  out["upstream"] = upstream.empty() ? json(nullptr) : json(upstream);
  out["migrations"] = report.migrations;
  out["heads"] = report.heads;
  out["new_migrations"] = report.new_migrations;
  json problems = json::array();
  for (const CheckProblem& problem : report.problems) {
    json item = json::object();
    item["kind"] = problem.kind;
    item["message"] = problem.message;
    item["paths"] = problem.paths;
    problems.push_back(std::move(item));
  }
  out["problems"] = std::move(problems);
  // What the linter says about the migrations the commit brings, warnings and notes included.
  json lint = json::array();
  for (const Finding& finding : report.lint) {
    lint.push_back(finding_json(finding));
  }
  out["lint"] = std::move(lint);
  // With a model configured (and migrations that load): the exact answer, agreeing or not.
  out["schema_drift"] = nullptr;
  if (report.drift) {
    const ModelDrift& drift = *report.drift;
    out["schema_drift"] =
        json{{"model", drift.model},
             {"changes", changes_json(drift.migration.changes)},
             {"notes", drift.migration.notes},
             {"migration", drift.migration.empty() ? json(nullptr) : json(drift.text)}};
  }
  // A message or a migration's text may hold bytes that are no UTF-8: U+FFFD then.
  return out.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

// The API of migrate-web (web/web_server.hpp): history --json's fields per migration, with the
// state in every environment (history/history.hpp's targets) beside the configured database's.

namespace {

json environment_json(const RevisionGraph& graph, const TargetRead& environment) {
  json out = json::object();
  out["name"] = environment.name;
  out["database"] = environment.database;
  out["reachable"] = environment.status.has_value();
  out["error"] = environment.error.empty() ? json(nullptr) : json(environment.error);
  out["orphans"] = environment.status ? orphans_json(*environment.status) : json::array();
  out["repeatables"] =
      environment.status ? repeatables_json(graph, *environment.status) : json::array();
  return out;
}

/// A migration as history --json has it ("state"/"applied": the first environment's, null when
/// it is unreachable), plus its children, the tables its up SQL touches (for the page's
/// filter) and "states": environment name -> {state, applied} for each reachable one.
json web_migration_json(const History& history, std::size_t m, const DatabaseStatus& unknown) {
  const RevisionGraph& graph = history.graph;
  const std::optional<DatabaseStatus>& first = history.targets.front().status;
  json out = migration_json(history, first ? *first : unknown, m);
  if (!first) {
    out["state"] = nullptr;
  }
  json& children = out["children"] = json::array();
  for (std::size_t c : graph.children(m)) {
    children.push_back(graph.at(c).id.text());
  }
  out["tables"] = touched_tables(graph.at(m).up.sql);
  json& states = out["states"] = json::object();
  for (const TargetRead& environment : history.targets) {
    if (const std::optional<DatabaseStatus>& status = environment.status) {
      json& state = states[environment.name] = json::object();
      state["state"] = state_name(status->state[m]);
      state["applied"] = status->row_of[m]
                             ? row_json(status->rows[*status->row_of[m]], &graph.at(m))
                             : json(nullptr);
    }
  }
  return out;
}

json section_json(const Section& section) {
  json out = json::object();
  out["sql"] = section.sql;
  out["first_line"] = section.first_line;
  out["transaction"] = section.options.transaction;
  out["foreign_keys"] = section.options.foreign_keys;
  return out;
}

json environments_json(const History& history) {
  json list = json::array();
  for (const TargetRead& environment : history.targets) {
    list.push_back(environment_json(history.graph, environment));
  }
  return list;
}

}  // namespace

std::string web_migrations_json(const History& history) {
  const RevisionGraph& graph = history.graph;
  const std::string& git_error = history.authorship.error;
  DatabaseStatus unknown = reconcile(graph, {});
  // One migration a line, as history_json: no tree of 10,000 objects in memory at once.
  std::string out = "{\n  \"database\": " + json(history.targets.front().database).dump() +
                    ",\n  \"environments\": " + environments_json(history).dump() +
                    ",\n  \"git_error\": " + (git_error.empty() ? "null" : json(git_error).dump()) +
                    ",\n  \"migrations\": [";
  for (std::size_t m = 0; m < graph.size(); ++m) {
    out += m == 0 ? "\n    " : ",\n    ";
    out += web_migration_json(history, m, unknown).dump();
  }
  out += graph.empty() ? "]\n}\n" : "\n  ]\n}\n";
  return out;
}

std::string web_migration_detail_json(const History& history, std::size_t m) {
  const RevisionGraph& graph = history.graph;
  const Migration& migration = graph.at(m);
  json out = web_migration_json(history, m, reconcile(graph, {}));
  out["parent_migrations"] = briefs(graph, graph.parents(m));
  out["child_migrations"] = briefs(graph, graph.children(m));
  out["up"] = section_json(migration.up);
  out["down"] = migration.down ? section_json(*migration.down) : json(nullptr);
  out["environments"] = environments_json(history);
  return out.dump(2) + "\n";
}

std::string web_status_json(const History& history) {
  json list = json::array();
  for (const TargetRead& environment : history.targets) {
    json item = environment_json(history.graph, environment);
    item.erase("orphans");  // in "current", with the rest of the state
    item.erase("repeatables");
    item["current"] =
        environment.status
            ? json::parse(current_json(history.graph, *environment.status, environment.database))
            : json(nullptr);
    list.push_back(std::move(item));
  }
  json out = json::object();
  out["migrations"] = history.graph.size();
  out["environments"] = std::move(list);
  return out.dump(2) + "\n";
}

std::string web_error_json(const std::string& message) {
  json out = json::object();
  out["error"] = message;
  return out.dump() + "\n";
}

std::string web_drift_json(const std::vector<TargetDrift>& targets) {
  json list = json::array();
  for (const TargetDrift& target : targets) {
    json item = json::object();
    item["name"] = target.name;
    item["database"] = target.database;
    const char* state = !target.exists            ? "absent"
                        : !target.drift           ? "unknown"
                        : target.drift->drifted() ? "drift"
                                                  : "none";
    item["state"] = state;
    item["changes"] = target.drift ? json(target.drift->changes) : json::array();
    item["orphans"] = target.drift ? target.drift->orphans : 0;
    item["error"] = target.error.empty() ? json(nullptr) : json(target.error);
    list.push_back(std::move(item));
  }
  json out = json::object();
  out["environments"] = std::move(list);
  return out.dump(2) + "\n";
}

std::string web_schema_changes_json(const RevisionGraph& graph,
                                    const std::vector<MigrationSchemaChange>& changes) {
  json list = json::array();
  for (std::size_t m = 0; m < graph.size() && m < changes.size(); ++m) {
    json item = json::object();
    item["id"] = graph.at(m).id.text();
    item["tables"] = changes[m].tables;
    item["error"] = changes[m].error.empty() ? json(nullptr) : json(changes[m].error);
    list.push_back(std::move(item));
  }
  json out = json::object();
  out["migrations"] = std::move(list);
  return out.dump(2) + "\n";
}

std::string web_migration_schema_json(const MigrationSchemaChange& change) {
  json list = json::array();
  for (const ObjectChange& object : change.changes) {
    json item = json::object();
    item["change"] = to_string(object.kind);
    item["object"] = object.object;
    item["table"] = object.table.empty() ? json(nullptr) : json(object.table);
    item["before"] = object.before.empty() ? json(nullptr) : json(object.before);
    item["after"] = object.after.empty() ? json(nullptr) : json(object.after);
    list.push_back(std::move(item));
  }
  json out = json::object();
  out["changes"] = std::move(list);
  out["tables"] = change.tables;
  out["error"] = change.error.empty() ? json(nullptr) : json(change.error);
  return out.dump(2) + "\n";
}

namespace {

json name_json(const ObjectName& name) {
  return json{{"schema", name.schema}, {"name", name.name}};
}

json grants_json(const std::vector<Grant>& grants) {
  json out = json::array();
  for (const Grant& grant : grants) {
    out.push_back({{"grantee", grant.grantee},
                   {"privileges", grant.privileges},
                   {"with_grant_option", grant.with_grant_option}});
  }
  return out;
}

json columns_json(const std::vector<Column>& columns) {
  json out = json::array();
  for (const Column& c : columns) {
    out.push_back({{"name", c.name},
                   {"type", c.type},
                   {"collation", c.collation},
                   {"default", c.default_value},
                   {"not_null", c.not_null},
                   {"identity", c.identity},
                   {"identity_options", c.identity_options},
                   {"identity_grants", grants_json(c.identity_grants)},
                   {"generated", c.generated},
                   {"generated_stored", c.generated_stored},
                   {"comment", c.comment},
                   {"grants", grants_json(c.grants)}});
  }
  return out;
}

const char* constraint_kind_name(ConstraintKind kind) {
  switch (kind) {
    case ConstraintKind::primary_key:
      return "primary_key";
    case ConstraintKind::foreign_key:
      return "foreign_key";
    case ConstraintKind::unique:
      return "unique";
    case ConstraintKind::check:
      return "check";
    case ConstraintKind::exclude:
      return "exclude";
  }
  return "?";
}

json constraints_json(const std::vector<Constraint>& constraints) {
  json out = json::array();
  for (const Constraint& c : constraints) {
    json one{{"name", c.name},
             {"kind", constraint_kind_name(c.kind)},
             {"definition", c.definition},
             {"columns", c.columns}};
    if (c.kind == ConstraintKind::foreign_key) {
      one["references"] = name_json(c.references);
      one["referenced_columns"] = c.referenced_columns;
      one["on_delete"] = c.on_delete;
      one["on_update"] = c.on_update;
    }
    one["deferrable"] = c.deferrable;
    one["initially_deferred"] = c.initially_deferred;
    one["validated"] = c.validated;
    one["comment"] = c.comment;
    out.push_back(std::move(one));
  }
  return out;
}

/// `items` as a JSON array, each object made by `one`.
template <typename T, typename F>
json array_of(const std::vector<T>& items, F one) {
  json out = json::array();
  for (const T& item : items) {
    out.push_back(one(item));
  }
  return out;
}

}  // namespace

std::string schema_json(const SchemaModel& m) {
  json out;
  out["engine"] = m.engine;
  out["schemas"] = array_of(m.schemas, [](const Schema& s) {
    return json{{"name", s.name}, {"comment", s.comment}, {"grants", grants_json(s.grants)}};
  });
  out["extensions"] = array_of(m.extensions, [](const Extension& e) {
    return json{{"name", e.name}, {"schema", e.schema}, {"comment", e.comment}};
  });
  out["enums"] = array_of(m.enums, [](const EnumType& e) {
    return json{{"name", name_json(e.name)},
                {"values", e.values},
                {"comment", e.comment},
                {"grants", grants_json(e.grants)}};
  });
  out["domains"] = array_of(m.domains, [](const Domain& d) {
    return json{{"name", name_json(d.name)}, {"type", d.type},
                {"collation", d.collation},  {"default", d.default_value},
                {"not_null", d.not_null},    {"checks", constraints_json(d.checks)},
                {"comment", d.comment}};
  });
  out["composite_types"] = array_of(m.composite_types, [](const CompositeType& c) {
    return json{{"name", name_json(c.name)},
                {"attributes", columns_json(c.attributes)},
                {"comment", c.comment},
                {"grants", grants_json(c.grants)}};
  });
  out["sequences"] = array_of(m.sequences, [](const Sequence& s) {
    return json{{"name", name_json(s.name)}, {"type", s.type},
                {"options", s.options},      {"owned_by", s.owned_by},
                {"comment", s.comment},      {"grants", grants_json(s.grants)}};
  });
  out["functions"] = array_of(m.functions, [](const Function& f) {
    return json{{"name", name_json(f.name)}, {"arguments", f.arguments},
                {"procedure", f.procedure},  {"definition", f.definition},
                {"comment", f.comment},      {"grants", grants_json(f.grants)}};
  });
  out["tables"] = array_of(m.tables, [](const Table& t) {
    json one{{"name", name_json(t.name)},
             {"columns", columns_json(t.columns)},
             {"constraints", constraints_json(t.constraints)},
             {"partition_key", t.partition_key},
             {"partition_of", t.partition_of ? name_json(*t.partition_of) : json()},
             {"partition_bound", t.partition_bound},
             {"unlogged", t.unlogged},
             {"options", t.options},
             {"without_rowid", t.without_rowid},
             {"strict", t.strict},
             {"autoincrement", t.autoincrement},
             {"row_security", t.row_security},
             {"force_row_security", t.force_row_security},
             {"comment", t.comment},
             {"grants", grants_json(t.grants)}};
    return one;
  });
  out["views"] = array_of(m.views, [](const View& v) {
    return json{{"name", name_json(v.name)},
                {"definition", v.definition},
                {"materialized", v.materialized},
                {"comment", v.comment},
                {"grants", grants_json(v.grants)}};
  });
  out["indexes"] = array_of(m.indexes, [](const Index& i) {
    return json{{"name", name_json(i.name)},
                {"table", name_json(i.table)},
                {"definition", i.definition},
                {"unique", i.unique},
                {"comment", i.comment}};
  });
  out["triggers"] = array_of(m.triggers, [](const Trigger& t) {
    return json{{"name", t.name},
                {"table", name_json(t.table)},
                {"definition", t.definition},
                {"comment", t.comment}};
  });
  out["policies"] = array_of(m.policies, [](const Policy& p) {
    return json{{"name", p.name},
                {"table", name_json(p.table)},
                {"definition", p.definition},
                {"comment", p.comment}};
  });
  out["dependencies"] = array_of(m.dependencies, [](const Dependency& d) {
    return json{{"object", d.object}, {"needs", d.needs}};
  });
  return out.dump(2) + "\n";
}

std::string schema_migration_json(const SchemaMigration& migration, const std::string& from,
                                  const std::string& to) {
  auto section = [](const GeneratedSection& s) {
    return json{{"statements", s.statements},
                {"transaction", !s.no_transaction},
                {"foreign_keys", !s.foreign_keys_off}};
  };
  json out;
  out["from"] = from;
  out["to"] = to;
  out["changes"] = changes_json(migration.changes);
  out["up"] = section(migration.up);
  out["down"] = section(migration.down);
  out["notes"] = migration.notes;
  return out.dump(2) + "\n";
}

std::string verify_json(const VerifyReport& report) {
  json out = json::object();
  out["passed"] = report.passed();
  out["engine"] = report.engine;
  json summary = json::object();
  summary["checks"] = report.checks.size();
  summary["passed"] = report.count(CheckStatus::passed);
  summary["failed"] = report.count(CheckStatus::failed);
  summary["skipped"] = report.count(CheckStatus::skipped);
  out["summary"] = std::move(summary);
  out["checks"] = array_of(report.checks, [](const VerifyCheck& check) {
    json item = json::object();
    item["step"] = verify_step_name(check.step);
    item["name"] = check.name;
    item["status"] = check_status_name(check.status);
    item["file"] = check.file.empty() ? json(nullptr) : json(check.file);
    item["message"] = check.message;
    item["details"] = check.details;
    return item;
  });
  out["notes"] = report.notes;
  // A database's error message may hold bytes that are no UTF-8: replaced, never a throw.
  return out.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string lint_json(const std::vector<Finding>& findings, std::size_t migrations) {
  json out = json::object();
  out["migrations"] = migrations;
  for (Severity severity : {Severity::error, Severity::warning, Severity::note}) {
    out[std::string(severity_name(severity)) + "s"] =
        std::count_if(findings.begin(), findings.end(),
                      [severity](const Finding& finding) { return finding.severity == severity; });
  }
  out["findings"] = array_of(findings, finding_json);
  return out.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

namespace {

/// A relative file path as a URI reference: every byte but RFC 3986's unreserved ones and '/'
/// percent-encoded (a space, a '#' or a '%' in a file name would otherwise end or change it).
std::string relative_uri(const std::string& path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

json sarif_text(std::string_view text) {
  json out = json::object();
  out["text"] = text;
  return out;
}

json sarif_rule(const RuleInfo& rule) {
  json out = json::object();
  out["id"] = rule.name;
  out["shortDescription"] = sarif_text(rule.message);
  out["fullDescription"] = sarif_text(rule.why);
  json help = json::object();
  help["text"] = fmt::format("{}\n\nThe safe way: {}", rule.why, rule.safe);
  // The safe way is a sentence ending in ':' then its SQL, or SQL alone: the SQL as a block.
  std::string_view safe = rule.safe;
  std::size_t end = safe.find('\n');
  bool sentence = end != std::string_view::npos && end > 0 && safe[end - 1] == ':';
  std::string_view sql = sentence ? safe.substr(end + 1) : safe;
  help["markdown"] = sentence ? fmt::format("{}\n\n**The safe way**: {}\n\n```sql\n{}\n```",
                                            rule.why, safe.substr(0, end), sql)
                     : end == std::string_view::npos && safe.find(';') == std::string_view::npos
                         ? fmt::format("{}\n\n**The safe way**: {}", rule.why, safe)
                         : fmt::format("{}\n\n**The safe way**:\n\n```sql\n{}\n```", rule.why, sql);
  out["help"] = std::move(help);
  json configuration = json::object();
  configuration["level"] = severity_name(rule.severity);
  out["defaultConfiguration"] = std::move(configuration);
  return out;
}

}  // namespace

std::string lint_sarif(const std::vector<Finding>& findings) {
  json rules = json::array();
  std::map<std::string_view, std::size_t> index;  // a result's ruleIndex
  for (const RuleFamily& family : rule_families()) {
    for (const RuleInfo& rule : family.rules) {
      index.emplace(rule.name, rules.size());
      rules.push_back(sarif_rule(rule));
    }
  }
  json driver = json::object();
  driver["name"] = "migrate-lint";
  driver["rules"] = std::move(rules);
  json run = json::object();
  run["tool"]["driver"] = std::move(driver);
  run["results"] = array_of(findings, [&index](const Finding& finding) {
    json item = json::object();
    item["ruleId"] = finding.rule->name;
    if (auto at = index.find(finding.rule->name); at != index.end()) {
      item["ruleIndex"] = at->second;
    }
    // SARIF's levels are the linter's severities, by the same names.
    item["level"] = severity_name(finding.severity);
    item["message"] = sarif_text(finding.detail);
    json physical = json::object();
    physical["artifactLocation"]["uri"] = relative_uri(finding.file);
    physical["region"]["startLine"] = finding.line;
    json location = json::object();
    location["physicalLocation"] = std::move(physical);
    item["locations"] = json::array({std::move(location)});
    return item;
  });
  json out = json::object();
  out["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
  out["version"] = "2.1.0";
  out["runs"] = json::array({std::move(run)});
  return out.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string error_json(const std::string& message, int exit_code) {
  json out = json::object();
  out["error"] = message;
  out["exit_code"] = exit_code;
  return out.dump(2) + "\n";
}

}  // namespace migrate
