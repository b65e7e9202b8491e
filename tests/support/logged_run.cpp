#include "support/logged_run.hpp"

#include <chrono>
#include <thread>

#include "support/temp_dir.hpp"

namespace migrate::test {

LoggedRun start_logged(const Project& project, std::string_view tool,
                       const std::vector<std::string>& args, std::string_view name) {
  std::filesystem::path out = project.root() / (std::string(name) + ".out");
  std::filesystem::path err = project.root() / (std::string(name) + ".err");
  std::vector<std::string> argv{"sh", "-c", "exec \"$0\" \"$@\" >\"$OUT\" 2>\"$ERR\"",
                                tool_path(tool).string()};
  argv.insert(argv.end(), args.begin(), args.end());
  RunningProcess process = start_process(
      argv, {.cwd = project.root(), .env = {{"OUT", out.string()}, {"ERR", err.string()}}});
  return {std::move(process), out, err};
}

bool eventually(const std::function<bool()>& done, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

bool wait_for_text(const std::filesystem::path& file, std::string_view text) {
  return eventually([&] {
    return std::filesystem::exists(file) && read_text(file).find(text) != std::string::npos;
  });
}

}  // namespace migrate::test
