//===- migrate: the dispatcher --------------------------------------------===//
//
// `migrate X args…` runs `migrate-X args…`, like git runs git-X.
//
//===----------------------------------------------------------------------===//
#include <charconv>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "cli/completion.hpp"
#include "cli/dispatch.hpp"
#include "util/exit_code.hpp"

namespace {

/// `migrate __complete commands`: the command table (man pages, zsh's descriptions).
/// `migrate __complete words CWORD WORD…`: what may stand at CWORD (completion/'s scripts).
int complete(int argc, char** argv) {
  using migrate::ExitCode;
  std::string_view what = argc > 2 ? argv[2] : "";
  if (argc == 3 && what == "commands") {
    fmt::print("{}", migrate::command_table());
    return static_cast<int>(ExitCode::success);
  }
  std::size_t cword = 0;
  std::string_view number = argc > 3 ? argv[3] : "";
  auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), cword);
  if (what != "words" || argc < 5 || error != std::errc() || end != number.data() + number.size()) {
    fmt::print(stderr,
               "migrate: error: usage: migrate __complete commands | words CWORD WORD...\n");
    return static_cast<int>(ExitCode::bad_input);
  }
  std::vector<std::string> words(argv + 4, argv + argc);
  for (const std::string& word :
       migrate::completions(words, cword, std::filesystem::current_path())) {
    fmt::print("{}\n", word);
  }
  return static_cast<int>(ExitCode::success);
}

}  // namespace

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
    return complete(argc, argv);
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
