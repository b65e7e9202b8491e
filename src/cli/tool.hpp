#pragma once

#include <chrono>
#include <functional>
#include <string>

#include <CLI/CLI.hpp>

#include "commands/plan_runner.hpp"
#include "config/config.hpp"
#include "util/exit_code.hpp"
#include "util/malloc_tuning.hpp"

namespace migrate {

class Console;
struct Context;

/// The flags every tool takes.
struct CommonOptions {
  ConfigOverrides config;
  bool json = false;
  bool quiet = false;
  bool verbose = false;
  bool no_color = false;
  std::string alias;  ///< the dispatcher's alias that ran the tool (hidden --alias)
};

/// The one shape of every migrate-* main (as LLVM's tools): the main binds its own flags to
/// app(), then run() parses, loads the configuration, calls the command and turns every error
/// into its message and exit code (DESIGN.md: 0 ok, 1 failed while running, 2 bad input,
/// 3 a check did not pass). CLI11's own exit codes never leak out.
class Tool {
 public:
  /// `json`: the tool offers --json. `heap`: what its heap is set for (util/malloc_tuning).
  Tool(std::string name, std::string description, bool json = false, HeapUse heap = HeapUse::lean);

  CLI::App& app() { return m_app; }
  int run(int argc, char** argv, const std::function<ExitCode(Context&)>& command);

 private:
  /// Prints a failure: the message on stderr and, with --json, a JSON error object on stdout.
  int fail(Console& console, const std::string& message, ExitCode code) const;

  std::string m_name;
  CLI::App m_app;
  CommonOptions m_common;
};

/// --sql, --dry-run, --fake, --single-transaction, --lock-timeout: shared by upgrade and
/// downgrade.
void add_run_options(CLI::App& app, RunOptions& options, bool with_single_transaction);

/// A duration flag (60s, 500ms, 2m, or seconds) stored through `store`, with a message of ours
/// for a bad value (CLI11's own would print its range as a 300-digit number).
CLI::Option* add_duration(CLI::App& app, const std::string& name, const std::string& help,
                          std::function<void(std::chrono::milliseconds)> store);

/// The exit-code table printed at the end of every --help.
extern const char* const kExitCodesHelp;

}  // namespace migrate
