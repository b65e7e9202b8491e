#include "cli/dispatch.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "util/executable.hpp"

namespace migrate {

namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) {
    row[j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

const std::vector<CommandInfo>& known_commands() {
  static const std::vector<CommandInfo> commands = {
      {"create", "write a new migration file (id from the clock, depends on the head)"},
      {"upgrade", "apply pending migrations up to a target (default: head)"},
      {"downgrade", "revert applied migrations down to a target (default -1; an id, base)"},
      {"redo", "revert edited migrations (else the last) with their stored down, apply again"},
      {"current", "where the database is: applied head, pending, orphans, changed"},
      {"history", "every migration, applied or pending, newest first"},
      {"merge", "join several heads with a merge migration"},
      {"squash", "replace a stretch of migrations by one"},
      {"graph", "the migration graph as DOT, SVG or PNG"},
      {"hooks", "install, remove or inspect migrate's git hooks"},
      {"check", "the pre-commit gate: models without a migration, edited shared ones"},
      {"renumber", "after a rebase/merge: this branch's migrations after upstream's"},
      {"web", "the history page in a browser: migrations, SQL, graph, environments"},
      {"adopt", "record what another tool (dbmate, Flyway, …) applied to this database"},
      {"dump", "the database's schema as canonical SQL (or --json), from its catalog"},
      {"diff", "the migration between two schemas (URL, migrations@rev, schema files), tested"},
      {"verify", "for CI: graph, base -> head, each down and up again, schema, data tests"},
      {"lint", "zero-downtime rules on this branch's migrations (PostgreSQL)"},
  };
  return commands;
}

const std::vector<CommandAlias>& command_aliases() {
  static const std::vector<CommandAlias> aliases = {
      {"new", "create", "", "dbmate, Rails"},
      {"status", "current", "", "dbmate, Rails, goose"},
      {"up", "upgrade", "", "dbmate, golang-migrate, goose"},
      {"down", "downgrade", "", "dbmate, golang-migrate, goose: one step by default"},
      {"rollback", "downgrade", "", "dbmate, Rails: one step by default"},
      {"stamp", "upgrade", "--fake", "Alembic: record without running"},
  };
  return aliases;
}

namespace {

/// "upgrade --fake": the command an alias runs, with its flag.
std::string what_alias_runs(const CommandAlias& alias) {
  return *alias.flag ? fmt::format("{} {}", alias.command, alias.flag) : alias.command;
}

}  // namespace

const CommandAlias* find_alias(std::string_view name) {
  const std::vector<CommandAlias>& aliases = command_aliases();
  auto alias = std::find_if(aliases.begin(), aliases.end(),
                            [&](const CommandAlias& a) { return name == a.name; });
  return alias == aliases.end() ? nullptr : &*alias;
}

std::string command_program(const std::string& command) {
  std::filesystem::path beside = executable_folder() / ("migrate-" + command);
  bool there = !executable_folder().empty() && ::access(beside.c_str(), X_OK) == 0;
  return there ? beside.string() : "migrate-" + command;
}

std::string dispatcher_help() {
  std::string help =
      "migrate: git-integrated SQL schema migrations.\n\n"
      "Usage: migrate <command> [arguments]   (runs migrate-<command>)\n\nCommands:\n";
  for (const CommandInfo& command : known_commands()) {
    help += fmt::format("  {:<11}{}\n", command.name, command.summary);
  }
  help += "\nAliases, for habits from other tools:\n";
  for (const CommandAlias& alias : command_aliases()) {
    std::string runs = what_alias_runs(alias);
    help += fmt::format("  {:<11}= {:<16}({})\n", alias.name, runs, alias.from);
  }
  help += "\n'migrate <command> --help' shows a command's flags.\n";
  return help;
}

std::string command_table() {
  std::string table;
  for (const CommandInfo& command : known_commands()) {
    table += fmt::format("{}\t{}\n", command.name, command.summary);
  }
  for (const CommandAlias& alias : command_aliases()) {
    std::string runs = what_alias_runs(alias);
    table += fmt::format("{}\t= {} ({})\n", alias.name, runs, alias.from);
  }
  return table;
}

std::vector<std::string> similar_commands(std::string_view name) {
  std::vector<std::string> similar;
  auto consider = [&](std::string_view candidate) {
    if (edit_distance(name, candidate) <= 2 || (!name.empty() && candidate.starts_with(name))) {
      similar.emplace_back(candidate);
    }
  };
  for (const CommandInfo& command : known_commands()) {
    consider(command.name);
  }
  for (const CommandAlias& alias : command_aliases()) {
    consider(alias.name);
  }
  return similar;
}

std::string exec_command(const std::string& command, const std::vector<std::string>& arguments) {
  const CommandAlias* alias = find_alias(command);
  std::string runs = alias != nullptr ? alias->command : command;
  std::string program = "migrate-" + runs;  // argv[0], however it is found
  std::string path = command_program(runs);
  std::vector<char*> argv;
  argv.push_back(program.data());
  // The tool hears which alias ran it (a hidden flag): some habits differ from migrate's own
  // meaning, and it says so rather than guess.
  std::string alias_flag = alias != nullptr ? fmt::format("--alias={}", alias->name) : "";
  std::string flag = alias != nullptr ? alias->flag : "";
  for (std::string* extra : {&alias_flag, &flag}) {
    if (!extra->empty()) {
      argv.push_back(extra->data());
    }
  }
  for (const std::string& argument : arguments) {
    argv.push_back(const_cast<char*>(argument.c_str()));
  }
  argv.push_back(nullptr);
  if (path != program) {  // the one beside this executable
    ::execv(path.c_str(), argv.data());
    return fmt::format("cannot run {}: {}", path, std::strerror(errno));
  }
  ::execvp(program.c_str(), argv.data());
  if (errno != ENOENT) {
    return fmt::format("cannot run {}: {}", program, std::strerror(errno));
  }
  std::string message =
      fmt::format("'{}' is not a migrate command. See 'migrate --help'.", command);
  std::vector<std::string> similar = similar_commands(command);
  if (!similar.empty()) {
    message += fmt::format("\nDid you mean: {}?", fmt::join(similar, ", "));
  }
  return message;
}

}  // namespace migrate
