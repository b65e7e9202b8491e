#include "util/temp_folder.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

#include <fmt/format.h>

#include "util/error.hpp"

namespace migrate {

namespace {

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

}  // namespace

void TempFolder::remove_abandoned(const std::filesystem::path& parent, std::string_view prefix) {
  // Best effort: another user's stay.
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(parent, error)) {
    pid_t pid = owner_of(entry.path().filename().string(), prefix);
    std::error_code ignored;
    if (pid > 0 && pid != ::getpid() && ::kill(pid, 0) != 0 && errno == ESRCH &&
        entry.is_directory(ignored)) {
      std::filesystem::remove_all(entry.path(), ignored);
    }
  }
}

TempFolder::TempFolder(const std::filesystem::path& parent, std::string_view prefix) {
  remove_abandoned(parent, prefix);
  std::string pattern = (parent / fmt::format("{}-{}-XXXXXX", prefix, ::getpid())).string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw IoError(fmt::format("cannot create a temporary folder under {}: {}", parent.string(),
                              std::strerror(errno)));
  }
  m_path = pattern;
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
  }
}

}  // namespace migrate
