#include "cli/completion.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <string_view>

#include "cli/dispatch.hpp"
#include "config/config_file.hpp"
#include "migration/migration_parser.hpp"
#include "util/error.hpp"
#include "util/subprocess.hpp"
#include "util/text.hpp"

namespace migrate {

namespace {

/// The commands that take revisions as arguments.
constexpr std::string_view kRevisionCommands[] = {"upgrade", "downgrade", "redo", "squash"};

/// The program a command line runs, as typed: `migrate` or `migrate-<verb>`, without a folder.
std::string program_of(const std::vector<std::string>& words) {
  return words.empty() ? "" : std::filesystem::path(words[0]).filename().string();
}

/// Where the command's own words start: after `migrate <verb>`, or after `migrate-<verb>`.
std::size_t first_argument(const std::vector<std::string>& words) {
  return program_of(words).starts_with("migrate-") ? 1 : 2;
}

/// The command a command line runs: `migrate-upgrade …`, or `migrate upgrade …` (an alias read
/// as its command); empty when there is none yet.
std::string command_of(const std::vector<std::string>& words) {
  std::string program = program_of(words);
  std::string verb = program.starts_with("migrate-") ? program.substr(8)
                     : words.size() > 1              ? words[1]
                                                     : "";
  const CommandAlias* alias = find_alias(verb);
  return alias != nullptr ? alias->command : verb;
}

bool known_command(const std::string& command) {
  const std::vector<CommandInfo>& commands = known_commands();
  return std::any_of(commands.begin(), commands.end(),
                     [&](const CommandInfo& known) { return command == known.name; });
}

/// What a tool can be given, from `migrate-<verb> __complete-flags [SUBCOMMAND]`: its flags,
/// each with its value's type name ("" for a flag that takes none), and its subcommands (or,
/// given one, that subcommand's flags too).
struct ToolWords {
  std::map<std::string, std::string> flags;
  std::vector<std::string> subcommands;
};

/// What `command`'s tool can be given. Only a command migrate has: a word typed at the prompt
/// never names what is run.
ToolWords words_of(const std::string& command, const std::string& subcommand = "") {
  ToolWords words;
  if (!known_command(command)) {
    return words;
  }
  std::vector<std::string> argv = {command_program(command), "__complete-flags"};
  if (!subcommand.empty()) {
    argv.push_back(subcommand);
  }
  try {
    ChildResult listed = run_child(argv, {}, /*keep_output=*/true);
    if (listed.exit_code != 0) {
      return words;
    }
    for (const Line& line : split_lines(listed.out)) {
      std::size_t tab = line.text.find('\t');
      std::string name(line.text.substr(0, tab));
      if (!name.starts_with("-")) {
        words.subcommands.push_back(name);
      } else {
        words.flags[name] =
            tab == std::string_view::npos ? "" : std::string(line.text.substr(tab + 1));
      }
    }
  } catch (const Error&) {  // no such tool
  }
  return words;
}

/// The subcommand typed before position `cword` (`migrate hooks install …`): the first word
/// after the command that is neither a flag nor a flag's value; empty when there is none. bash
/// splits "--dir=x" and "sqlite:x" into three words: the word after '=' or ':' goes with the one
/// before it.
std::string subcommand_of(const std::vector<std::string>& words, std::size_t cword,
                          const ToolWords& tool) {
  for (std::size_t i = first_argument(words); i < cword && i < words.size(); ++i) {
    if (words[i] == "=" || words[i] == ":") {
      ++i;  // and the word after it
      continue;
    }
    auto flag = tool.flags.find(words[i]);
    bool value_after_equals = i + 1 < cword && i + 1 < words.size() && words[i + 1] == "=";
    if (flag != tool.flags.end()) {
      i += flag->second.empty() || value_after_equals ? 0 : 1;  // its value
    } else if (std::find(tool.subcommands.begin(), tool.subcommands.end(), words[i]) !=
               tool.subcommands.end()) {
      return words[i];
    }
  }
  return "";
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

/// migrate.conf above `cwd`, read as it is: no environment chosen, no ${VARIABLE} expanded,
/// so a setting the shell lacks (MIGRATE_ENV naming another project's environment) hides
/// nothing completion needs.
std::optional<ConfigFile> config_file(const std::filesystem::path& cwd) {
  try {
    std::optional<std::filesystem::path> found = find_config_file(cwd);
    return found ? std::optional<ConfigFile>(ConfigFile::read(*found)) : std::nullopt;
  } catch (const Error&) {
    return std::nullopt;
  }
}

std::vector<std::string> environments(const std::filesystem::path& cwd) {
  std::optional<ConfigFile> file = config_file(cwd);
  return file ? file->environments() : std::vector<std::string>{};
}

/// The migrations folder: `dir` of migrate.conf's folder, else migrations/ here.
std::filesystem::path migrations_folder(const std::filesystem::path& cwd) {
  std::optional<ConfigFile> file = config_file(cwd);
  if (!file) {
    return cwd / "migrations";
  }
  return file->path().parent_path() / file->get("migrate.dir").value_or("migrations");
}

/// head, heads, base, then each migration's id and stem, from the folder's file names.
std::vector<std::string> revisions(const std::filesystem::path& cwd) {
  const std::vector<std::string> keywords = {"head", "heads", "base"};
  std::vector<std::string> found;
  std::error_code error;
  std::filesystem::directory_iterator entry(migrations_folder(cwd), error);
  for (; !error && entry != std::filesystem::directory_iterator(); entry.increment(error)) {
    try {
      if (std::optional<MigrationFileName> name = parse_file_name(entry->path())) {
        found.push_back(name->id.text());
        found.push_back(name->stem());
      }
    } catch (const ParseError&) {  // not one of ours: not offered
    }
  }
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  found.insert(found.begin(), keywords.begin(), keywords.end());
  return found;
}

}  // namespace

std::vector<std::string> completions(const std::vector<std::string>& words, std::size_t cword,
                                     const std::filesystem::path& cwd) {
  if (cword == 0 || cword > words.size()) {
    return {};
  }
  if (program_of(words) == "migrate" && cword == 1) {
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
  // bash splits "--lock-mode=t" and "sqlite:x" at '=' and ':' (COMP_WORDBREAKS), zsh keeps
  // "--lock-mode=t" whole: a value after '=' belongs to the flag before it; after ':' (a URL, a
  // path) nothing is offered, and the shell offers files.
  if (previous == ":" || current.find(':') != std::string_view::npos) {
    return {};
  }
  std::string written_with;  // "--lock-mode=" when the value is typed in the flag's word
  if (previous == "=" && cword >= 2) {
    previous = words[cword - 2];
  } else if (std::size_t equals = current.find('=');
             current.starts_with("--") && equals != std::string_view::npos) {
    written_with = current.substr(0, equals + 1);
    previous = current.substr(0, equals);
    current = current.substr(equals + 1);
  }
  bool takes_revisions = std::find(std::begin(kRevisionCommands), std::end(kRevisionCommands),
                                   command) != std::end(kRevisionCommands);
  if (takes_revisions && !previous.starts_with("--") && !current.starts_with("-")) {
    return revisions(cwd);  // no tool to ask
  }
  ToolWords tool = words_of(command);
  std::string subcommand = subcommand_of(words, cword, tool);
  if (!subcommand.empty()) {
    tool = words_of(command, subcommand);
  }
  if (previous.starts_with("--") || current.starts_with("-")) {
    const std::map<std::string, std::string>& flags = tool.flags;
    auto flag = flags.find(std::string(previous));
    if (flag != flags.end() && !flag->second.empty()) {  // a flag's value
      std::vector<std::string> values =
          previous == "--env" ? environments(cwd) : choices_of(flag->second);
      for (std::string& value : values) {
        value = written_with + value;
      }
      return values;
    }
    if (current.starts_with("-")) {
      std::vector<std::string> names;
      for (const auto& [name, type] : flags) {
        names.push_back(name);
      }
      return names;
    }
  }
  if (takes_revisions) {
    return revisions(cwd);
  }
  return subcommand.empty() ? tool.subcommands : std::vector<std::string>{};
}

}  // namespace migrate
