#include "util/shared_path.hpp"

#include <ostream>

namespace migrate {

std::ostream& operator<<(std::ostream& out, const SharedPath& path) {
  return out << path.get();
}

const std::filesystem::path& SharedPath::empty_path() {
  static const std::filesystem::path empty;
  return empty;
}

}  // namespace migrate
