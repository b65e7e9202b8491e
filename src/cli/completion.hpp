#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace migrate {

/// What `migrate __complete words CWORD WORD…` answers for the shell completion scripts
/// (completion/): the words that may stand at position `cword` of `words` (the command line as
/// the shell split it, the program first: `migrate` or a `migrate-<verb>` tool), for the shell
/// to filter by what is typed there. The scripts stay thin; everything is decided here:
/// - after `migrate`: every command and alias;
/// - after a flag that takes a value: for --env, the environments of migrate.conf; for a flag
///   with choices (--lock-mode), those; nothing for the others (the shell offers files);
/// - a word starting with '-': the tool's flags (`migrate-<verb> __complete-flags`), and after
///   a subcommand (`migrate hooks install -`) the subcommand's too;
/// - otherwise, for a command that takes revisions: head, heads, base, and every migration's id
///   and file stem in the migrations folder (names only: no file is read); for a command with
///   subcommands (hooks), those, until one is typed.
/// Nothing the project holds is ever an error here: what cannot be read is not offered.
std::vector<std::string> completions(const std::vector<std::string>& words, std::size_t cword,
                                     const std::filesystem::path& cwd);

}  // namespace migrate
