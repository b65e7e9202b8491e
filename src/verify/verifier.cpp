#include "verify/verifier.hpp"

#include <algorithm>
#include <memory>
#include <numeric>
#include <set>

#include <fmt/format.h>

#include "config/config.hpp"
#include "db/connection.hpp"
#include "diff/dev_database.hpp"
#include "diff/schema_command.hpp"
#include "diff/schema_source.hpp"
#include "graph/empty_migrations.hpp"
#include "graph/revision_graph.hpp"
#include "graph/revision_spec.hpp"
#include "migration/migration_dir.hpp"
#include "schema/schema_migration.hpp"
#include "target/target_schema.hpp"
#include "util/error.hpp"
#include "util/file.hpp"
#include "util/text.hpp"
#include "verify/data_test.hpp"
#include "verify/data_test_run.hpp"
#include "verify/lint_step.hpp"
#include "verify/migration_steps.hpp"
#include "verify/stairway.hpp"

namespace migrate {

namespace {

std::string stems(const RevisionGraph& graph, const std::vector<std::size_t>& migrations) {
  return list_stems(graph, migrations, 10);
}

/// Step 1 beyond loading: the heads, migrations/HEAD, empty migrations.
void check_graph(const RevisionGraph& graph, const VerifyRequest& request, VerifyReport& report) {
  std::string folder = request.migrations_dir.string();
  std::vector<std::string> problems;
  std::vector<std::size_t> heads = graph.heads();
  if (!request.heads.empty()) {
    std::vector<std::size_t> declared;
    for (const std::string& text : request.heads) {
      try {
        declared.push_back(resolve_ref(graph, text));
      } catch (const GraphError& e) {
        problems.push_back(fmt::format("--heads {}: {}", text, e.what()));
      }
    }
    std::sort(declared.begin(), declared.end());
    declared.erase(std::unique(declared.begin(), declared.end()), declared.end());
    if (problems.empty() && declared != heads) {
      problems.push_back(fmt::format("the heads are {}, not the declared {}", stems(graph, heads),
                                     stems(graph, declared)));
    }
  } else if (heads.size() > 1) {
    problems.push_back(
        fmt::format("{} heads: {}. `migrate merge` joins them (or declare them with --heads)",
                    heads.size(), stems(graph, heads)));
  }
  std::optional<std::string> head_file = read_head_file(request.migrations_dir);
  if (head_file && heads.size() == 1 && *head_file != graph.at(heads.front()).stem()) {
    problems.push_back(
        fmt::format("{} names {}, but the head is {}: `migrate renumber` rewrites it",
                    head_file_path(request.migrations_dir).string(),
                    head_file->empty() ? "nothing" : *head_file, graph.at(heads.front()).stem()));
  }
  std::vector<std::size_t> all(graph.size());
  std::iota(all.begin(), all.end(), 0);
  if (std::vector<std::size_t> empty = empty_migrations(graph, all); !empty.empty()) {
    problems.push_back(
        fmt::format("no statement in the up section of {}: unfinished? (upgrade refuses it without "
                    "--allow-empty)",
                    stems(graph, empty)));
  }
  if (problems.empty()) {
    report.add(VerifyStep::graph, folder, CheckStatus::passed, folder,
               graph.empty() ? "no migration yet"
               : heads.size() == 1
                   ? fmt::format("{} migration{}, one head: {}", graph.size(),
                                 graph.size() == 1 ? "" : "s", graph.at(heads.front()).stem())
                   : fmt::format("{} migrations, the declared heads: {}", graph.size(),
                                 stems(graph, heads)));
    return;
  }
  report
      .add(VerifyStep::graph, folder, CheckStatus::failed, folder,
           fmt::format("the migration set has {} problem{}", problems.size(),
                       problems.size() == 1 ? "" : "s"))
      .details = std::move(problems);
}

/// The migrations in `files` (absolute paths).
std::vector<bool> in_files(const RevisionGraph& graph,
                           const std::vector<std::filesystem::path>& files) {
  std::set<std::filesystem::path> wanted;
  for (const std::filesystem::path& file : files) {
    wanted.insert(std::filesystem::weakly_canonical(file));
  }
  std::vector<bool> in(graph.size());
  for (std::size_t i = 0; i < graph.size(); ++i) {
    std::vector<std::filesystem::path> own = graph.at(i).files();
    in[i] = std::any_of(own.begin(), own.end(), [&](const auto& file) {
      return wanted.contains(std::filesystem::weakly_canonical(std::filesystem::absolute(file)));
    });
  }
  return in;
}

/// Which migrations the stairway walks (and lint lints): --since's and --changed-since's
/// limits, each noted.
std::vector<bool> walked(const RevisionGraph& graph, const VerifyRequest& request,
                         VerifyReport& report) {
  std::vector<bool> walk(graph.size(), true);
  if (!request.since.empty()) {
    std::vector<std::size_t> at = resolve_revision(graph, parse_revision_spec(request.since));
    std::vector<bool> applied = graph.closure(at);
    for (std::size_t i = 0; i < graph.size(); ++i) {
      walk[i] = walk[i] && !applied[i];
    }
  }
  if (request.changed_files) {
    std::vector<bool> changed = in_files(graph, *request.changed_files);
    for (std::size_t i = 0; i < graph.size(); ++i) {
      walk[i] = walk[i] && changed[i];
    }
  }
  if (!request.since.empty() || request.changed_files) {
    std::vector<std::size_t> chosen;
    for (std::size_t i = 0; i < graph.size(); ++i) {
      if (walk[i] && !graph.at(i).repeatable) {
        chosen.push_back(i);
      }
    }
    std::vector<std::string> limits;
    if (!request.since.empty()) {
      limits.push_back(fmt::format("after {} (--since)", request.since));
    }
    if (request.changed_files) {
      limits.push_back(fmt::format("changed since {} (--changed-since)", request.changed_since));
    }
    std::string which = fmt::format("{}", fmt::join(limits, " and "));
    report.notes.push_back(
        chosen.empty()
            ? fmt::format("the stairway walks the migrations {}: there are none", which)
            : fmt::format("the stairway walks the migrations {}: {}; the others are only applied",
                          which, stems(graph, chosen)));
  }
  return walk;
}

/// Step 2: what lint_step lints. The stairway's limits choose, when given: a database at
/// --since (or at --changed-since's revision) has none of those, so their tables are new. Else
/// the migrations not on `upstream`, whose tables are new. Else every migration, as an empty
/// database (verify's own) sees them: each table new to the migrations after the one creating
/// it, so only the rules that hold for any table apply (a deployed history is not failed for
/// what it did to tables that were then new or are long gone).
LintStepRequest lint_request(const RevisionGraph& graph, const VerifyRequest& request,
                             const std::vector<bool>& walk) {
  LintStepRequest lint;
  lint.base = request.cwd;
  lint.context.runner_lock_timeout = request.runner_lock_timeout;
  lint.context.runner_statement_timeout = request.runner_statement_timeout;
  std::vector<bool> chosen(graph.size(), true);
  if (!request.since.empty() || request.changed_files) {
    chosen = walk;
  } else if (request.unreleased_files) {
    chosen = in_files(graph, *request.unreleased_files);
  } else {
    lint.note = fmt::format(
        "no upstream ({}) here: lint read every migration as a new database sees it, every "
        "table new, so the rules for existing tables did not apply (--changed-since names what "
        "is deployed)",
        request.upstream);
  }
  lint.branch.emplace();
  for (std::size_t i = 0; i < graph.size(); ++i) {
    if (chosen[i]) {
      lint.chosen.insert(i);
      lint.branch->insert(i);
    }
  }
  return lint;
}

/// A schema head's must equal (step 5): the `schema =` files, the `dump =` file, or what
/// `schema-command` makes.
struct DeclaredSchema {
  std::string name;  ///< "schema = schema/", "dump = schema.sql", "schema-command"
  std::string file;  ///< as messages show it; empty for a command
  SchemaSource source;
  std::string differs;  ///< what to say when head's schema is another one
};

/// Step 4 for one declared schema.
void compare_schema(const DeclaredSchema& declared, const std::optional<SchemaModel>& head,
                    DevDatabases& dev, const Config& config, VerifyReport& report) {
  auto add = [&](CheckStatus status, std::string message) -> VerifyCheck& {
    return report.add(VerifyStep::schema, declared.name, status, declared.file, std::move(message));
  };
  if (!head) {
    add(CheckStatus::skipped, "not compared: base -> head does not apply");
    return;
  }
  if (declared.source.kind == SchemaSource::Kind::files &&
      !std::filesystem::exists(declared.source.path)) {
    add(CheckStatus::failed, fmt::format("{} does not exist ({} in migrate.conf)", declared.file,
                                         declared.name.substr(0, declared.name.find(' '))));
    return;
  }
  SchemaModel expected;
  try {
    expected = load_schema_source(declared.source, dev, config);
  } catch (const ParseError& e) {  // a schema file's SQL, at its line
    add(CheckStatus::failed, "it does not load").details.emplace_back(e.what());
    return;
  } catch (const UsageError& e) {  // a folder with no .sql file
    add(CheckStatus::failed, "it does not load").details.emplace_back(e.what());
    return;
  } catch (const SchemaCommandOutputError& e) {
    add(CheckStatus::failed, "it does not load").details.emplace_back(e.what());
    return;
  } catch (const SchemaCommandFailed& e) {
    add(CheckStatus::failed, "it does not load").details.emplace_back(e.what());
    return;
  }
  std::vector<std::string> residue = schema_residue(*head, expected);
  if (residue.empty()) {
    add(CheckStatus::passed, "head's schema is this one");
    return;
  }
  add(CheckStatus::failed, declared.differs).details = std::move(residue);
}

/// The schemas migrate.conf declares, that head's must equal.
std::vector<DeclaredSchema> declared_schemas(const Config& config, const VerifyRequest& request) {
  std::vector<DeclaredSchema> declared;
  auto files = [&](std::string_view setting, const std::filesystem::path& path,
                   std::string differs) {
    std::string shown = display_path(path, request.cwd).string();
    SchemaSource source;
    source.kind = SchemaSource::Kind::files;
    source.text = shown;
    source.path = path;
    declared.push_back({fmt::format("{} = {}", setting, shown), shown, source,
                        fmt::format(fmt::runtime(differs), shown)});
  };
  if (!config.schema_path.empty()) {
    files("schema", config.schema_path,
          "head's schema is not {0}'s: `migrate create -m \"…\"` writes the migration that "
          "closes the difference");
  }
  if (!config.schema_command.empty()) {
    declared.push_back({"schema-command", "", command_source(config, config.root),
                        "head's schema is not the one schema-command makes: `migrate create -m "
                        "\"…\"` writes the migration that closes the difference"});
  }
  if (!config.dump_file.empty()) {
    files("dump", config.dump_file,
          "head's schema is not the dump in {0}: `migrate dump -o {0}` on a database at head "
          "writes it again");
  }
  return declared;
}

void skip_rest(VerifyReport& report, const std::string& why) {
  for (VerifyStep step :
       {VerifyStep::upgrade, VerifyStep::stairway, VerifyStep::schema, VerifyStep::data}) {
    report.add(step, std::string(verify_step_name(step)), CheckStatus::skipped, "",
               "not run: " + why);
  }
}

}  // namespace

VerifyReport verify_migrations(const VerifyRequest& request, DevDatabases& dev,
                               const Config& config) {
  VerifyReport report;
  report.engine = dev.engine();
  std::vector<DataTest> tests = read_data_tests(request.migrations_dir);
  std::string folder = request.migrations_dir.string();

  // 1. The graph.
  std::optional<RevisionGraph> loaded;
  try {
    loaded.emplace(request.read_migrations());
  } catch (const ConfigError&) {
    throw;  // no folder there: the configuration is wrong, not the migrations
  } catch (const Error& e) {
    report.add(VerifyStep::graph, folder, CheckStatus::failed, folder, "the migrations do not load")
        .details.emplace_back(e.what());
    skip_rest(report, "the migrations do not load");
    return report;
  }
  const RevisionGraph& graph = *loaded;
  check_graph(graph, request, report);
  std::vector<bool> walk_set = walked(graph, request, report);
  auto walk = [&walk_set, &graph](const Migration& m) {
    std::optional<std::size_t> index = graph.find(m.id);
    return index && walk_set[*index];
  };

  // 2. Lint.
  LintStepRequest lint = lint_request(graph, request, walk_set);
  lint.engine = dev.engine();
  lint.settings = config.lint;  // migrate.conf's [lint], as migrate-lint and the gate apply it
  lint.dev = &dev;
  lint_step(graph, lint, report);

  // 3. base -> head.
  MigrationSteps steps(graph, dev, schema_read_options(config.table));
  std::optional<SchemaModel> head;
  {
    std::unique_ptr<DevDatabase> database = steps.open();
    std::size_t count = steps.steps().size();
    try {
      steps.apply(database->connection(), 0, count);
      head = steps.snapshot(database->connection());
      report.add(
          VerifyStep::upgrade, "base -> head", CheckStatus::passed, "",
          fmt::format("{} step{} applied to an empty database", count, count == 1 ? "" : "s"));
    } catch (const Error& e) {
      report
          .add(VerifyStep::upgrade, "base -> head", CheckStatus::failed, "",
               "base -> head does not apply")
          .details.emplace_back(e.what());
    }
  }

  // 4. The stairway.
  walk_stairway(steps, walk, report);

  // 5. Head's schema against the declared ones.
  std::vector<DeclaredSchema> declared = declared_schemas(config, request);
  for (const DeclaredSchema& schema : declared) {
    compare_schema(schema, head, dev, config, report);
  }
  if (declared.empty()) {
    report.notes.push_back(
        "no `schema =`, `schema-command =` or `dump =` in migrate.conf: head's schema is "
        "compared with nothing");
  }

  // 6. The data tests.
  run_data_tests(graph, steps, tests, report);
  return report;
}

}  // namespace migrate
