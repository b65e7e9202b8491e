#pragma once

#include <filesystem>
#include <mutex>
#include <string_view>

namespace migrate {

/// A folder of a command's own for temporary files, `<parent>/<prefix>-<pid>-XXXXXX` (parent:
/// $TMPDIR, else /tmp, unless given), owner-only, removed with what it holds when this goes.
/// While it lives it holds a lock (flock on a file in it, which the kernel releases however the
/// process ends). A process killed outright (kill -9) cannot remove its folder: the next
/// TempFolder of the same prefix under the same parent removes every folder whose lock is free
/// and whose process is gone (or that is a minute old: its pid may have been reused), so none
/// piles up, and a folder another live run holds is never touched.
class TempFolder {
 public:
  /// Creates the folder, after remove_abandoned. Throws IoError when it cannot.
  explicit TempFolder(std::string_view prefix, const std::filesystem::path& parent = {});
  /// Removes the folders of `prefix` under `parent` that no live run holds (best effort): what
  /// the constructor does first, for a run that may not need a folder of its own.
  static void remove_abandoned(std::string_view prefix, const std::filesystem::path& parent = {});
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;
  ~TempFolder();

  const std::filesystem::path& path() const { return m_path; }
  /// Removes the folder now, from any thread, for a command that is about to end the process
  /// (Ctrl-C): nothing may use it after.
  void remove() noexcept;

 private:
  std::mutex m_mutex;  ///< remove() may come from another thread
  std::filesystem::path m_path;
  int m_lock = -1;
  bool m_removed = false;
};

}  // namespace migrate
