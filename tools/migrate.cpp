//===- migrate: the dispatcher --------------------------------------------===//
//
// `migrate X args…` runs `migrate-X args…`, like git runs git-X.
//
//===----------------------------------------------------------------------===//
#include <string_view>

#include <fmt/format.h>

#include "cli/dispatch.hpp"
#include "util/exit_code.hpp"

int main(int argc, char** argv) {
  using migrate::ExitCode;
  if (argc < 2) {
    fmt::print(stderr, "{}", migrate::dispatcher_help());
    return static_cast<int>(ExitCode::bad_input);
  }
  std::string command = argv[1];
  if (command == "--help" || command == "-h" || command == "help") {
    if (command == "help" && argc > 2) {
      return fmt::print(stderr, "{}", migrate::exec_command(argv[2], {"--help"})),
             static_cast<int>(ExitCode::bad_input);
    }
    fmt::print("{}", migrate::dispatcher_help());
    return static_cast<int>(ExitCode::success);
  }
  if (command == "__complete") {  // hidden: what shell completion and the man pages read
    if (argc == 3 && std::string_view(argv[2]) == "commands") {
      fmt::print("{}", migrate::command_table());
      return static_cast<int>(ExitCode::success);
    }
    fmt::print(stderr, "migrate: error: usage: migrate __complete commands\n");
    return static_cast<int>(ExitCode::bad_input);
  }
  if (command == "--version") {
    fmt::print("migrate 0.1.0\n");
    return static_cast<int>(ExitCode::success);
  }
  if (command.starts_with("-")) {
    fmt::print(stderr,
               "migrate: error: unknown option '{}'; the command comes first: migrate "
               "<command> [flags]\n",
               command);
    return static_cast<int>(ExitCode::bad_input);
  }
  std::string failure = migrate::exec_command(command, {argv + 2, argv + argc});
  fmt::print(stderr, "migrate: error: {}\n", failure);
  return static_cast<int>(ExitCode::bad_input);
}
