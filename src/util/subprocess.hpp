#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migrate {

/// How a child process ended, and what it wrote to stderr (for the error message).
struct ChildResult {
  int exit_code = -1;  ///< 128 + signal when it was killed
  std::string err;
  std::string out;  ///< with `keep_output` only
};

/// Runs a program found on PATH (or at the path argv[0] names), with `env` added to this
/// process's environment, stdin on /dev/null, stdout there too unless `keep_output`, and no
/// signal blocked, and waits for it (pg_dump for --backup). Throws IoError when it cannot
/// start.
ChildResult run_child(const std::vector<std::string>& argv,
                      const std::map<std::string, std::string>& env = {}, bool keep_output = false);

/// Whether run_child would find the program `name` on PATH (an executable file there).
bool program_on_path(std::string_view name);
/// Where run_child would find it: the first executable file `name` in PATH's folders.
std::optional<std::filesystem::path> find_on_path(std::string_view name);

}  // namespace migrate
