#include "util/shared_path.hpp"

#include <ostream>

namespace migrate {

SharedPath::SharedPath(std::filesystem::path path) {
  auto shared = std::make_shared<Shared>();
  shared->text = path.native();
  shared->path = std::move(path);
  shared->split.store(true, std::memory_order_relaxed);  // published with m_shared itself
  m_shared = std::move(shared);
}

SharedPath::SharedPath(std::string text) {
  auto shared = std::make_shared<Shared>();
  shared->text = std::move(text);
  m_shared = std::move(shared);
}

const std::filesystem::path& SharedPath::get() const {
  if (!m_shared) {
    return empty_path();
  }
  const Shared& shared = *m_shared;
  if (!shared.split.load(std::memory_order_acquire)) {
    std::lock_guard<std::mutex> hold(shared.splitting);
    if (!shared.split.load(std::memory_order_relaxed)) {
      shared.path = shared.text;
      shared.split.store(true, std::memory_order_release);
    }
  }
  return shared.path;
}

std::ostream& operator<<(std::ostream& out, const SharedPath& path) {
  return out << path.get();
}

const std::filesystem::path& SharedPath::empty_path() {
  static const std::filesystem::path empty;
  return empty;
}

const std::string& SharedPath::empty_text() {
  static const std::string empty;
  return empty;
}

}  // namespace migrate
