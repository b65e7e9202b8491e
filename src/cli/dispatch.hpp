#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace migrate {

/// A command `migrate X` runs as the executable `migrate-X` (as `git foo` runs `git-foo`).
struct CommandInfo {
  const char* name;
  const char* summary;
};

/// The commands this build has, for `migrate --help`.
const std::vector<CommandInfo>& known_commands();

/// A verb other tools taught users (`migrate new`, `migrate up`, `migrate stamp`): it runs a
/// migrate command, with a flag first when the habit means one (stamp = upgrade --fake).
struct CommandAlias {
  const char* name;
  const char* command;
  const char* flag;  ///< empty when the alias adds none
  const char* from;  ///< whose habit it is, for --help
};

/// Every alias, for `migrate --help`.
const std::vector<CommandAlias>& command_aliases();

/// The alias called `name`; null when there is none.
const CommandAlias* find_alias(std::string_view name);

/// The executable of `migrate-<command>`: the one beside this executable when it is there,
/// else the bare name, for PATH to find.
std::string command_program(const std::string& command);

/// `migrate --help`.
std::string dispatcher_help();

/// `migrate __complete commands`, hidden, for shell completion and the man pages: a line per
/// command, "<name>\t<summary>", then per alias, "<name>\t= <command> (<whose habit>)".
std::string command_table();

/// The closest known command names to a mistyped one ("upgarde" -> "upgrade").
std::vector<std::string> similar_commands(std::string_view name);

/// Replaces this process with `migrate-<command>` (an alias runs the command it stands for): the
/// one beside this executable, else the one on PATH. Returns only on failure, with the message to
/// print (exit 2 when the command is unknown).
std::string exec_command(const std::string& command, const std::vector<std::string>& arguments);

}  // namespace migrate
