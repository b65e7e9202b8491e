#include "util/executable.hpp"

namespace migrate {

std::filesystem::path executable_folder() {
  std::error_code error;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? std::filesystem::path() : self.parent_path();
}

}  // namespace migrate
