#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <set>
#include <vector>

#include "lint/finding.hpp"
#include "lint/lint_context.hpp"
#include "lint/lint_settings.hpp"

namespace migrate {

class Connection;
class Dialect;
class RevisionGraph;
struct Migration;

/// A migration file's text, by its path as the graph has it (Migration::file, Section::file):
/// where its suppressions are read.
using MigrationText = std::function<std::string(const std::filesystem::path& file)>;

/// Which migrations of a graph to lint, and what migrate knows around them.
struct LintRequest {
  std::set<std::size_t> chosen;  ///< the migrations whose findings are wanted
  /// The migrations not yet on `upstream`: the tables they create are new to those after them
  /// (they are read for that even when not chosen). nullopt when unknown (no git, no upstream).
  std::optional<std::set<std::size_t>> branch;
  LintContext context;         ///< the runner's timeouts, the server's version
  std::filesystem::path base;  ///< files are named relative to it (the working directory)
  /// Where the engine has no parse tree (SQLite): a development database holding the schema
  /// of migration i's ancestors, on which the linter then runs i's up section (LintSection::
  /// database). Called in graph order, for each migration linted. Empty: SQLite's sections
  /// give no findings.
  std::function<Connection&(std::size_t)> database_before;
  LintSettings settings;  ///< migrate.conf's lint.disable and lint.severity.<rule>
  /// Where the chosen migrations' texts come from: unset, the files on disk; the gate's staged
  /// check gives the index's blobs, so what is linted is what would be committed.
  MigrationText read_text;
};

/// The file a migration's up section is read from (a golang-migrate pair's .up.sql).
const std::filesystem::path& up_file(const Migration& migration);

/// The findings of the chosen migrations' up sections, in graph order, their suppressions and
/// the project's settings applied. Throws ParseError at the line of SQL the engine's parser
/// refuses in a chosen migration (one read only for its tables is passed over), IoError when a
/// file cannot be read.
std::vector<Finding> lint_migrations(const Dialect& dialect, const RevisionGraph& graph,
                                     const LintRequest& request);

}  // namespace migrate
