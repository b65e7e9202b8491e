#include "util/temp_folder.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string>

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/process_gone.hpp"

namespace migrate {

namespace {

constexpr const char* kLockName = ".lock";

std::filesystem::path parent_or_tmpdir(const std::filesystem::path& parent) {
  if (!parent.empty()) {
    return parent;
  }
  const char* tmp = std::getenv("TMPDIR");
  return tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
}

/// The process id in a folder name `<prefix>-<pid>-XXXXXX`; 0 when the name is not one.
pid_t owner_of(std::string_view name, std::string_view prefix) {
  if (!name.starts_with(prefix) || name.size() <= prefix.size() || name[prefix.size()] != '-') {
    return 0;
  }
  std::string_view rest = name.substr(prefix.size() + 1);
  pid_t pid = 0;
  auto [end, error] = std::from_chars(rest.data(), rest.data() + rest.size(), pid);
  // The pid, then "-" and mkdtemp's six characters.
  const char* last = rest.data() + rest.size();
  bool well_formed = error == std::errc() && end != rest.data() && last - end == 7 && *end == '-';
  return well_formed ? pid : 0;
}

/// Whether no live run holds `folder` (of `owner`): its lock is free (or was never made), and
/// its process is gone, or it is a minute old (a live process's folder is locked within
/// microseconds of being made; an old one whose pid lives again is another process's pid).
bool abandoned(const std::filesystem::path& folder, pid_t owner) {
  std::error_code ignored;
  bool owner_gone = process_gone(owner);
  if (!owner_gone) {
    auto modified = std::filesystem::last_write_time(folder, ignored);
    auto now = std::filesystem::file_time_type::clock::now();
    if (ignored || now - modified < std::chrono::minutes(1)) {
      return false;
    }
  }
  int lock = ::open((folder / kLockName).c_str(), O_RDONLY | O_CLOEXEC);
  bool held = lock >= 0 && ::flock(lock, LOCK_EX | LOCK_NB) != 0;
  if (lock >= 0) {
    ::close(lock);
  }
  return !held;
}

}  // namespace

void TempFolder::remove_abandoned(std::string_view prefix, const std::filesystem::path& parent) {
  // Best effort: another user's stay.
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(parent_or_tmpdir(parent), error)) {
    pid_t pid = owner_of(entry.path().filename().string(), prefix);
    std::error_code ignored;
    if (pid > 0 && pid != ::getpid() && entry.is_directory(ignored) &&
        abandoned(entry.path(), pid)) {
      std::filesystem::remove_all(entry.path(), ignored);
    }
  }
}

TempFolder::TempFolder(std::string_view prefix, const std::filesystem::path& parent) {
  std::filesystem::path where = parent_or_tmpdir(parent);
  remove_abandoned(prefix, where);
  std::string pattern = (where / fmt::format("{}-{}-XXXXXX", prefix, ::getpid())).string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw IoError(fmt::format("cannot create a temporary folder under {}: {}", where.string(),
                              std::strerror(errno)));
  }
  m_path = pattern;
  m_lock = ::open((m_path / kLockName).c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (m_lock < 0 || ::flock(m_lock, LOCK_EX) != 0) {
    int error = errno;
    remove();
    throw IoError(fmt::format("cannot lock the temporary folder {}: {}", m_path.string(),
                              std::strerror(error)));
  }
}

TempFolder::~TempFolder() {
  remove();
}

void TempFolder::remove() noexcept {
  std::lock_guard<std::mutex> lock(m_mutex);
  if (!m_removed) {
    m_removed = true;
    std::error_code ignored;
    std::filesystem::remove_all(m_path, ignored);
    if (m_lock >= 0) {
      ::close(m_lock);
      m_lock = -1;
    }
  }
}

}  // namespace migrate
