#include "support/processes.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace migrate::test {

std::vector<pid_t> processes_where(const std::function<bool(const std::string&)>& wanted) {
  std::vector<pid_t> found;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) {
      continue;
    }
    std::ifstream file(entry.path() / "cmdline");
    std::string cmdline((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
    if (!cmdline.empty() && wanted(cmdline)) {
      found.push_back(std::stoi(name));
    }
  }
  return found;
}

}  // namespace migrate::test
