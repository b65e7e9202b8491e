#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <set>
#include <vector>

#include "lint/finding.hpp"
#include "lint/lint_context.hpp"

namespace migrate {

class Connection;
class Dialect;
class RevisionGraph;
struct Migration;

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
};

/// The file a migration's up section is read from (a golang-migrate pair's .up.sql).
const std::filesystem::path& up_file(const Migration& migration);

/// The findings of the chosen migrations' up sections, in graph order, their suppressions
/// applied. Throws ParseError at the line of SQL the engine's parser refuses, IoError when a
/// file cannot be read.
std::vector<Finding> lint_migrations(const Dialect& dialect, const RevisionGraph& graph,
                                     const LintRequest& request);

}  // namespace migrate
