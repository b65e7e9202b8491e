#include "util/temp_folder.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string>

#include <fmt/format.h>

#include "util/error.hpp"

namespace migrate {

namespace {

constexpr const char* kLockName = ".lock";

/// Removes the folders `<prefix>-*` in `parent` that no live process holds: their lock is free
/// (or was never made), and nothing changed in them for a minute (one younger may be another
/// process's, made but not locked yet).
void remove_left_behind(const std::filesystem::path& parent, std::string_view prefix) {
  std::error_code error;
  auto now = std::filesystem::file_time_type::clock::now();
  std::string start = std::string(prefix) + "-";
  for (const auto& entry : std::filesystem::directory_iterator(parent, error)) {
    std::error_code ignored;
    if (!entry.path().filename().string().starts_with(start) || !entry.is_directory(ignored)) {
      continue;
    }
    auto modified = std::filesystem::last_write_time(entry.path(), ignored);
    if (ignored || now - modified < std::chrono::minutes(1)) {
      continue;
    }
    int lock = ::open((entry.path() / kLockName).c_str(), O_RDONLY | O_CLOEXEC);
    if (lock >= 0 && ::flock(lock, LOCK_EX | LOCK_NB) != 0) {
      ::close(lock);  // held: its process still runs
      continue;
    }
    std::filesystem::remove_all(entry.path(), ignored);  // best effort: another user's stays
    if (lock >= 0) {
      ::close(lock);
    }
  }
}

}  // namespace

TempFolder::TempFolder(std::string_view prefix, const std::filesystem::path& folder) {
  const char* tmp = std::getenv("TMPDIR");
  std::filesystem::path parent = !folder.empty()                  ? folder
                                 : tmp != nullptr && *tmp != '\0' ? tmp
                                                                  : "/tmp";
  remove_left_behind(parent, prefix);
  std::string pattern = (parent / fmt::format("{}-XXXXXX", prefix)).string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw IoError(fmt::format("cannot create a temporary folder in {}: {}", parent.string(),
                              std::strerror(errno)));
  }
  m_path = pattern;
  m_lock = ::open((m_path / kLockName).c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (m_lock < 0 || ::flock(m_lock, LOCK_EX) != 0) {
    int error = errno;
    remove();
    if (m_lock >= 0) {
      ::close(m_lock);
    }
    throw IoError(fmt::format("cannot lock the temporary folder {}: {}", m_path.string(),
                              std::strerror(error)));
  }
}

TempFolder::~TempFolder() {
  remove();
  ::close(m_lock);
}

void TempFolder::remove() noexcept {
  std::error_code ignored;
  std::filesystem::remove_all(m_path, ignored);  // the lock goes with the process, or the close
}

}  // namespace migrate
