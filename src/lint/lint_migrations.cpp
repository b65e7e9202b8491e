#include "lint/lint_migrations.hpp"

#include "graph/revision_graph.hpp"
#include "lint/linter.hpp"
#include "lint/suppression.hpp"
#include "util/error.hpp"
#include "util/file.hpp"
#include "util/text.hpp"

namespace migrate {

namespace {

/// The findings of one migration's up section, its suppressions applied. Only a chosen
/// migration's file is read: the others are linted for the tables they create.
std::vector<Finding> lint_migration(const Dialect& dialect, const Migration& migration,
                                    const LintRequest& request, Connection* database, bool chosen,
                                    LintContext& context) {
  const std::filesystem::path& file = up_file(migration);
  std::string shown = display_path(file, request.base).string();
  LintSection section{shown,
                      migration.up.sql,
                      migration.up.first_line,
                      migration.up.options.transaction,
                      migration.up.options.foreign_keys,
                      database};
  if (!chosen) {
    // Read for the tables it creates only: SQL the parser refuses is its own lint's to report
    // (a commit that does not touch it is not refused for it); its tables stay unknown, which
    // can only mean more findings, never fewer.
    try {
      lint_section(dialect, section, context);
    } catch (const ParseError&) {
    }
    return {};
  }
  std::vector<Finding> findings = lint_section(dialect, section, context);
  std::string text = request.read_text ? request.read_text(file) : read_file(file);
  return apply_suppressions(
      findings, read_suppressions(text, first_section_line(text, migration.up.first_line)), text,
      shown);
}

}  // namespace

const std::filesystem::path& up_file(const Migration& migration) {
  return migration.up.file.empty() ? migration.file.get() : migration.up.file.get();
}

std::vector<Finding> lint_migrations(const Dialect& dialect, const RevisionGraph& graph,
                                     const LintRequest& request) {
  LintContext context = request.context;
  // What the project's upgrades set, said in migrate.conf: as if given as flags.
  context.runner_lock_timeout |= request.settings.upgrade_sets_lock_timeout;
  context.runner_statement_timeout |= request.settings.upgrade_sets_statement_timeout;
  std::vector<Finding> findings;
  for (std::size_t i = 0; i < graph.size(); ++i) {
    // This branch's migrations are linted in order even when not chosen: the tables they
    // create are new to the chosen ones after them.
    bool on_branch = request.branch && request.branch->contains(i);
    if (!request.chosen.contains(i) && !on_branch) {
      const Migration& released = graph.at(i);
      note_partitioned_tables(
          dialect, {"", released.up.sql, released.up.first_line, released.up.options.transaction},
          context);
      continue;
    }
    Connection* database = request.database_before ? &request.database_before(i) : nullptr;
    // Only this branch's migrations make tables new for those after them: a table another
    // migration creates is deployed, so it is linted with a copy of what is known.
    LintContext alone = context;
    std::vector<Finding> found =
        lint_migration(dialect, graph.at(i), request, database, request.chosen.contains(i),
                       on_branch ? context : alone);
    if (!on_branch) {  // its new tables are not new to others, but partitioned they are
      context.partitioned_tables = alone.partitioned_tables;
    }
    findings.insert(findings.end(), found.begin(), found.end());
  }
  return apply_lint_settings(std::move(findings), request.settings);
}

}  // namespace migrate
