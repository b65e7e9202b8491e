#include "support/processes.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace migrate::test {

std::vector<pid_t> processes_mentioning(const std::string& text) {
  std::vector<pid_t> found;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) {
      continue;
    }
    std::ifstream file(entry.path() / "cmdline");
    std::string cmdline((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
    if (cmdline.find(text) != std::string::npos && cmdline.find("postgres") != std::string::npos) {
      found.push_back(std::stoi(name));
    }
  }
  return found;
}

void let_cluster_owner_in(const TempDir& tmp) {
  std::filesystem::permissions(
      tmp.path(), std::filesystem::perms::others_exec | std::filesystem::perms::group_exec,
      std::filesystem::perm_options::add);
}

}  // namespace migrate::test
