#include "cli/completion.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <string_view>

#include "cli/dispatch.hpp"
#include "config/config.hpp"
#include "config/config_file.hpp"
#include "config/environment.hpp"
#include "migration/migration_parser.hpp"
#include "util/error.hpp"
#include "util/executable.hpp"
#include "util/subprocess.hpp"
#include "util/text.hpp"

namespace migrate {

namespace {

/// The commands that take revisions as arguments.
constexpr std::string_view kRevisionCommands[] = {"upgrade", "downgrade", "redo", "squash"};

/// The command a command line runs: `migrate-upgrade …`, or `migrate upgrade …` (an alias read
/// as its command); empty when there is none yet.
std::string command_of(const std::vector<std::string>& words) {
  std::string program = words.empty() ? "" : std::filesystem::path(words[0]).filename().string();
  std::string verb = program.starts_with("migrate-") ? program.substr(8)
                     : words.size() > 1              ? words[1]
                                                     : "";
  for (const CommandAlias& alias : command_aliases()) {
    if (verb == alias.name) {
      return alias.command;
    }
  }
  return verb;
}

/// The tool's flags, each with its value's type name ("" for a flag that takes none).
std::map<std::string, std::string> flags_of(const std::string& command) {
  std::filesystem::path beside = executable_folder() / ("migrate-" + command);
  std::string program = std::filesystem::exists(beside) ? beside.string() : "migrate-" + command;
  std::map<std::string, std::string> flags;
  try {
    ChildResult listed = run_child({program, "__complete-flags"}, {}, /*keep_output=*/true);
    if (listed.exit_code != 0) {
      return flags;
    }
    for (const Line& line : split_lines(listed.out)) {
      std::size_t tab = line.text.find('\t');
      flags[std::string(line.text.substr(0, tab))] =
          tab == std::string_view::npos ? "" : std::string(line.text.substr(tab + 1));
    }
  } catch (const Error&) {  // no such tool
  }
  return flags;
}

/// The choices of a value type CLI11 writes as "TEXT:{a,b}"; none for any other.
std::vector<std::string> choices_of(std::string_view type) {
  std::size_t open = type.find('{');
  std::size_t close = type.rfind('}');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) {
    return {};
  }
  std::vector<std::string> choices;
  for (std::string_view choice : split_words(type.substr(open + 1, close - open - 1), true)) {
    choices.emplace_back(choice);
  }
  return choices;
}

std::optional<Config> project_config(const std::filesystem::path& cwd) {
  try {
    ProcessEnvironment environment;
    return load_config({}, environment, cwd);
  } catch (const Error&) {
    return std::nullopt;
  }
}

std::vector<std::string> environments(const std::filesystem::path& cwd) {
  std::optional<Config> config = project_config(cwd);
  if (!config || config->file.empty()) {
    return {};
  }
  try {
    return ConfigFile::read(config->file).environments();
  } catch (const Error&) {
    return {};
  }
}

/// head, heads, base, and each migration's id and stem, from the folder's file names.
std::vector<std::string> revisions(const std::filesystem::path& cwd) {
  std::vector<std::string> found = {"head", "heads", "base"};
  std::optional<Config> config = project_config(cwd);
  std::error_code error;
  if (!config) {
    return found;
  }
  for (const auto& entry : std::filesystem::directory_iterator(config->migrations_dir, error)) {
    try {
      std::optional<MigrationFileName> name = parse_file_name(entry.path());
      if (name) {
        found.push_back(name->id.text());
        found.push_back(name->stem());
      }
    } catch (const ParseError&) {  // not one of ours: not offered
    }
  }
  std::sort(found.begin() + 3, found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  return found;
}

}  // namespace

std::vector<std::string> completions(const std::vector<std::string>& words, std::size_t cword,
                                     const std::filesystem::path& cwd) {
  if (cword == 0 || cword > words.size()) {
    return {};
  }
  std::string program = std::filesystem::path(words[0]).filename().string();
  if (program == "migrate" && cword == 1) {
    std::vector<std::string> names;
    for (const CommandInfo& command : known_commands()) {
      names.emplace_back(command.name);
    }
    for (const CommandAlias& alias : command_aliases()) {
      names.emplace_back(alias.name);
    }
    return names;
  }
  std::string command = command_of(words);
  std::string_view current = cword < words.size() ? std::string_view(words[cword]) : "";
  std::string_view previous = words[cword - 1];
  if (previous.starts_with("--") || current.starts_with("-")) {
    std::map<std::string, std::string> flags = flags_of(command);
    auto flag = flags.find(std::string(previous));
    if (flag != flags.end() && !flag->second.empty()) {  // a flag's value
      return previous == "--env" ? environments(cwd) : choices_of(flag->second);
    }
    if (current.starts_with("-")) {
      std::vector<std::string> names;
      for (const auto& [name, type] : flags) {
        names.push_back(name);
      }
      return names;
    }
  }
  bool takes_revisions = std::find(std::begin(kRevisionCommands), std::end(kRevisionCommands),
                                   command) != std::end(kRevisionCommands);
  return takes_revisions ? revisions(cwd) : std::vector<std::string>{};
}

}  // namespace migrate
