#pragma once

#include <filesystem>
#include <string>

#include "config/config.hpp"
#include "util/kept_until_exit.hpp"

namespace migrate {

class Clock;
class Console;
class Environment;

/// Everything a command needs from its surroundings, passed in (no globals), so every command
/// can run against a test's temp folder, clock and environment.
struct Context {
  Config config;
  Console& console;
  const Clock& clock;
  const Environment& environment;
  std::filesystem::path cwd;
  bool json = false;  ///< --json on the read commands
  /// The alias the dispatcher ran the tool as (`migrate down` → "down"), empty otherwise: where
  /// another tool's habit means something else, the command refuses to guess.
  std::string alias;
  /// What the command leaves to the process's end (a read command's graph): the tool then
  /// ends without freeing it.
  KeptUntilExit kept;
};

}  // namespace migrate
