#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "support/run_tool.hpp"

namespace migrate::test {

/// What a tool showed on a terminal (stdout and stderr together, with what was typed echoed, as
/// a person sees it) and how it ended.
struct TerminalResult {
  int exit_code = -1;
  std::string screen;
};

/// Runs `tool` with a pseudo-terminal as its stdin, stdout and stderr, as from a person's shell,
/// and types the next of `answers` (and Enter) each time a "[y/N] " question shows; an empty
/// line once they run out. Gives up after a minute (exit code -1).
TerminalResult run_in_terminal(std::string_view tool, const std::vector<std::string>& args,
                               const RunOptions& options, const std::vector<std::string>& answers);

}  // namespace migrate::test
